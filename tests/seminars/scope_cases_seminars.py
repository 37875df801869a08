"""Seminar pages in the URL × persona matrix (tests/test_scope_matrix.py)."""

from django.urls import reverse

from tests.test_scope_matrix import REDIRECT, Case, in_tieu_can


def _seminar(name):
    return lambda w: reverse(name, args=[w["tieu_can_seminar"].pk])


CASES = [
    Case("seminar list", lambda w: reverse("seminars:seminar_list"), {}),
    Case("seminar list (searched)", lambda w: reverse("seminars:seminar_list") + "?q=chat+luong&o=-date", {}),
    Case("seminar export", lambda w: reverse("seminars:seminar_export"), {}),
    Case("seminar create", lambda w: reverse("seminars:seminar_create"), {}),
    Case(
        "seminar organiser autocomplete", lambda w: reverse("seminars:organiser_autocomplete") + "?q=tieu", {}
    ),
    Case(
        "seminar participant autocomplete",
        lambda w: reverse("seminars:participant_autocomplete") + "?q=teo",
        {},
    ),
    # An empty post comes back with its errors, for everyone: nothing is written.
    Case("seminar create (post)", lambda w: reverse("seminars:seminar_create"), {}, method="post"),
    Case("seminar detail", _seminar("seminars:seminar_detail"), in_tieu_can()),
    Case("seminar edit", _seminar("seminars:seminar_update"), in_tieu_can()),
    Case("seminar edit (post)", _seminar("seminars:seminar_update"), in_tieu_can(), method="post"),
    Case("seminar delete (confirm)", _seminar("seminars:seminar_delete"), in_tieu_can()),
    # Deleted and back to the list inside the scope (each persona's deletion undone before the next).
    Case(
        "seminar delete",
        _seminar("seminars:seminar_delete"),
        in_tieu_can(status_inside=REDIRECT),
        method="post",
    ),
]
