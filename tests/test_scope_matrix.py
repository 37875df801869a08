"""Every portal URL × every persona: who gets the page, who gets 404, who must log in. Each is asked by a
browser set to English, and every answer is also checked for what holds whoever asks (tests/answers.py):
not stored by the browser of a logged-in user, and a page in Vietnamese.

Later features add their URLs to CASES. The objects come from the `world` fixture: one branch in Tiểu
Cần, one in Càng Long, one in another province (Vĩnh Long). A district officer must never reach another
district's records: those answer 404, exactly as if they did not exist.
"""

import importlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests.answers import ask, assert_answer, client_of, each_persona
from tests.conftest import PERSONAS
from tests.login import login_verified

# The world and the personas are built once for the module; each case runs in a savepoint rolled back
# after it, so a POST that changes something is undone before the next case (tests/conftest.py).
pytestmark = pytest.mark.usefixtures("world_once")

OK, REDIRECT, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 302, 403, 404, 405
LOGIN = "login"


@dataclass
class Case:
    name: str
    url: Callable[[dict], str]
    expect: dict  # persona → status; personas not named get `default`
    default: int | str = OK
    method: str = "get"

    def expected(self, persona: str):
        if persona == "anonymous":
            return LOGIN
        return self.expect.get(persona, self.default)


def in_tieu_can(status_elsewhere=NOT_FOUND, status_inside=OK):
    """Visible to the administrator, Trà Vinh staff and the Tiểu Cần officer only."""
    return {
        "administrator": status_inside,
        "tra_vinh_staff": status_inside,
        "tieu_can_officer": status_inside,
        "cang_long_officer": status_elsewhere,
        "vinh_long_staff": status_elsewhere,
    }


def branch_url(name, key="tieu_can"):
    return lambda world: reverse(name, args=[world[key].pk])


