"""The public honour wall (awards/wall.py): pages anyone may open without logging in. Nothing here reads the
user, and nothing else becomes public through them: every other page still asks for a login."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.files import protected_image_response

from . import wall


@require_GET
def wall_index(request):
    return render(request, "awards/wall_index.html", {"provinces": wall.wall_index()})


@require_GET
def wall_year(request, province_pk: int, year: int):
    page = wall.wall_year(province_id=province_pk, year=year)
    if page is None:
        raise Http404
    return render(request, "awards/wall_year.html", {"page": page})


@require_GET
def wall_portrait(request, pk: int):
    """A commended person's portrait thumbnail on the wall: only of a published, not revoked commendation
    whose person agreed to public showing; 404 otherwise (never the stored file's address)."""
    commendation = wall.portrait_shown().select_related("person").filter(pk=pk).first()
    if commendation is None:
        raise Http404
    return protected_image_response(commendation.person.portrait_thumbnail)
