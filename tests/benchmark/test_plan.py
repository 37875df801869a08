"""The bench's pure parts: who is asked for which page, how an answer is classed, percentiles, budgets.
No database: the ids of the worlds are made up here (run.py reads them from the bench database)."""

import pytest

from tests.benchmark.plan import (
    ADMINISTRATOR,
    COMMUNE,
    DISTRICT,
    ERROR,
    MEASURED,
    NO_DATA,
    NOT_ALLOWED,
    PAGES,
    PERSONAS,
    PROVINCIAL,
    REDIRECT,
    Budgets,
    PageFigures,
    ThroughputFigures,
    admin_pages,
    build_plan,
    check_budgets,
    classify,
    percentile,
    persona_summaries,
    summarise,
)

OLD = {
    "province_code": "84",
    "district_code": "846",
    "unit_filter": "district=7",
    "commune_code": "29329",
    "commune_id": "11",
    "branch_id": "5",
    "person_id": "6",
    "term_id": "8",
    "seminar_id": "9",
    "framework_2025_id": "3",
    "open_campaign_id": "12",
    "decided_campaign_id": "13",
    "assessment_id": "14",
    "nomination_id": "15",
    "commendation_id": "16",
    "initiative_id": "17",
    "programme_id": "18",
    "import_kind": "branches",
}
# The new world has no districts.
NEW = {key: value for key, value in OLD.items() if key != "district_code"} | {"unit_filter": "commune=11"}
ADMIN_MODELS = [("branches", "branch", "1"), ("accounts", "user", "2"), ("awards", "quota", None)]


def plan_for(**kwargs):
    pages = [*PAGES, *admin_pages(ADMIN_MODELS)]
    return build_plan(PERSONAS, pages, {"old": OLD, "new": NEW}, **kwargs)


def by_pair(plan):
    return {(p.persona, p.page): p for p in plan}


def test_every_page_for_every_persona_is_settled_once():
    plan = plan_for()
    pages = [*PAGES, *admin_pages(ADMIN_MODELS)]
    assert len(plan) == len(PERSONAS) * len(pages)
    assert len(by_pair(plan)) == len(plan)
    names = [page.name for page in pages]
    assert len(names) == len(set(names)), "page names are the table's keys"


def test_every_placeholder_of_the_catalogue_is_filled_in_the_old_world():
    plan = by_pair(plan_for())
    administrator = PERSONAS[0]
    assert administrator.role == ADMINISTRATOR
    for page in PAGES:
        planned = plan[(administrator.name, page.name)]
        assert planned.path is not None, page.name
        assert "{" not in planned.path and "}" not in planned.path


def test_admin_pages_are_the_administrators_only():
    plan = by_pair(plan_for())
    for persona in PERSONAS:
        planned = plan[(persona.name, "admin branches.branch list")]
        if persona.role == ADMINISTRATOR:
            assert planned.path == "/admin/branches/branch/" and planned.outcome is None
            assert (
                plan[(persona.name, "admin branches.branch change")].path
                == "/admin/branches/branch/1/change/"
            )
            assert plan[(persona.name, "admin index")].path == "/admin/"
        else:
            assert planned.path is None and planned.outcome == NOT_ALLOWED


def test_a_model_without_rows_has_no_change_page_to_ask():
    plan = by_pair(plan_for())
    administrator = PERSONAS[0].name
    assert plan[(administrator, "admin awards.quota list")].path == "/admin/awards/quota/"
    assert plan[(administrator, "admin awards.quota change")].outcome == NO_DATA


def test_staff_pages_are_not_asked_for_officers():
    plan = by_pair(plan_for())
    for persona in PERSONAS:
        planned = plan[(persona.name, "branches waiting")]
        if persona.role in (ADMINISTRATOR, PROVINCIAL):
            assert planned.path == "/branches/waiting/"
        else:
            assert persona.role in (DISTRICT, COMMUNE)
            assert planned.outcome == NOT_ALLOWED and planned.path is None


