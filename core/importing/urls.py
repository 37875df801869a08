from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.BatchListView.as_view(), name="batch_list"),
    path("<slug:kind>/new/", views.batch_upload, name="batch_upload"),
    path("<slug:kind>/template.xlsx", views.batch_template, name="batch_template"),
    path("<int:pk>/", views.batch_detail, name="batch_detail"),
    path("<int:pk>/same-person/", views.batch_same_person, name="batch_same_person"),
    path("<int:pk>/confirm/", views.batch_confirm, name="batch_confirm"),
    path("<int:pk>/file/", views.batch_file, name="batch_file"),
]
