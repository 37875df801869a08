"""The one way a view answers with a stored personal file (a portrait, a seminar photo).

Uploaded files are personal data: there is no /media/ URL, so each is served by a view that has first
loaded its owner through `visible_to(user)`. This helper is what such a view returns."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def protected_image_response(image: FieldFile) -> FileResponse:
    """The stored JPEG, or 404 when there is none; kept by no cache at all."""
    if not image:
        raise Http404
    response = FileResponse(image.open("rb"), content_type="image/jpeg")
    # A face is personal data: kept by no cache, not even the browser's (a shared office PC).
    response["Cache-Control"] = "private, no-store"
    return response
