from django.urls import path

from . import job_views as views

app_name = "jobs"

urlpatterns = [
    path("", views.JobListView.as_view(), name="job_list"),
    path("<int:pk>/", views.job_detail, name="job_detail"),
    path("<int:pk>/status/", views.job_status, name="job_status"),
    path("<int:pk>/download/", views.job_download, name="job_download"),
]
