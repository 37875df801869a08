from django.urls import path

from . import assessment_views as views
from . import framework_urls, report_urls, self_urls

app_name = "assessments"

urlpatterns = [
    path("", views.AssessmentListView.as_view(), name="assessment_list"),
    path("export.xlsx", views.assessment_export, name="assessment_export"),
    path("new/", views.assessment_create, name="assessment_create"),
    path("confirm/", views.assessment_confirm_many, name="assessment_confirm_many"),
    path("grid/", views.commune_grid_pick, name="commune_grid_pick"),
    path("grid/<str:code>/", views.commune_grid, name="commune_grid"),
    path("<int:pk>/", views.AssessmentDetailView.as_view(), name="assessment_detail"),
    path("<int:pk>/edit/", views.assessment_update, name="assessment_update"),
    path("<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
    path("<int:pk>/confirm/", views.assessment_confirm, name="assessment_confirm"),
    path("<int:pk>/reopen/", views.assessment_reopen, name="assessment_reopen"),
    path("<int:pk>/return/", views.assessment_return, name="assessment_return"),
]

# The reports (summary, training needs) live in their own module.
urlpatterns += report_urls.urlpatterns

# The secretary's self-assessment, and the frameworks of a province.
urlpatterns += self_urls.urlpatterns + framework_urls.urlpatterns
