from django.urls import path

from . import seminar_views as views

urlpatterns = [
    path("", views.SeminarListView.as_view(), name="seminar_list"),
    path("new/", views.SeminarCreateView.as_view(), name="seminar_create"),
    path("export.xlsx", views.seminar_export, name="seminar_export"),
    path("autocomplete/organisers/", views.organiser_autocomplete, name="organiser_autocomplete"),
    path("autocomplete/participants/", views.participant_autocomplete, name="participant_autocomplete"),
    path("<int:pk>/", views.SeminarDetailView.as_view(), name="seminar_detail"),
    path("<int:pk>/edit/", views.SeminarUpdateView.as_view(), name="seminar_update"),
    path("<int:pk>/delete/", views.seminar_delete, name="seminar_delete"),
]
