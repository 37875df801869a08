"""The URL × persona matrix after the 2025 reform, for the personas of today's units.

The matrix world (tests/conftest.py) is ended on 30/06/2025 and its branches re-attached: the Tiểu Cần
branch (of Xã Hiếu Tử) to Xã Tập Ngãi, the Càng Long branch (of Xã An Trường) to its neighbour Xã Càng Long,
both communes of a new province that Tỉnh Trà Vinh went into. Each new persona then answers every URL as its
predecessor did before the reform: the Tập Ngãi officer as the Tiểu Cần officer, the neighbour as the Càng
Long officer, the new provincial staff as Trà Vinh's; except the pages of the ended units themselves, which
belong to the old units' users (`EXCEPTIONS`). The world and the reform are built once for the module.

The new province's own campaign, per commune, has a matrix of its own (`COMMUNE_CASES`) over the personas
of both worlds: a commune officer never reaches the neighbouring commune's nominations. As in the matrix
before the reform, each answer is also checked for what holds whoever asks (tests/answers.py).
"""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from branches.divisions import REFORM_DAY
from branches.models import Commune, CommuneSuccession, District, Province, ProvinceSuccession
from branches.services import branches_reattach
from tests.answers import ask, assert_answer, client_of, each_persona
from tests.assessments import scope_cases_reform
from tests.conftest import shared_data
from tests.factories import CommuneFactory, ProvinceFactory, UserFactory
from tests.login import keep_sessions, login_verified
from tests.test_scope_matrix import CASES, FORBIDDEN, LOGIN, NOT_FOUND, OK, REDIRECT

pytestmark = pytest.mark.usefixtures("world_once", "reformed")

#: new persona → the old persona it stands in for
STANDS_FOR = {
    "tap_ngai_officer": "tieu_can_officer",
    "neighbour_officer": "cang_long_officer",
    "new_vinh_long_staff": "tra_vinh_staff",
}

COMMUNE_OFFICERS = ("tap_ngai_officer", "neighbour_officer")

