from django.urls import path

from . import self_views as views

# The secretary's own pages (gathered by urls.py, app_name "assessments").
urlpatterns = [
    path("self/", views.self_list, name="self_list"),
    path("self/<int:framework>/", views.self_form, name="self_form"),
    path("self/assessment/<int:pk>/", views.self_detail, name="self_detail"),
]
