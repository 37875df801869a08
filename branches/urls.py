from django.urls import path

from . import unit_views as views
from . import waiting_views

app_name = "branches"

urlpatterns = [
    path("provinces/", views.ProvinceListView.as_view(), name="province_list"),
    path("provinces/<str:code>/", views.ProvinceDetailView.as_view(), name="province_detail"),
    path("districts/<str:code>/", views.DistrictDetailView.as_view(), name="district_detail"),
    path("communes/<str:code>/", views.CommuneDetailView.as_view(), name="commune_detail"),
    path("branches/", views.BranchListView.as_view(), name="branch_list"),
    path("branches/export.xlsx", views.branch_export, name="branch_export"),
    path("branches/waiting/", waiting_views.branch_waiting, name="branch_waiting"),
    path("branches/new/", views.BranchCreateView.as_view(), name="branch_create"),
    path("branches/<int:pk>/", views.BranchDetailView.as_view(), name="branch_detail"),
    path("branches/<int:pk>/edit/", views.BranchUpdateView.as_view(), name="branch_update"),
    path("branches/<int:pk>/deactivate/", views.branch_deactivate, name="branch_deactivate"),
    path("branches/<int:pk>/reactivate/", views.branch_reactivate, name="branch_reactivate"),
    path("autocomplete/communes/", views.commune_autocomplete, name="commune_autocomplete"),
    path("autocomplete/districts/", views.district_autocomplete, name="district_autocomplete"),
    path("autocomplete/branches/", views.branch_autocomplete, name="branch_autocomplete"),
]