#: (case name, persona) → status, where a new persona differs from its predecessor
EXCEPTIONS: dict[tuple[str, str], object] = {
    # A job is its owner's alone (the Tiểu Cần officer's): no successor unit inherits it.
    **{(name, "tap_ngai_officer"): NOT_FOUND for name in ("job page", "job status", "job download")},
    # The ended units' own pages belong to their users: a commune officer reads its own commune and
    # province (today's), and its branches' records, not the old province, district or commune.
    **{("province detail (Trà Vinh)", p): NOT_FOUND for p in COMMUNE_OFFICERS},
    ("district detail (Tiểu Cần)", "tap_ngai_officer"): NOT_FOUND,
    ("district detail (Càng Long)", "neighbour_officer"): NOT_FOUND,
    ("commune detail (Hiếu Tử)", "tap_ngai_officer"): NOT_FOUND,
    # Its grid is today's commune's (the branches of Hiếu Tử are in it now).
    ("commune grid", "tap_ngai_officer"): NOT_FOUND,
    ("commune grid (post)", "tap_ngai_officer"): NOT_FOUND,
    # Hiếu Tử ended in 2025 and this world has no framework of 2025 or before: its grid offers none of a
    # later year, so there is nothing to show ("No framework has been set up yet").
    ("commune grid", "new_vinh_long_staff"): NOT_FOUND,
    ("commune grid (post)", "new_vinh_long_staff"): NOT_FOUND,
    # An import belongs to the unit that uploaded it (here the Huyện đoàn Tiểu Cần): a commune officer
    # sees only its own commune's imports, not those of the unit its branches came from.
    **{
        (name, "tap_ngai_officer"): NOT_FOUND
        for name in ("import preview", "import original file", "import same person", "import confirm")
    },
    # The world's model/solution names its commune (Hiếu Tử), not a branch: organisers and applying
    # units in the new world are a later part of issue 12.
    ("model detail", "tap_ngai_officer"): NOT_FOUND,
    # Huyện đoàn Tiểu Cần's 2021 seminar, which a Tập Ngãi secretary attended: the commune officer reads it
    # and changes only its own commune's (seminars.forms.may_edit).
    ("seminar edit", "tap_ngai_officer"): FORBIDDEN,
    ("seminar edit (post)", "tap_ngai_officer"): FORBIDDEN,
    ("photo upload", "tap_ngai_officer"): FORBIDDEN,
    ("photo delete (confirm)", "tap_ngai_officer"): FORBIDDEN,
    ("photo delete", "tap_ngai_officer"): FORBIDDEN,
    ("seminar delete (confirm)", "tap_ngai_officer"): FORBIDDEN,
    ("seminar delete", "tap_ngai_officer"): FORBIDDEN,
    # Its proposals likewise: read on the follow-up page, followed up by the province (the district ended).
    ("proposal update", "tap_ngai_officer"): FORBIDDEN,
    # Huyện đoàn Tiểu Cần's programme, read through that seminar: its edit pages are the district's.
    ("programme edit", "tap_ngai_officer"): FORBIDDEN,
    ("programme edit (post)", "tap_ngai_officer"): FORBIDDEN,
    ("programme delete (confirm)", "tap_ngai_officer"): FORBIDDEN,
    ("programme delete", "tap_ngai_officer"): FORBIDDEN,
    ("model edit", "tap_ngai_officer"): NOT_FOUND,
    ("model edit (post)", "tap_ngai_officer"): NOT_FOUND,
    ("model delete (confirm)", "tap_ngai_officer"): NOT_FOUND,
    ("model delete", "tap_ngai_officer"): NOT_FOUND,
    # The world's campaigns are Trà Vinh's, per district: a commune officer reads them and nominates in
    # none of them (Campaign.nominated_by); its own campaign is the new province's (COMMUNE_CASES below).
    **{
        (name, p): FORBIDDEN
        for name in (
            "nominate",
            "nominate with a preselected person",
            "nominate (post)",
            "nominate in a decided campaign",
        )
        for p in COMMUNE_OFFICERS
    },
    **{
        (name, "tap_ngai_officer"): FORBIDDEN
        for name in (
            "nomination edit",
            "nomination edit (post)",
            "nomination submit",
            "nomination withdraw",
            "nomination revise",
            "nomination delete (confirm)",
            "nomination delete",
            # Its documents are the nominating unit's (Huyện đoàn Tiểu Cần's) to change.
            "nomination document upload",
            "nomination document delete (confirm)",
            "nomination document delete",
        )
    },
}


@pytest.fixture(scope="module")
def reformed(world_once, django_db_blocker):
    def build():
        last_day = REFORM_DAY - datetime.timedelta(days=1)
        tra_vinh = Province.objects.get(code="84")
        Province.objects.filter(pk=tra_vinh.pk).update(ended_on=last_day)
        District.objects.filter(province=tra_vinh).update(ended_on=last_day)
        Commune.objects.filter(province=tra_vinh).update(ended_on=last_day)
        province = ProvinceFactory(code="80", name="Tỉnh Vĩnh Long (mới)", began_on=REFORM_DAY)
        ProvinceSuccession.objects.create(predecessor=tra_vinh, successor=province, on=REFORM_DAY)
        new = {}
        for old_code, code, name in (("29350", "29365", "Xã Tập Ngãi"), ("29275", "29276", "Xã Càng Long")):
            new[code] = CommuneFactory(
                code=code, name=name, province=province, district=None, began_on=REFORM_DAY
            )
            old = Commune.objects.get(code=old_code)
            CommuneSuccession.objects.create(predecessor=old, successor=new[code], on=REFORM_DAY)
        assert branches_reattach(on=REFORM_DAY).moved == 2
        users = [
            UserFactory(username="doanxa.tapngai", role=User.Role.COMMUNE_OFFICER, commune=new["29365"]),
            UserFactory(username="doanxa.canglong", role=User.Role.COMMUNE_OFFICER, commune=new["29276"]),
            UserFactory(username="tinhdoan.vinhlong.moi", role=User.Role.PROVINCIAL_STAFF, province=province),
        ]
        # Signed in once for the module, as the world's personas are (each test's login costs no query).
        keep_sessions(users, Client()._get_backend())
        return _commune_campaign(province, new)

    yield from shared_data(django_db_blocker, build)


