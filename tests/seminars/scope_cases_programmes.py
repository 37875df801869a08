"""Scope matrix cases for the programmes (gathered by tests/test_scope_matrix.py, and by
tests/test_scope_matrix_reform.py for the personas of today's units). The list and the form answer every
role with its own scope; Huyện đoàn Tiểu Cần's programme is 404 for the Càng Long officer and for Vĩnh
Long's staff.

The programme is made by the URL function itself, inside the test's savepoint (rolled back after it), with
the world's Tiểu Cần seminar filed under it: the seminar a Tập Ngãi secretary attended, through which
today's commune officer reads the programme (and changes nothing of it). Tỉnh đoàn Trà Vinh's own programme
is read by its districts' officers (and, after the reform, by the communes of the province it went into),
changed by none of them, and is 404 for Vĩnh Long's staff."""

from django.urls import reverse

from tests.test_scope_matrix import FORBIDDEN, OK, REDIRECT, Case, in_tieu_can


def tieu_can_programme(world):
    from seminars.models import Programme, Seminar

    seminar = world["tieu_can_seminar"]
    programme, _created = Programme.objects.get_or_create(
        province=seminar.province,
        district=seminar.district,
        name="Xây dựng giá trị hình mẫu thanh niên thời kỳ mới",
        defaults={"from_year": 2019, "to_year": 2022},
    )
    Seminar.objects.filter(pk=seminar.pk).update(programme=programme)
    return programme


def province_programme(world):
    from seminars.models import Programme

    programme, _created = Programme.objects.get_or_create(
        province=world["tieu_can_seminar"].province,
        district=None,
        name="Tuổi trẻ Trà Vinh chung tay xây dựng nông thôn mới",
        defaults={"from_year": 2021, "to_year": 2025},
    )
    return programme


def in_tra_vinh(status_officers=OK):
    """Tỉnh đoàn Trà Vinh's own: its staff and both its districts' officers, not Vĩnh Long's staff."""
    return {
        **in_tieu_can(),
        "tieu_can_officer": status_officers,
        "cang_long_officer": status_officers,
    }


def programme_url(name):
    return lambda world: reverse(name, args=[tieu_can_programme(world).pk])


CASES = [
    Case("programme list", lambda w: reverse("seminars:programme_list"), {}),
    Case(
        "programme list sorted", lambda w: reverse("seminars:programme_list") + "?o=-seminars&q=hình mẫu", {}
    ),
    Case("programme list printed", lambda w: reverse("seminars:programme_list") + "?print=1&o=organiser", {}),
    Case("programme export", lambda w: reverse("seminars:programme_export") + "?q=hình mẫu", {}),
    # Another unit named in the address is no filter for those outside it: their own rows (never 404 or its).
    Case(
        "programme export (Tiểu Cần named)",
        lambda w: reverse("seminars:programme_export") + f"?commune={w['tieu_can'].commune_id}",
        {},
    ),
    Case("programme create", lambda w: reverse("seminars:programme_create"), {}),
    # An empty post re-shows the form with the messages by its fields: nothing is written.
    Case("programme create (post)", lambda w: reverse("seminars:programme_create"), {}, method="post"),
    Case("programme detail", lambda w: tieu_can_programme(w).get_absolute_url(), in_tieu_can()),
    Case("programme edit", programme_url("seminars:programme_update"), in_tieu_can()),
    Case(
        "programme detail (the province's own)",
        lambda w: province_programme(w).get_absolute_url(),
        in_tra_vinh(),
    ),
    Case(
        "programme edit (the province's own)",
        lambda w: reverse("seminars:programme_update", args=[province_programme(w).pk]),
        in_tra_vinh(FORBIDDEN),
    ),
    # An invalid post re-shows the form inside scope (200) and is a 404 outside it.
    Case("programme edit (post)", programme_url("seminars:programme_update"), in_tieu_can(), method="post"),
    Case("programme delete (confirm)", programme_url("seminars:programme_delete"), in_tieu_can()),
    # Its seminar keeps it: refused, back to the page that says why (a 404 outside the scope).
    Case(
        "programme delete",
        programme_url("seminars:programme_delete"),
        in_tieu_can(status_inside=REDIRECT),
        method="post",
    ),
]
