"""The frameworks pages and the secretary's self-assessment pages in the URL × persona matrix.

Frameworks are for provincial staff (and the administrator): officers get 403; the common framework is
every province's to read and copy, but only the administrator changes it. The self-assessment pages answer
only a secretary's account: every staff persona gets 404 there (tests/assessments/test_self_assessment.py
covers the secretary)."""

from django.urls import reverse

from tests.conftest import framework_2026
from tests.test_scope_matrix import FORBIDDEN, NOT_FOUND, REDIRECT, Case

OFFICERS = {"tieu_can_officer": FORBIDDEN, "cang_long_officer": FORBIDDEN}
STAFF_NOT_ADMIN = {"tra_vinh_staff": FORBIDDEN, "vinh_long_staff": FORBIDDEN}


def common_framework(name):
    return lambda world: reverse(name, args=[framework_2026().pk])


CASES = [
    Case("framework list", lambda w: reverse("assessments:framework_list"), OFFICERS),
    Case("framework detail (common)", common_framework("assessments:framework_detail"), OFFICERS),
    # In use (the world's draft): even the administrator is sent back to the detail page.
    Case(
        "framework edit (common, in use)",
        common_framework("assessments:framework_edit"),
        {**OFFICERS, **STAFF_NOT_ADMIN, "administrator": REDIRECT},
    ),
    Case(
        "framework copy",
        common_framework("assessments:framework_copy"),
        {**OFFICERS, "administrator": FORBIDDEN, "tra_vinh_staff": REDIRECT, "vinh_long_staff": REDIRECT},
        method="post",
    ),
    Case("self-assessment list", lambda w: reverse("assessments:self_list"), {}, default=NOT_FOUND),
    Case(
        "self-assessment form",
        common_framework("assessments:self_form"),
        {},
        default=NOT_FOUND,
    ),
    Case(
        "self-assessment detail",
        lambda w: reverse("assessments:self_detail", args=[w["tieu_can_assessment"].pk]),
        {},
        default=NOT_FOUND,
    ),
]
