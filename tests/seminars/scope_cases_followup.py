"""Scope matrix cases for the follow-up page, the report and models/solutions (gathered by
tests/test_scope_matrix.py). Lists and reports answer every role with its own scope's rows; objects of
Tiểu Cần are 404 for the Càng Long officer and for Vĩnh Long's staff."""

from django.urls import reverse

from tests.test_scope_matrix import REDIRECT, Case, in_tieu_can


def proposal_url(world):
    return reverse("seminars:proposal_update", args=[world["tieu_can_seminar"].proposals.first().pk])


def initiative_url(name):
    return lambda world: reverse(name, args=[world["tieu_can_initiative"].pk])


CASES = [
    Case("follow-up", lambda w: reverse("seminars:followup"), {}),
    Case("follow-up filtered", lambda w: reverse("seminars:followup") + "?status=de_xuat&q=huấn", {}),
    Case(
        "follow-up overdue, printed",
        lambda w: reverse("seminars:followup") + "?status=qua_han&followed=don_vi_minh&o=-due&print=1",
        {},
    ),
    Case("follow-up export", lambda w: reverse("seminars:followup_export") + "?status=qua_han&o=seminar", {}),
    # An empty post re-shows the proposal's form with the message by its field (200); outside scope the
    # proposal does not exist.
    Case("proposal update", proposal_url, in_tieu_can(), method="post"),
    Case("seminar report", lambda w: reverse("seminars:report") + "?year=2021", {}),
    Case("seminar report export", lambda w: reverse("seminars:report_export") + "?year=2021", {}),
    Case("model list", lambda w: reverse("seminars:initiative_list"), {}),
    Case(
        "model list printed",
        lambda w: reverse("seminars:initiative_list") + "?print=1&o=organiser&level=commune",
        {},
    ),
    Case("model export", lambda w: reverse("seminars:initiative_export"), {}),
    # Another unit named in the address is no filter for those outside it: their own rows (never 404 or its).
    Case(
        "model export (Càng Long named)",
        lambda w: reverse("seminars:initiative_export") + f"?district={w['cang_long'].commune.district_id}",
        {},
    ),
    Case("model create", lambda w: reverse("seminars:initiative_create"), {}),
    Case("model seminar autocomplete", lambda w: reverse("seminars:initiative_seminar_autocomplete"), {}),
    Case("model detail", initiative_url("seminars:initiative_detail"), in_tieu_can()),
    Case("model edit", initiative_url("seminars:initiative_update"), in_tieu_can()),
    # An invalid post re-shows the form inside scope (200) and is a 404 outside it.
    Case("model edit (post)", initiative_url("seminars:initiative_update"), in_tieu_can(), method="post"),
    Case("model delete (confirm)", initiative_url("seminars:initiative_delete"), in_tieu_can()),
    Case(
        "model delete",
        initiative_url("seminars:initiative_delete"),
        in_tieu_can(status_inside=REDIRECT),
        method="post",
    ),
]
