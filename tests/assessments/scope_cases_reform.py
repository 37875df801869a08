"""The new world's assessment and seminar URLs in the matrix after the reform (test_scope_matrix_reform.py):
Xã Tập Ngãi's grid, an assessment made there in 2026, and the seminar and model/solution Đoàn xã Tập Ngãi
organises. Every persona is asked, the old units' users included: a neighbouring commune's officer and the
users of the ended units (Huyện đoàn Tiểu Cần, whose branch went to Tập Ngãi) get 404.

The records are made by the URL functions themselves, inside the test's savepoint (rolled back after it).
"""

import datetime

from django.urls import reverse

from tests.test_scope_matrix import FORBIDDEN, NOT_FOUND, OK, REDIRECT, Case

TAP_NGAI = "29365"
#: persona → status for a record of Xã Tập Ngãi (today's commune of the new province)
OUTSIDE = {
    "neighbour_officer": NOT_FOUND,
    "tieu_can_officer": NOT_FOUND,
    "cang_long_officer": NOT_FOUND,
    "tra_vinh_staff": NOT_FOUND,
    "vinh_long_staff": NOT_FOUND,
}


def in_tap_ngai(inside=OK, **overrides):
    return {
        "tap_ngai_officer": inside,
        "new_vinh_long_staff": inside,
        "administrator": inside,
        **OUTSIDE,
        **overrides,
    }


def _tap_ngai():
    from branches.models import Commune

    return Commune.objects.get(code=TAP_NGAI, ended_on=None)


def tap_ngai_assessment():
    """A secretary of a new branch of Xã Tập Ngãi, assessed in 2026 (submitted) by its commune officer."""
    from accounts.models import User
    from assessments.services import assessment_save, framework_criteria
    from tests.conftest import framework_2026
    from tests.factories import BranchFactory, person_with_term

    person = person_with_term(
        branch=BranchFactory(commune=_tap_ngai(), name="Ấp Tập Ngãi Mới"), full_name="Kim Thị Sa Ly"
    )
    framework = framework_2026()
    return assessment_save(
        person=person,
        framework=framework,
        assessor=User.objects.get(username="doanxa.tapngai"),
        values={c.pk: 4 for c in framework_criteria(framework)},
        submit=True,
    )


def tap_ngai_seminar():
    from seminars.models import Seminar
    from seminars.services import seminar_save

    commune = _tap_ngai()
    return seminar_save(
        seminar=Seminar(
            province=commune.province,
            commune=commune,
            title="Thanh niên lập nghiệp ở xã mới",
            held_on=datetime.date(2026, 4, 25),
        ),
        participants=[],
        themes=[{"title": "Tổ hợp tác thanh niên"}],
        proposals=[
            {"text": "Thành lập tổ hợp tác", "due_on": datetime.date(2026, 9, 30), "status": "de_xuat"}
        ],
    )


def tap_ngai_initiative():
    from seminars.models import Initiative

    commune = _tap_ngai()
    return Initiative.objects.create(
        province=commune.province, commune=commune, name="Tổ hợp tác thanh niên trồng màu", from_year=2026
    )


def tap_ngai_programme():
    from seminars.models import Programme

    commune = _tap_ngai()
    return Programme.objects.create(
        province=commune.province, commune=commune, name="Thanh niên khởi nghiệp", from_year=2026
    )


def province_programme():
    """Tỉnh đoàn Vĩnh Long's own programme: its communes read it (and file under it), neither changes it."""
    from seminars.models import Programme

    return Programme.objects.create(province=_tap_ngai().province, name="Thanh niên xã mới", from_year=2026)


CASES = [
    Case(
        "grid of a new commune", lambda w: reverse("assessments:commune_grid", args=[TAP_NGAI]), in_tap_ngai()
    ),
    Case(
        "grid of a new commune (post)",
        lambda w: reverse("assessments:commune_grid", args=[TAP_NGAI]),
        in_tap_ngai(REDIRECT),
        method="post",
    ),
    Case(
        "assessment in a new commune",
        lambda w: tap_ngai_assessment().get_absolute_url(),
        in_tap_ngai(),
    ),
    Case(
        "assessment in a new commune: confirm",
        lambda w: reverse("assessments:assessment_confirm", args=[tap_ngai_assessment().pk]),
        in_tap_ngai(REDIRECT, tap_ngai_officer=FORBIDDEN),
        method="post",
    ),
    Case("seminar of a commune", lambda w: tap_ngai_seminar().get_absolute_url(), in_tap_ngai()),
    Case(
        "seminar of a commune: edit",
        lambda w: reverse("seminars:seminar_update", args=[tap_ngai_seminar().pk]),
        in_tap_ngai(),
    ),
    # An empty post comes back with its errors: nothing is written.
    Case(
        "seminar of a commune: edit (post)",
        lambda w: reverse("seminars:seminar_update", args=[tap_ngai_seminar().pk]),
        in_tap_ngai(),
        method="post",
    ),
    Case(
        "proposal of a commune's seminar: update",
        lambda w: reverse("seminars:proposal_update", args=[tap_ngai_seminar().proposals.get().pk]),
        in_tap_ngai(),
        method="post",
    ),
    Case("model of a commune", lambda w: tap_ngai_initiative().get_absolute_url(), in_tap_ngai()),
    Case(
        "model of a commune: edit",
        lambda w: reverse("seminars:initiative_update", args=[tap_ngai_initiative().pk]),
        in_tap_ngai(),
    ),
    Case("programme of a commune", lambda w: tap_ngai_programme().get_absolute_url(), in_tap_ngai()),
    Case(
        "programme of a commune: edit",
        lambda w: reverse("seminars:programme_update", args=[tap_ngai_programme().pk]),
        in_tap_ngai(),
    ),
    Case(
        "programme of the new province",
        lambda w: province_programme().get_absolute_url(),
        in_tap_ngai(neighbour_officer=OK),
    ),
    Case(
        "programme of the new province: edit",
        lambda w: reverse("seminars:programme_update", args=[province_programme().pk]),
        in_tap_ngai(tap_ngai_officer=FORBIDDEN, neighbour_officer=FORBIDDEN),
    ),
]
