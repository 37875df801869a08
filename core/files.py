"""The one way a view answers with a stored personal file (a portrait, a seminar photo).

Uploaded files are personal data: there is no /media/ URL, so each is served by a view that has first
loaded its owner through `visible_to(user)`. This helper is what such a view returns."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def protected_image_response(image: FieldFile) -> FileResponse:
    """The stored JPEG, or 404 when there is none; cached by the browser only, never by a shared cache."""
    if not image:
        raise Http404
    response = FileResponse(image.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
