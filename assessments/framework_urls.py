from django.urls import path

from . import framework_views as views

# A province's frameworks (gathered by urls.py, app_name "assessments").
urlpatterns = [
    path("frameworks/", views.framework_list, name="framework_list"),
    path("frameworks/<int:pk>/", views.framework_detail, name="framework_detail"),
    path("frameworks/<int:pk>/copy/", views.framework_copy, name="framework_copy"),
    path("frameworks/<int:pk>/edit/", views.framework_edit, name="framework_edit"),
]