CASES = [
    Case("home", lambda w: reverse("home"), {}),
    Case("reminder settings", lambda w: reverse("reminders:settings"), {}),
    Case(
        "reminder settings (empty post)",
        lambda w: reverse("reminders:settings"),
        {},
        default=REDIRECT,
        method="post",
    ),
    Case("province list", lambda w: reverse("branches:province_list"), {}),
    Case(
        "province detail (Trà Vinh)",
        lambda w: reverse("branches:province_detail", args=["84"]),
        {"vinh_long_staff": NOT_FOUND},
    ),
    Case(
        "district detail (Tiểu Cần)",
        lambda w: reverse("branches:district_detail", args=["846"]),
        in_tieu_can(),
    ),
    Case(
        "district detail (Càng Long)",
        lambda w: reverse("branches:district_detail", args=["844"]),
        {**in_tieu_can(), "tieu_can_officer": NOT_FOUND, "cang_long_officer": OK},
    ),
    Case("commune detail (Hiếu Tử)", lambda w: w["tieu_can"].commune.get_absolute_url(), in_tieu_can()),
    Case("branch list", lambda w: reverse("branches:branch_list"), {}),
    Case("branch export", lambda w: reverse("branches:branch_export"), {}),
    Case("branch create", lambda w: reverse("branches:branch_create"), {}),
    Case("branch detail", branch_url("branches:branch_detail"), in_tieu_can()),
    Case("branch edit", branch_url("branches:branch_update"), in_tieu_can()),
    Case("branch deactivate (confirm)", branch_url("branches:branch_deactivate"), in_tieu_can()),
    Case(
        "branch deactivate",
        branch_url("branches:branch_deactivate"),
        in_tieu_can(status_inside=REDIRECT),
        method="post",
    ),
    Case(
        "branch reactivate",
        branch_url("branches:branch_reactivate"),
        in_tieu_can(status_inside=REDIRECT),
        method="post",
    ),
    Case("branch reactivate by GET", branch_url("branches:branch_reactivate"), {}, default=NOT_ALLOWED),
    Case("commune autocomplete", lambda w: reverse("branches:commune_autocomplete"), {}),
    Case("district autocomplete", lambda w: reverse("branches:district_autocomplete"), {}),
    Case("password change", lambda w: reverse("password_change"), {}),
    Case("branch autocomplete", lambda w: reverse("branches:branch_autocomplete"), {}),
    # Branches across the reform: the work list is the province's (and the administrator's) to settle.
    Case(
        "branches waiting for a new commune",
        lambda w: reverse("branches:branch_waiting"),
        {"tieu_can_officer": FORBIDDEN, "cang_long_officer": FORBIDDEN},
    ),
    Case(
        "branches waiting (empty post)",
        lambda w: reverse("branches:branch_waiting"),
        {"tieu_can_officer": FORBIDDEN, "cang_long_officer": FORBIDDEN},
        method="post",
    ),
    # Hamlets re-arranged: merge and split, by whoever manages the branch.
    Case("branch merge (form)", branch_url("secretaries:branch_merge"), in_tieu_can()),
    Case("branch merge (empty post)", branch_url("secretaries:branch_merge"), in_tieu_can(), method="post"),
    Case("branch split (form)", branch_url("secretaries:branch_split"), in_tieu_can()),
    Case("branch split (empty post)", branch_url("secretaries:branch_split"), in_tieu_can(), method="post"),
    # Secretaries
    Case("secretary list", lambda w: reverse("secretaries:person_list"), {}),
    Case("secretary export", lambda w: reverse("secretaries:person_export"), {}),
    Case("secretary create", lambda w: reverse("secretaries:person_create"), {}),
    Case("vacancies", lambda w: reverse("secretaries:vacancy_list"), {}),
    Case("vacancy export", lambda w: reverse("secretaries:vacancy_export"), {}),
    Case("appoint", lambda w: reverse("secretaries:appoint"), {}),
    Case("person autocomplete", lambda w: reverse("secretaries:person_autocomplete"), {}),
    Case("secretary detail", branch_url("secretaries:person_detail", "tieu_can_person"), in_tieu_can()),
    Case("secretary edit", branch_url("secretaries:person_update", "tieu_can_person"), in_tieu_can()),
    Case("secretary portrait", branch_url("secretaries:person_portrait", "tieu_can_person"), in_tieu_can()),
    Case("secretary thumbnail", branch_url("secretaries:person_thumbnail", "tieu_can_person"), in_tieu_can()),
    Case(
        "portrait remove (confirm)",
        branch_url("secretaries:person_portrait_remove", "tieu_can_person"),
        in_tieu_can(),
    ),
    Case(
        "portrait remove",
        branch_url("secretaries:person_portrait_remove", "tieu_can_person"),
        in_tieu_can(status_inside=REDIRECT),
        method="post",
    ),
    Case("term end (form)", branch_url("secretaries:term_end", "tieu_can_term"), in_tieu_can()),
    Case("term end", branch_url("secretaries:term_end", "tieu_can_term"), in_tieu_can(), method="post"),
    Case("term extend (form)", branch_url("secretaries:term_extend", "tieu_can_term"), in_tieu_can()),
    Case("term extend", branch_url("secretaries:term_extend", "tieu_can_term"), in_tieu_can(), method="post"),
    # Assessments
    Case("assessment list", lambda w: reverse("assessments:assessment_list"), {}),
    Case("assessment export", lambda w: reverse("assessments:assessment_export"), {}),
    # The world's secretary has a 2026 draft already: "assess" leads to it.
    Case(
        "assess a secretary",
        lambda w: reverse("assessments:assessment_create") + f"?person={w['tieu_can_person'].pk}",
        in_tieu_can(status_inside=REDIRECT),
    ),
    Case(
        "commune grid",
        lambda w: reverse("assessments:commune_grid", args=[w["tieu_can"].commune.code]),
        in_tieu_can(),
    ),
    Case(
        "commune grid (post)",
        lambda w: reverse("assessments:commune_grid", args=[w["tieu_can"].commune.code]),
        in_tieu_can(status_inside=REDIRECT),
        method="post",
    ),
    Case(
        "assessment detail", branch_url("assessments:assessment_detail", "tieu_can_assessment"), in_tieu_can()
    ),
    Case(
        "assessment edit", branch_url("assessments:assessment_update", "tieu_can_assessment"), in_tieu_can()
    ),
    Case(
        "assessment submit",
        branch_url("assessments:assessment_submit", "tieu_can_assessment"),
        in_tieu_can(status_inside=REDIRECT),
        method="post",
    ),
    # Confirming is for provincial staff: a district officer in scope gets 403.
    Case(
        "assessment confirm",
        branch_url("assessments:assessment_confirm", "tieu_can_assessment"),
        {**in_tieu_can(status_inside=REDIRECT), "tieu_can_officer": FORBIDDEN},
        method="post",
    ),
    Case(
        "assessment reopen (form)",
        branch_url("assessments:assessment_reopen", "tieu_can_assessment"),
        {**in_tieu_can(), "tieu_can_officer": FORBIDDEN},
    ),
    Case(
        "assessment return (form)",
        branch_url("assessments:assessment_return", "tieu_can_assessment"),
        {**in_tieu_can(), "tieu_can_officer": FORBIDDEN},
    ),
    Case(
        "confirm many",
        lambda w: reverse("assessments:assessment_confirm_many"),
        {
            "administrator": REDIRECT,
            "tra_vinh_staff": REDIRECT,
            "vinh_long_staff": REDIRECT,
            "tieu_can_officer": FORBIDDEN,
            "cang_long_officer": FORBIDDEN,
        },
        method="post",
    ),
    # Assessment reports: every role gets its own scope's numbers (tests/assessments/test_reports.py).
    Case("assessment summary", lambda w: reverse("assessments:summary"), {}),
    Case(
        "assessment summary (a framework)",
        lambda w: reverse("assessments:summary") + f"?framework={w['tieu_can_assessment'].framework_id}",
        {},
    ),
    Case("training needs", lambda w: reverse("assessments:training_needs") + "?threshold=4,5", {}),
    Case("training needs export", lambda w: reverse("assessments:training_needs_export"), {}),
]