def test_the_new_world_has_no_district_page():
    plan = by_pair(plan_for())
    commune_officer = next(p for p in PERSONAS if p.role == COMMUNE)
    assert commune_officer.world == "new"
    assert plan[(commune_officer.name, "district")].outcome == NO_DATA
    assert plan[(commune_officer.name, "secretary export")].path == "/secretaries/export.xlsx?commune=11"
    district_officer = next(p for p in PERSONAS if p.role == DISTRICT)
    assert plan[(district_officer.name, "district")].path == "/districts/846/"


def test_only_and_persona_narrow_the_plan():
    plan = plan_for(only=["branch search", "vacancies"], persona_filter=["commune"])
    assert {(p.persona, p.page) for p in plan} == {
        ("commune officer (new)", "branch search"),
        ("commune officer (new)", "vacancies"),
    }


@pytest.mark.parametrize(
    ("status", "outcome"),
    [(200, MEASURED), (403, NOT_ALLOWED), (404, NOT_ALLOWED), (302, REDIRECT), (500, ERROR), (None, ERROR)],
)
def test_answers_are_classed(status, outcome):
    assert classify(status) == outcome


def test_a_405_is_noted_not_measured_nor_an_error():
    assert classify(405) not in (MEASURED, ERROR, NOT_ALLOWED)


def test_percentiles_are_nearest_rank():
    samples = [float(n) for n in range(1, 21)]  # 1…20
    assert percentile(samples, 0.95) == 19
    assert percentile(samples, 0.5) == 10
    assert percentile(samples, 1.0) == 20
    assert percentile(list(reversed(samples[:10])), 0.95) == 10  # the largest of ten, order not assumed
    assert percentile([7.0], 0.95) == 7
    assert summarise([1.0, 2.0, 3.0, 100.0]) == {"median_ms": 2.5, "p95_ms": 100.0}
    with pytest.raises(ValueError):
        percentile([], 0.5)


def test_budgets():
    budgets = Budgets()
    pages = [
        PageFigures("p", "fine", PROVINCIAL, 40, 90, 7.9, 12),
        PageFigures("p", "slow", PROVINCIAL, 151, 301, 8.1, 41),
        # The administrator's pages (the whole country) are held to the times, not to the ratio.
        PageFigures("a", "national", ADMINISTRATOR, 100, 200, 30, 10),
    ]
    throughputs = [
        ThroughputFigures("branch list", "list", 79.5, 0),
        ThroughputFigures("home", "dashboard", 20.0, 2),
    ]
    violations = check_budgets(pages, throughputs, budgets)
    assert sorted((v.subject, v.rule) for v in violations) == [
        ("p / slow", "median ms"),
        ("p / slow", "p95 ms"),
        ("p / slow", "queries"),
        ("p / slow", "× healthz"),
        ("throughput: branch list", "req/s"),
        ("throughput: home", "errors"),
    ]
    shortfall = next(v for v in violations if v.rule == "req/s")
    assert str(shortfall) == "throughput: branch list: req/s 79.5 < 80"
    assert check_budgets(pages[:1], [ThroughputFigures("branch list", "list", 120, 0)], budgets) == []


def test_persona_summaries():
    pages = [
        PageFigures("district", "list", DISTRICT, 12.0, 20, 7.5, 8),
        PageFigures("district", "home", DISTRICT, 30.0, 40, 15.0, 14),
        PageFigures("district", "form", DISTRICT, 6.0, 9, 3.0, 4),
        PageFigures("district", "forbidden", DISTRICT),  # not measured (a 403): left out
        PageFigures("admin", "national", ADMINISTRATOR, 90.0, 120, 40.0, 10),
    ]
    district, admin = persona_summaries(pages)
    assert (district.persona, district.pages, district.median_ms, district.median_ratio) == (
        "district",
        3,
        12.0,
        7.5,
    )
    assert (district.slowest_ms, district.slowest_page, district.over_ratio) == (30.0, "home", 1)
    assert str(district) == (
        "district: 3 pages, median page 12.0 ms, median × healthz 7.5, slowest 30.0 ms (home), "
        "1 over the ratio"
    )
    # The administrator is held to the times only: no ratio, nothing over it.
    assert (admin.median_ratio, admin.over_ratio) == (None, None)
    assert str(admin) == "admin: 1 page, median page 90.0 ms, slowest 90.0 ms (national)"
