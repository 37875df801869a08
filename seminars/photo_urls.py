from django.urls import path

from . import photo_views

urlpatterns = [
    path("<int:pk>/photos/", photo_views.photo_upload, name="photo_upload"),
    path("photos/<int:pk>/", photo_views.photo_file, name="photo_image"),
    path("photos/<int:pk>/thumbnail/", photo_views.photo_file, {"size": "thumbnail"}, name="photo_thumbnail"),
    path("photos/<int:pk>/delete/", photo_views.photo_delete, name="photo_delete"),
]
