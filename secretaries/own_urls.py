"""A branch secretary's own pages, at /toi/ (namespace "own")."""

from django.urls import path

from . import own_views as views

app_name = "own"

urlpatterns = [
    path("", views.own_home, name="home"),
    path("consent/", views.own_consent, name="consent"),
    path("correction/", views.own_correction, name="correction"),
    path("my-data.xlsx", views.own_export, name="export"),
    path("kich-hoat/", views.activate, name="activate"),
    path("kich-hoat/tai-khoan/", views.activate_account, name="activate_account"),
    path("kich-hoat/ma/<str:code>/", views.activate_start, name="activate_start"),
]
