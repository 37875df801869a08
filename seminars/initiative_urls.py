"""Models and solutions (mô hình, giải pháp); gathered into seminars/urls.py (namespace "seminars")."""

from django.urls import path

from . import initiative_views

urlpatterns = [
    path("models/", initiative_views.InitiativeListView.as_view(), name="initiative_list"),
    path("models/export.xlsx", initiative_views.initiative_export, name="initiative_export"),
    path("models/new/", initiative_views.InitiativeCreateView.as_view(), name="initiative_create"),
    path(
        "models/seminars-autocomplete/",
        initiative_views.seminar_autocomplete,
        name="initiative_seminar_autocomplete",
    ),
    path("models/<int:pk>/", initiative_views.InitiativeDetailView.as_view(), name="initiative_detail"),
    path("models/<int:pk>/edit/", initiative_views.InitiativeUpdateView.as_view(), name="initiative_update"),
    path("models/<int:pk>/delete/", initiative_views.initiative_delete, name="initiative_delete"),
]