def _commune_campaign(province, new) -> dict:
    """This year's campaign of the new province, per commune: Tập Ngãi has a quota of 3 and has sent the
    nomination of the secretary of its re-attached branch (once Hiếu Tử's); Càng Long has sent one. Next
    year's campaign is open too, with Tập Ngãi's draft of the same secretary. Written directly, as the
    matrix world's campaigns are (tests/conftest.py)."""
    from django.utils import timezone

    from awards.models import Campaign, Nomination, Quota
    from secretaries.models import Term

    today = timezone.localdate()
    campaign, next_year = (
        Campaign.objects.create(
            province=province,
            year=year,
            title=f"Tuyên dương năm {year} (theo xã)",
            opens_on=today - datetime.timedelta(days=10),
            closes_on=today + datetime.timedelta(days=20),
            default_quota=2,
            status=Campaign.Status.OPEN,
        )
        for year in (today.year, today.year + 1)
    )
    Quota.objects.create(campaign=campaign, commune=new["29365"], quota=3)

    def nominate(commune, person, status, campaign=campaign):
        term = Term.objects.secretaries().current().get(person=person)
        return Nomination.objects.create(
            campaign=campaign,
            person=person,
            branch=term.branch,
            commune=commune,
            province=province,
            summary="Tổ chức tốt các phong trào của chi đoàn.",
            report="Báo cáo thành tích.",
            status=status,
            submitted_at=timezone.now() if status != Nomination.Status.DRAFT else None,
        )

    tap_ngai_secretary, neighbour_secretary = (
        Term.objects.secretaries().current().get(branch__commune=new[code], branch__name=name).person
        for code, name in (("29365", "Ấp Cây Gòn"), ("29276", "Ấp Đại Đức"))
    )
    return {
        "commune_campaign": campaign.pk,
        "tap_ngai": new["29365"].pk,
        "tap_ngai_nomination": nominate(new["29365"], tap_ngai_secretary, Nomination.Status.SUBMITTED).pk,
        "tap_ngai_draft": nominate(
            new["29365"], tap_ngai_secretary, Nomination.Status.DRAFT, campaign=next_year
        ).pk,
        "neighbour_nomination": nominate(new["29276"], neighbour_secretary, Nomination.Status.SUBMITTED).pk,
    }


USERNAMES = {
    "tap_ngai_officer": "doanxa.tapngai",
    "neighbour_officer": "doanxa.canglong",
    "new_vinh_long_staff": "tinhdoan.vinhlong.moi",
}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_scope_matrix_after_the_reform(case, world):
    url = case.url(world)

    def check(persona):
        client = client_of(User.objects.get(username=USERNAMES[persona]))
        response = ask(client, case.method, url)
        where = f"{persona} {case.method.upper()} {url}"
        assert_answer(response, where, logged_in=True)
        expected = EXCEPTIONS.get((case.name, persona), case.expected(STANDS_FOR[persona]))
        assert expected != LOGIN
        assert response.status_code == expected, f"{where}: {response.status_code}, not {expected}"

    each_persona(STANDS_FOR, check)


#: URLs of the new world's own records (a new commune's grid, assessments, seminars, models), asked of every
#: persona, the old units' users included: tests/assessments/scope_cases_reform.py.
NEW_WORLD_CASES = scope_cases_reform.CASES
OLD_PERSONAS = ["administrator", "tra_vinh_staff", "tieu_can_officer", "cang_long_officer", "vinh_long_staff"]


