"""The public honour wall's URLs (namespace "wall", mounted at /guong-bi-thu/ in config/urls.py)."""

from django.urls import path

from . import wall_views as views

app_name = "wall"

urlpatterns = [
    path("", views.wall_index, name="index"),
    path("<int:province_pk>/<int:year>/", views.wall_year, name="year"),
    path("anh/<int:pk>/", views.wall_portrait, name="portrait"),
]