# Features may keep their cases beside their tests: a module with a CASES list of Case (from this file).
EXTRA_CASE_MODULES = [
    "tests.seminars.scope_cases_seminars",
    "tests.seminars.scope_cases_followup",
    "tests.seminars.scope_cases_photos",
    "tests.seminars.scope_cases_programmes",
    "tests.awards.scope_cases_campaigns",
    "tests.awards.scope_cases_nominations",
    "tests.awards.scope_cases_commendations",
    "tests.core.scope_cases_imports",
    "tests.secretaries.scope_cases_accounts",
    "tests.core.scope_cases_jobs",
    "tests.assessments.scope_cases_frameworks",
]
for _module in EXTRA_CASE_MODULES:
    CASES += importlib.import_module(_module).CASES


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_scope_matrix(case, world, request):
    """The page as each persona in turn (tests.answers.each_persona: each undone before the next)."""
    url = case.url(world)

    def check(persona):
        client = client_of(None if persona == "anonymous" else request.getfixturevalue(persona))
        response = ask(client, case.method, url)
        where = f"{persona} {case.method.upper()} {url}"
        assert_answer(response, where, logged_in=persona != "anonymous")
        expected = case.expected(persona)
        if expected == LOGIN:
            if case.name == "branch reactivate by GET":
                assert response.status_code == NOT_ALLOWED, where
                return
            assert response.status_code == REDIRECT, where
            assert response["Location"].startswith(reverse("login")), where
        else:
            assert response.status_code == expected, f"{where}: {response.status_code}, not {expected}"

    each_persona(PERSONAS, check)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.name not in {"password change"}], ids=lambda c: c.name
)
def test_account_without_role_is_forbidden(case, world, no_role_user, client):
    login_verified(client, no_role_user)
    url = case.url(world)
    response = ask(client, case.method, url)
    assert_answer(response, f"no role {case.method.upper()} {url}", logged_in=True)
    assert response.status_code in (FORBIDDEN, NOT_ALLOWED)


# A branch secretary's account (the "secretary" persona, bound to the world's Tiểu Cần secretary): every
# staff page answers 404, their own person page included; they use their own pages (/toi/).
from tests.secretaries.scope_cases_accounts import OWN_URLS  # noqa: E402 (loaded with the cases above)

SECRETARY_EXCEPTIONS = {
    "home": REDIRECT,  # to their own page
    "password change": OK,
    "branch reactivate by GET": NOT_ALLOWED,
    # Their own self-assessments; anyone else's answers 404 (tests/assessments/test_self_assessment.py).
    # The world's Tiểu Cần assessment is theirs but the unit's own draft, which their pages do not list
    # (AssessmentQuerySet.seen_by_person): 404 too, until the unit sends it.
    "self-assessment list": OK,
    "self-assessment detail": NOT_FOUND,
}


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_scope_matrix_of_a_secretary(case, world, client, tieu_can_secretary_account):
    login_verified(client, tieu_can_secretary_account)
    url = case.url(world)
    response = ask(client, case.method, url)
    assert_answer(response, f"secretary {case.method.upper()} {url}", logged_in=True)
    assert response.status_code == SECRETARY_EXCEPTIONS.get(case.name, NOT_FOUND), f"secretary {url}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(OWN_URLS))
def test_own_pages_are_only_the_secretarys(
    name, persona, world, as_persona, client, tieu_can_secretary_account
):
    url = OWN_URLS[name](world)
    response = as_persona(persona).get(url)
    if persona == "anonymous":
        assert response.status_code == REDIRECT and response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == NOT_FOUND, f"{persona} {url}"
    client.logout()
    assert login_verified(client, tieu_can_secretary_account).get(url).status_code == OK