@pytest.mark.parametrize("case", NEW_WORLD_CASES, ids=lambda c: c.name)
def test_new_world_records_in_the_matrix(case, world, request):
    url = case.url(world)

    def check(persona):
        if persona in USERNAMES:
            client = client_of(User.objects.get(username=USERNAMES[persona]))
        else:
            client = client_of(None if persona == "anonymous" else request.getfixturevalue(persona))
        response = ask(client, case.method, url)
        where = f"{persona} {case.method.upper()} {url}"
        assert_answer(response, where, logged_in=persona != "anonymous")
        if case.expected(persona) == LOGIN:
            assert response.status_code == REDIRECT and "/login/" in response["Location"], where
        else:
            expected = case.expected(persona)
            assert response.status_code == expected, f"{where}: {response.status_code}, not {expected}"

    each_persona([*STANDS_FOR, *OLD_PERSONAS, "anonymous"], check)


# The new province's own campaign, per commune: every persona of both worlds. Outside it (the old units'
# users, the other province) → 404; the communes nominate, the new province's staff review and set quotas.
ALL_USERNAMES = {
    **USERNAMES,
    "administrator": "quantri",
    "tra_vinh_staff": "tinhdoan.travinh",
    "tieu_can_officer": "huyendoan.tieucan",
    "cang_long_officer": "huyendoan.canglong",
    "vinh_long_staff": "tinhdoan.vinhlong",
}
NEW_STAFF = ("administrator", "new_vinh_long_staff")


def _expect(default=NOT_FOUND, **statuses) -> dict:
    return {persona: statuses.get(persona, default) for persona in ALL_USERNAMES}


def _both(staff, officers) -> dict:
    """Staff of the new province (and the administrator) `staff`; both commune officers `officers`."""
    return _expect(
        administrator=staff, new_vinh_long_staff=staff, tap_ngai_officer=officers, neighbour_officer=officers
    )


def _own(status, staff=FORBIDDEN) -> dict:
    """Tập Ngãi's own nomination: its officer `status`, the neighbour 404, the staff `staff`."""
    return _expect(administrator=staff, new_vinh_long_staff=staff, tap_ngai_officer=status)


def _url(name, key, suffix=""):
    return lambda ids: reverse(name, args=[ids[key]]) + suffix


def _rejected(name, key):
    """The nomination not approved first (what its commune takes back to correct)."""

    def url(ids):
        from awards.models import Nomination

        Nomination.objects.filter(pk=ids[key]).update(
            status=Nomination.Status.REJECTED, rejection_reason="Báo cáo thành tích chưa đính kèm"
        )
        return reverse(name, args=[ids[key]])

    return url


