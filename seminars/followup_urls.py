"""Follow-up of proposals and the seminar report; gathered into seminars/urls.py (namespace "seminars")."""

from django.urls import path

from . import followup_views

urlpatterns = [
    path("followup/", followup_views.FollowupView.as_view(), name="followup"),
    path("followup/export.xlsx", followup_views.followup_export, name="followup_export"),
    path("proposals/<int:pk>/update/", followup_views.proposal_update, name="proposal_update"),
    path("report/", followup_views.report, name="report"),
    path("report/export.xlsx", followup_views.report_export, name="report_export"),
]
