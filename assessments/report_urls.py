"""Reports on assessments. Included into assessments/urls.py (`urlpatterns += report_urls.urlpatterns`),
so they are reversed as "assessments:summary", "assessments:training_needs" and so on."""

from django.urls import path

from . import report_views

urlpatterns = [
    path("summary/", report_views.summary, name="summary"),
    path("training/", report_views.training_needs, name="training_needs"),
    path("training/export.xlsx", report_views.training_needs_export, name="training_needs_export"),
]
