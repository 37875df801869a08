"""Programmes (chương trình); gathered into seminars/urls.py (namespace "seminars")."""

from django.urls import path

from . import programme_views

urlpatterns = [
    path("programmes/", programme_views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/export.xlsx", programme_views.programme_export, name="programme_export"),
    path("programmes/new/", programme_views.ProgrammeCreateView.as_view(), name="programme_create"),
    path("programmes/<int:pk>/", programme_views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("programmes/<int:pk>/edit/", programme_views.ProgrammeUpdateView.as_view(), name="programme_update"),
    path("programmes/<int:pk>/delete/", programme_views.programme_delete, name="programme_delete"),
]