COMMUNE_CASES = [
    ("campaign detail", _url("awards:campaign_detail", "commune_campaign"), _both(OK, OK), "get"),
    ("campaign quotas", _url("awards:campaign_quotas", "commune_campaign"), _both(OK, FORBIDDEN), "get"),
    (
        "campaign quotas (search)",
        _url("awards:campaign_quotas", "commune_campaign", "?q=tap+ngai"),
        _both(OK, FORBIDDEN),
        "get",
    ),
    (
        "campaign quotas (post)",
        _url("awards:campaign_quotas", "commune_campaign"),
        _both(REDIRECT, FORBIDDEN),
        "post",
    ),
    ("campaign review", _url("awards:campaign_review", "commune_campaign"), _both(OK, FORBIDDEN), "get"),
    (
        "campaign review export",
        _url("awards:campaign_review_export", "commune_campaign"),
        _both(OK, FORBIDDEN),
        "get",
    ),
    (
        "campaign review (per commune)",
        lambda ids: (
            reverse("awards:campaign_review", args=[ids["commune_campaign"]]) + f"?commune={ids['tap_ngai']}"
        ),
        _both(OK, FORBIDDEN),
        "get",
    ),
    ("nominate", _url("awards:nomination_create", "commune_campaign"), _both(FORBIDDEN, OK), "get"),
    # An empty post comes back with its errors: nothing is written.
    ("nominate (post)", _url("awards:nomination_create", "commune_campaign"), _both(FORBIDDEN, OK), "post"),
    ("nomination detail", _url("awards:nomination_detail", "tap_ngai_nomination"), _own(OK, OK), "get"),
    (
        "nomination detail (neighbour)",
        _url("awards:nomination_detail", "neighbour_nomination"),
        _expect(administrator=OK, new_vinh_long_staff=OK, neighbour_officer=OK),
        "get",
    ),
    # Submitted: the officer is sent back to its page, the unit withdraws it to draft to change it.
    ("nomination edit", _url("awards:nomination_update", "tap_ngai_nomination"), _own(REDIRECT), "get"),
    (
        "nomination edit (post)",
        _url("awards:nomination_update", "tap_ngai_nomination"),
        _own(REDIRECT),
        "post",
    ),
    (
        "nomination withdraw",
        _url("awards:nomination_withdraw", "tap_ngai_nomination"),
        _own(REDIRECT),
        "post",
    ),
    ("nomination submit", _url("awards:nomination_submit", "tap_ngai_draft"), _own(REDIRECT), "post"),
    (
        "nomination revise",
        _rejected("awards:nomination_revise", "tap_ngai_nomination"),
        _own(REDIRECT),
        "post",
    ),
    ("nomination delete (confirm)", _url("awards:nomination_delete", "tap_ngai_draft"), _own(OK), "get"),
    ("nomination delete", _url("awards:nomination_delete", "tap_ngai_draft"), _own(REDIRECT), "post"),
    (
        "nomination approve",
        _url("awards:nomination_approve", "tap_ngai_nomination"),
        _own(FORBIDDEN, staff=REDIRECT),
        "post",
    ),
    (
        "nomination reject (form)",
        _url("awards:nomination_reject", "tap_ngai_nomination"),
        _own(FORBIDDEN, staff=OK),
        "get",
    ),
    # Still waiting: nothing to change yet, back to the nomination.
    (
        "nomination change decision",
        _url("awards:nomination_decision_change", "tap_ngai_nomination"),
        _own(FORBIDDEN, staff=REDIRECT),
        "get",
    ),
    # The commune's own documents: its officer uploads to a draft (to this submitted one: sent back to its
    # page); the neighbour never reaches them; the province's staff read, not change.
    (
        "nomination document upload",
        _url("awards:nomination_document_upload", "tap_ngai_nomination"),
        _own(REDIRECT),
        "post",
    ),
    (
        "publish preview",
        _url("awards:campaign_publish_preview", "commune_campaign"),
        _both(OK, FORBIDDEN),
        "get",
    ),
]


@pytest.mark.parametrize("case", COMMUNE_CASES, ids=lambda c: c[0])
def test_scope_matrix_of_a_commune_campaign(case, reformed):
    _name, url, expect, method = case
    url = url(reformed)

    def check(persona):
        anonymous = persona == "anonymous"
        client = client_of(None if anonymous else User.objects.get(username=ALL_USERNAMES[persona]))
        response = ask(client, method, url)
        where = f"{persona} {method.upper()} {url}"
        assert_answer(response, where, logged_in=not anonymous)
        if anonymous:
            assert response.status_code == REDIRECT and "/login/" in response["Location"], where
        else:
            assert response.status_code == expect[persona], (
                f"{where}: {response.status_code}, not {expect[persona]}"
            )

    each_persona([*ALL_USERNAMES, "anonymous"], check)


# A branch secretary's account after the reform (bound to the secretary of the branch now in Xã Tập Ngãi):
# every staff page of the new world answers 404, as those of the old world did before the reform
# (tests/test_scope_matrix.py), and the pages that are the secretary's own still answer. An account without
# a staff role reads no staff page whatever units its branch moved between: the old world's staff pages are
# asked of it once, before the reform.
from tests.test_scope_matrix import SECRETARY_EXCEPTIONS  # noqa: E402


@pytest.mark.parametrize(
    "case", [*[c for c in CASES if c.name in SECRETARY_EXCEPTIONS], *NEW_WORLD_CASES], ids=lambda c: c.name
)
def test_scope_matrix_of_a_secretary_after_the_reform(case, world, client, tieu_can_secretary_account):
    login_verified(client, tieu_can_secretary_account)
    url = case.url(world)
    response = ask(client, case.method, url)
    assert_answer(response, f"secretary {case.method.upper()} {url}", logged_in=True)
    assert response.status_code == SECRETARY_EXCEPTIONS.get(case.name, NOT_FOUND), f"secretary {url}"
