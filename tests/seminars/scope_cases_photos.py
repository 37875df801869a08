"""Scope matrix cases for seminar photos (gathered by tests/test_scope_matrix.py)."""

from django.urls import reverse

from tests.test_scope_matrix import REDIRECT, Case, in_tieu_can


def photo_url(name):
    return lambda world: reverse(name, args=[world["tieu_can_photo"].pk])


CASES = [
    # An empty upload is refused on the seminar's page shown again; outside scope it is a 404.
    Case(
        "photo upload",
        lambda w: reverse("seminars:photo_upload", args=[w["tieu_can_seminar"].pk]),
        in_tieu_can(),
        method="post",
    ),
    Case("photo image", photo_url("seminars:photo_image"), in_tieu_can()),
    Case("photo thumbnail", photo_url("seminars:photo_thumbnail"), in_tieu_can()),
    Case("photo delete (confirm)", photo_url("seminars:photo_delete"), in_tieu_can()),
    Case(
        "photo delete",
        photo_url("seminars:photo_delete"),
        in_tieu_can(status_inside=REDIRECT),
        method="post",
    ),
]
