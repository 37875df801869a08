"""The reading side of assessments: the summary, the training needs and their export, the list's export, a
person's years.

The numbers are worked out by hand below. Scores per skill group (groups of 4, 4 and 3 criteria, all
weights 1), 2026 framework, scale 1–5, thresholds 4.5 / 3.5 / 2.5:

| who (branch, district)         | status    | groups    | overall          | rating        |
|--------------------------------|-----------|-----------|------------------|---------------|
| Nguyễn Văn Tèo (Hiếu Tử, TC)   | confirmed | 4, 3, 5   | 43/11 = 3.91     | well          |
| Trần Văn An (Hiếu Tử, TC)      | submitted | 5, 5, 5   | 5.00             | excellently   |
| Lý Thị Nháp (Long Thới, TC)    | draft     | 1, 1, 1   | 1.00             | (not counted) |
| Lê Thị Hồng Nhung (An Trường, CL) | submitted | 2, 2, 1 | 19/11 = 1.73     | did not       |
"""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import selectors, services
from assessments.models import Assessment, Framework, Rating
from branches.divisions import REFORM_DAY
from branches.rollup import TODAY
from tests.conftest import assert_counts_did_not_grow
from tests.excel import assert_staff_layout, read_export, table_rows
from tests.factories import BranchFactory, CommuneFactory, DistrictFactory, UserFactory, person_with_term
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")

D = Decimal


def by_group(criteria, *group_values, **overrides) -> dict:
    """criterion id → the value given for its skill group (by order); overrides by position: c0=1."""
    values = {c.pk: group_values[c.group.order - 1] for c in criteria}
    for key, value in overrides.items():
        values[criteria[int(key[1:])].pk] = value
    return values


@pytest.fixture
def assessor(tra_vinh):
    return UserFactory(username="danhgia.tinh", role="provincial_staff", province=tra_vinh)


@pytest.fixture
def assess(framework, criteria, assessor):
    """assess(person, 4, 3, 5, status=...) → an assessment with those group scores in that status."""

    def make(
        person, *group_values, status=Assessment.Status.SUBMITTED, framework=framework, criteria=criteria
    ):
        assessment = services.assessment_save(
            person=person,
            framework=framework,
            assessor=assessor,
            values=by_group(criteria, *group_values),
        )
        if status != Assessment.Status.DRAFT:
            services.assessment_submit(assessment=assessment)
        if status == Assessment.Status.CONFIRMED:
            services.assessment_confirm(assessment=assessment, user=assessor)
        return assessment

    return make


@pytest.fixture
def long_thoi(tieu_can):
    return CommuneFactory(code="29362", name="Xã Long Thới", district=tieu_can)


@pytest.fixture
def scored(world, assess, long_thoi):
    """The four assessments of the table in the module docstring."""
    hieu_tu = world["tieu_can"].commune
    an = person_with_term(branch=BranchFactory(commune=hieu_tu, name="Ấp Định Phú"), full_name="Trần Văn An")
    nhap = person_with_term(
        branch=BranchFactory(commune=long_thoi, name="Ấp Ô Đùng"), full_name="Lý Thị Nháp"
    )
    return {
        "teo": assess(world["tieu_can_person"], 4, 3, 5, status=Assessment.Status.CONFIRMED),
        "an": assess(an, 5, 5, 5),
        "nhap": assess(nhap, 1, 1, 1, status=Assessment.Status.DRAFT),
        "nhung": assess(world["cang_long_person"], 2, 2, 1),
    }


def ratings_of(shares) -> dict:
    return {share.value: (share.count, round(share.percent, 1)) for share in shares}


# ---------------------------------------------------------------------------------------------------
# Summary


def test_scores_are_as_the_table_says(scored):
    assert [scored[k].overall_score for k in ("teo", "an", "nhap", "nhung")] == [
        D("3.91"),
        D("5.00"),
        D("1.00"),
        D("1.73"),
    ]


def test_province_summary_counts_submitted_and_confirmed_only(scored, tra_vinh_staff, framework):
    report = selectors.summary(user=tra_vinh_staff, framework=framework)
    assert (report.counted, report.drafts, report.submitted, report.confirmed) == (3, 1, 2, 1)
    assert report.average == D("3.55")  # (3.91 + 5.00 + 1.73) / 3 = 3.5466…; the draft's 1.00 is left out
    assert [g.average for g in report.groups] == [D("3.67"), D("3.33"), D("3.67")]
    assert report.criteria[0].average == D("3.67") and report.criteria[0].scored == 3
    assert [c.average for c in report.criteria[4:8]] == [D("3.33")] * 4
    assert ratings_of(report.ratings) == {
        Rating.EXCELLENT: (1, 33.3),
        Rating.GOOD: (1, 33.3),
        Rating.FULFILLED: (0, 0.0),
        Rating.NOT_FULFILLED: (1, 33.3),
    }
    assert report.level == "district"
    by_unit = {row.unit.name: row for row in report.units}
    assert set(by_unit) == {"Huyện Tiểu Cần", "Huyện Càng Long"}
    tieu_can, cang_long = by_unit["Huyện Tiểu Cần"], by_unit["Huyện Càng Long"]
    assert (tieu_can.counted, tieu_can.drafts, tieu_can.average) == (2, 1, D("4.46"))  # 8.91 / 2, half up
    assert [g.average for g in tieu_can.groups] == [D("4.50"), D("4.00"), D("5.00")]
    assert ratings_of(tieu_can.ratings)[Rating.EXCELLENT] == (1, 50.0)
    assert (cang_long.counted, cang_long.drafts, cang_long.average) == (1, 0, D("1.73"))
    assert [g.average for g in cang_long.groups] == [D("2.00"), D("2.00"), D("1.00")]


def test_a_draft_changes_nothing_but_the_draft_count(scored, tra_vinh_staff, framework, assess, long_thoi):
    before = selectors.summary(user=tra_vinh_staff, framework=framework)
    other = person_with_term(branch=BranchFactory(commune=long_thoi), full_name="Phạm Văn Chưa")
    assess(other, 1, 1, 1, status=Assessment.Status.DRAFT)
    after = selectors.summary(user=tra_vinh_staff, framework=framework)
    assert after.drafts == before.drafts + 1
    assert (after.counted, after.average, after.groups, after.ratings) == (
        before.counted,
        before.average,
        before.groups,
        before.ratings,
    )


def test_district_officer_sees_own_district_per_commune(scored, tieu_can_officer, framework, long_thoi):
    report = selectors.summary(user=tieu_can_officer, framework=framework)
    assert (report.level, report.counted, report.drafts, report.average) == ("commune", 2, 1, D("4.46"))
    rows = {row.unit.name: (row.counted, row.drafts, row.average) for row in report.units}
    assert rows == {"Xã Hiếu Tử": (2, 0, D("4.46")), "Xã Long Thới": (0, 1, None)}


def test_administrator_sees_per_province(scored, administrator, framework, assess, vinh_long_branch):
    assess(person_with_term(branch=vinh_long_branch, full_name="Đỗ Văn Xa"), 3, 3, 3)
    report = selectors.summary(user=administrator, framework=framework)
    assert report.level == "province" and report.counted == 4
    assert {row.unit.name: row.counted for row in report.units} == {"Tỉnh Trà Vinh": 3, "Tỉnh Vĩnh Long": 1}


def test_the_national_summary_rolled_up_reads_todays_province_from_the_totals(
    scored, administrator, framework, assess, vinh_long_branch
):
    """Rolled up to today's provinces, the administrator's summary groups the totals by the province they
    keep (branch_province), without joining each row to its commune: 30,000 rows on national data."""
    assess(person_with_term(branch=vinh_long_branch, full_name="Đỗ Văn Xa"), 3, 3, 3)
    with CaptureQueriesContext(connection) as queries:
        report = selectors.summary(user=administrator, framework=framework, units=TODAY)
    assert report.level == "province"
    assert {row.unit.name: row.counted for row in report.units} == {"Tỉnh Trà Vinh": 3, "Tỉnh Vĩnh Long": 1}
    on_totals = re.compile(r'FROM "assessments_\w+total"')
    totals = [q["sql"] for q in queries.captured_queries if on_totals.search(q["sql"])]
    assert len(totals) == 3 and not any("branches_commune" in sql for sql in totals), totals


def test_communes_without_a_district_have_their_own_row(scored, tra_vinh_staff, framework, assess, tra_vinh):
    new_commune = CommuneFactory(code="29999", name="Phường Mới", district=None, province=tra_vinh)
    assess(person_with_term(branch=BranchFactory(commune=new_commune), full_name="Võ Thị Mới"), 4, 4, 4)
    report = selectors.summary(user=tra_vinh_staff, framework=framework)
    assert report.units[-1].unit is None and report.units[-1].counted == 1


def test_summary_page_in_vietnamese_numbers(client, scored, tra_vinh_staff, framework):
    login_verified(client, tra_vinh_staff)
    response = client.get(reverse("assessments:summary"))
    assert response.status_code == 200
    assert response.context["framework"] == framework  # the latest with assessments in scope
    html = response.content.decode()
    assert 'data-stat="average">3,55<' in html
    assert "4,46" in html and "Huyện Càng Long" in html
    assert 'id="group-chart" type="application/json"' in html and "js/charts.js" in html
    # Served by the portal itself: no script, style or image from another site (a check for the word "cdn"
    # failed once on a CSRF token that held it).
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)


def test_summary_unit_rows_are_drawn_escaped_with_their_links(client, scored, tra_vinh_staff, framework):
    """The table of units is drawn in the view (report_views._draw_units): a unit's name escaped and linked
    to its assessments as recorded (none as today's units), the counts, the averages and the ratings with
    their share, the Vietnamese decimal comma."""
    district = scored["nhung"].district
    district.name = "Huyện <b>Càng</b> Long"
    district.save(update_fields=["name"])
    login_verified(client, tra_vinh_staff)
    html = client.get(reverse("assessments:summary")).content.decode()
    row = next(r for r in html.split("<tr>") if "Càng" in r and "&lt;b&gt;" in r)
    link = f"{reverse('assessments:assessment_list')}?framework={framework.pk}&amp;district={district.pk}"
    assert f'<a href="{link}">Huyện &lt;b&gt;Càng&lt;/b&gt; Long</a>' in row and "<b>" not in row
    assert '<td class="text-end fw-semibold">1,73</td>' in row  # Nhung's overall score alone
    assert '<span class="small text-muted">(100,0%)</span>' in row  # one of one in a rating
    # Rolled up to today's units (here communes): each named, not linked (no list of a unit of today).
    commune = scored["nhung"].branch.commune
    commune.name = "Xã <i>An</i> Trường"
    commune.save(update_fields=["name"])
    today = client.get(reverse("assessments:summary"), {"units": "today"}).content.decode()
    row = next(r for r in today.split("<tr>") if "&lt;i&gt;" in r)
    assert row.startswith("<td>Xã &lt;i&gt;An&lt;/i&gt; Trường</td>") and "<a " not in row


def test_cang_long_officer_never_sees_tieu_can(client, scored, cang_long_officer, framework):
    client.force_login(cang_long_officer)
    for name in ("assessments:summary", "assessments:training_needs"):
        response = client.get(reverse(name), {"threshold": "5"})
        html = response.content.decode()
        assert response.status_code == 200
        for outside in ("Tiểu Cần", "Hiếu Tử", "Nguyễn Văn Tèo", "Trần Văn An", "4,46", "3,55"):
            assert outside not in html, (name, outside)
    report = client.get(reverse("assessments:summary")).context["report"]
    assert (report.counted, report.drafts, report.average) == (1, 0, D("1.73"))
    needs = client.get(reverse("assessments:training_needs"), {"threshold": "5"}).context["needs"]
    assert {p.full_name for g in needs.groups for p in g.people} == {"Lê Thị Hồng Nhung"}


def test_empty_state_without_counted_assessments(client, scored, vinh_long_staff, framework):
    login_verified(client, vinh_long_staff)
    for name in ("assessments:summary", "assessments:training_needs"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert 'class="empty-state' in response.content.decode()
        assert "<canvas" not in response.content.decode()


def test_another_framework_is_chosen_by_pk(client, scored, tra_vinh_staff, framework):
    older = services.framework_copy(framework=framework, year=2025)
    login_verified(client, tra_vinh_staff)
    response = client.get(reverse("assessments:summary"), {"framework": older.pk})
    assert response.context["framework"] == older and response.context["report"].counted == 0
    response = client.get(reverse("assessments:summary"), {"framework": "999999"})
    assert response.status_code == 200 and response.context["framework"] == framework
    assert "framework" in response.context["form"].errors


def test_another_provinces_framework_is_neither_offered_nor_taken(
    client, scored, tra_vinh_staff, framework, vinh_long_branch
):
    """The reports' framework select, like every form, is scoped: Vĩnh Long's own framework is not listed for
    Trà Vinh's staff, and asked for by its key it is refused like an unknown one (the default is shown)."""
    vinh_long_own = services.framework_copy(
        framework=framework,
        year=2027,
        name="Bộ tiêu chí riêng của Vĩnh Long",
        province=vinh_long_branch.commune.province,
    )
    login_verified(client, tra_vinh_staff)
    for name in ("assessments:summary", "assessments:training_needs"):
        page = client.get(reverse(name))
        assert "Bộ tiêu chí riêng của Vĩnh Long" not in page.content.decode()
        asked = client.get(reverse(name), {"framework": vinh_long_own.pk})
        assert asked.status_code == 200 and asked.context["framework"] == framework
        assert "framework" in asked.context["form"].errors


def test_a_framework_nobody_in_scope_used_is_said_so_and_offered_after(
    client, scored, tra_vinh_staff, framework, vinh_long_staff, world
):
    """Two frameworks of one year, of almost the same name: the one without assessments in the reader's scope
    says so and comes after the one in use (QA2 finding 8: an empty report looked like the real one)."""
    unused = services.framework_copy(
        framework=framework,
        year=framework.year,
        name=f"{framework.name} — Tỉnh đoàn",
        province=world["tieu_can"].commune.province,
    )

    def offered(persona, name):
        login_verified(client, persona)
        options = re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', client.get(reverse(name)).text)
        return [int(pk) for pk, _ in options], {int(pk): label for pk, label in options}

    for name in ("assessments:summary", "assessments:training_needs"):
        order, labels = offered(tra_vinh_staff, name)
        assert labels[unused.pk].endswith("— chưa có đánh giá"), name
        assert not labels[framework.pk].endswith("— chưa có đánh giá"), name
        assert order.index(framework.pk) < order.index(unused.pk), name
        # Trà Vinh's assessments of the common framework are not in Vĩnh Long's scope.
        order, labels = offered(vinh_long_staff, name)
        assert labels[framework.pk].endswith("— chưa có đánh giá"), name


# ---------------------------------------------------------------------------------------------------
# Training needs


def test_weakest_criteria_first_and_threshold(scored, tra_vinh_staff, framework):
    needs = selectors.training_needs(user=tra_vinh_staff, framework=framework, threshold=D("3.0"))
    assert needs.counted == 3
    # Group 2's criteria average 3.33, the others 3.67: group 2 first, ties in the framework's order.
    assert [w.criterion.group.order for w in needs.criteria] == [2] * 4 + [1] * 4 + [3] * 3
    assert [w.criterion.order for w in needs.criteria[:4]] == [1, 2, 3, 4]
    assert (
        needs.criteria[0].average == D("3.33") and needs.criteria[0].below == 1
    )  # Nhung's 2; Tèo's 3 is not
    people = {g.group.order: [p.full_name for p in g.people] for g in needs.groups}
    assert people == {1: ["Lê Thị Hồng Nhung"], 2: ["Lê Thị Hồng Nhung"], 3: ["Lê Thị Hồng Nhung"]}

    higher = selectors.training_needs(user=tra_vinh_staff, framework=framework, threshold=D("3.5"))
    group_2 = higher.groups[1]
    assert [(p.full_name, p.score) for p in group_2.people] == [
        ("Lê Thị Hồng Nhung", D("2.00")),
        ("Nguyễn Văn Tèo", D("3.00")),
    ]
    assert higher.criteria[0].below == 2


def test_drafts_are_no_training_need(scored, tieu_can_officer, framework):
    needs = selectors.training_needs(user=tieu_can_officer, framework=framework, threshold=D("5"))
    names = {p.full_name for g in needs.groups for p in g.people}
    assert "Lý Thị Nháp" not in names and names == {"Nguyễn Văn Tèo"}


def test_everyone_is_listed_grouped_by_unit(scored, assess, tra_vinh_staff, framework, long_thoi):
    # Thirty more below the threshold in Tiểu Cần: more than the page used to list ("và 11 người khác").
    for n in range(30):
        person = person_with_term(
            branch=BranchFactory(commune=long_thoi, name=f"Ấp {n}"), full_name=f"Phạm Văn Số {n:02d}"
        )
        assess(person, 4, 2, 4)
    needs = selectors.training_needs(user=tra_vinh_staff, framework=framework, threshold=D("3.5"))
    group_2 = needs.groups[1]
    assert group_2.count == 32 and group_2.more == 0 and len(group_2.people) == 32
    # Per unit, in the units table's order (Càng Long 844 before Tiểu Cần 846), the weakest first in each.
    assert [(s.level, s.unit.name, len(s.people)) for s in group_2.units] == [
        ("district", "Huyện Càng Long", 1),
        ("district", "Huyện Tiểu Cần", 31),
    ]
    tieu_can = [p.score for p in group_2.units[1].people]
    assert tieu_can == sorted(tieu_can) and tieu_can[-1] == D("3.00")
    assert not needs.too_many


def test_too_many_to_list_asks_for_a_unit_instead_of_cutting(scored, tra_vinh_staff, framework):
    needs = selectors.training_needs(user=tra_vinh_staff, framework=framework, threshold=D("5"), limit=3)
    assert needs.too_many and all(g.units == [] and g.more == g.count for g in needs.groups)
    narrowed = selectors.training_needs(
        user=tra_vinh_staff,
        framework=framework,
        threshold=D("5"),
        limit=3,
        unit=("district", scored["nhung"].district_id),
    )
    assert not narrowed.too_many
    assert {p.full_name for g in narrowed.groups for p in g.people} == {"Lê Thị Hồng Nhung"}


def test_the_page_is_filtered_by_a_unit_of_the_scope(client, scored, tra_vinh_staff, cang_long_officer):
    cang_long, tieu_can = scored["nhung"].district, scored["teo"].district
    login_verified(client, tra_vinh_staff)
    url = reverse("assessments:training_needs")
    response = client.get(url, {"threshold": "5", "unit": f"district:{cang_long.pk}"})
    needs = response.context["needs"]
    assert needs.unit == ("district", cang_long) and needs.counted == 1
    assert {p.full_name for g in needs.groups for p in g.people} == {"Lê Thị Hồng Nhung"}
    # The criteria are those of the unit only: Nhung's 2, 2, 1.
    assert max(w.average for w in needs.criteria) == D("2.00")
    html = response.content.decode()
    assert f'value="district:{tieu_can.pk}"' in html and f'value="district:{cang_long.pk}" selected' in html
    assert "› Huyện Càng Long" in html  # the unit is printed under the title
    # Every unit stays in the table, each a link to narrow the page to it, drawn in the view
    # (report_views._draw_per_unit): the name escaped, the chosen unit marked.
    assert [unit.name for _level, unit, _n in needs.per_unit] == ["Huyện Càng Long", "Huyện Tiểu Cần"]
    tieu_can.name = "Huyện <b>Tiểu</b> Cần"
    tieu_can.save(update_fields=["name"])
    html = client.get(url, {"threshold": "5", "unit": f"district:{cang_long.pk}"}).content.decode()
    rows = html.split('id="needs-per-unit"')[1].split("</tbody>")[0]
    pk = response.context["framework"].pk
    query = f"?framework={pk}&amp;threshold=5&amp;threshold_for={pk}&amp;units=recorded"
    assert (
        f'<tr data-level="district" data-unit="{cang_long.pk}" class="table-primary"><td>'
        f'<a href="{query}&amp;unit=district:{cang_long.pk}">Huyện Càng Long</a></td>'
    ) in rows
    assert (
        f'<tr data-level="district" data-unit="{tieu_can.pk}"><td>'
        f'<a href="{query}&amp;unit=district:{tieu_can.pk}">Huyện &lt;b&gt;Tiểu&lt;/b&gt; Cần</a></td>'
    ) in rows and "<b>" not in rows

    # Another district's unit is no filter for Càng Long's officer: the page stays on its own scope.
    client.force_login(cang_long_officer)
    needs = client.get(url, {"threshold": "5", "unit": f"district:{tieu_can.pk}"}).context["needs"]
    assert needs.unit is None
    assert {p.full_name for g in needs.groups for p in g.people} == {"Lê Thị Hồng Nhung"}
    for junk in ("district:", "x:1", "commune:abc", "district:99999999999"):
        assert client.get(url, {"unit": junk}).status_code == 200


def test_printing_lists_everyone_with_the_unit_column(client, scored, tra_vinh_staff):
    login_verified(client, tra_vinh_staff)
    html = client.get(reverse("assessments:training_needs"), {"threshold": "5"}).content.decode()
    assert "người khác" not in html and "more: the Excel export" not in html
    # The commune and district columns are hidden on a narrow screen but printed.
    assert html.count('class="d-none d-md-table-cell d-print-table-cell"') >= 2
    assert html.count('scope="rowgroup"') == 5  # both districts in groups 1 and 2, Càng Long in 3
    # The chart is not printed: the criteria table beside it holds the same numbers.
    assert 'class="col-xl-5 d-print-none"' in html


def test_printed_reports_name_their_framework_and_no_heading_without_its_table(
    client, scored, tra_vinh_staff, tieu_can
):
    """A province may have several frameworks a year: on paper (the chooser is not printed) the heading says
    which one; a unit chosen, its per-unit table is not printed, nor its heading."""
    framework = scored["teo"].framework
    login_verified(client, tra_vinh_staff)
    printed = f'<span class="d-none d-print-inline" data-printed-framework>— {framework.name}</span>'
    for name in ("assessments:summary", "assessments:training_needs"):
        assert printed in client.get(reverse(name), {"framework": framework.pk}).content.decode(), name
    html = client.get(
        reverse("assessments:training_needs"),
        {"threshold": "5", "unit": f"district:{tieu_can.pk}"},
    ).content.decode()
    heading = html[: html.index("Bí thư dưới 5,00 ở một nhóm kỹ năng, theo đơn vị")]
    assert heading.rstrip().endswith('<h2 class="h5 d-print-none">')


@pytest.mark.parametrize(
    ("given", "used", "error"),
    [
        ("", D("3.0"), False),
        ("3,5", D("3.5"), False),  # typed the Vietnamese way
        ("4.25", D("4.25"), False),
        ("9", D("3.0"), True),  # outside the 1–5 scale: said beside the field, the default is used
        ("0", D("3.0"), True),
        ("ba", D("3.0"), True),
    ],
)
def test_threshold_is_validated_to_the_scale(client, scored, tra_vinh_staff, given, used, error):
    login_verified(client, tra_vinh_staff)
    response = client.get(reverse("assessments:training_needs"), {"threshold": given})
    assert response.status_code == 200
    assert response.context["threshold"] == used
    assert ("threshold" in response.context["form"].errors) is error
    # The field shows the threshold in use, or else what was typed, beside its error.
    assert response.context["form"]["threshold"].value() == (given or "3,0")


def test_training_page_links_to_the_people(client, scored, tra_vinh_staff):
    login_verified(client, tra_vinh_staff)
    html = client.get(reverse("assessments:training_needs"), {"threshold": "3,5"}).content.decode()
    assert scored["nhung"].person.get_absolute_url() in html
    assert scored["teo"].person.get_absolute_url() in html
    assert scored["an"].person.get_absolute_url() not in html  # 5, 5, 5: no need
    assert reverse("assessments:training_needs_export") + f"?framework={scored['teo'].framework_id}" in html


def test_training_lines_are_drawn_escaped_with_their_links_and_scores(client, scored, tra_vinh_staff):
    """The people lists are drawn in the view (report_views._draw_people): each line's texts escaped, the
    person and the assessment linked, the scores with the Vietnamese decimal comma, and the district column
    for provincial staff only."""
    person = scored["nhung"].person
    branch = person.terms.get().branch
    person.full_name = "Lê <b>Nhung</b> & Co"
    person.save(update_fields=["full_name"])
    branch.name = 'Ấp "Mới" <i>'
    branch.save(update_fields=["name"])
    login_verified(client, tra_vinh_staff)
    html = client.get(reverse("assessments:training_needs"), {"threshold": "3,5"}).content.decode()
    line = next(row for row in html.split("<tr>") if person.get_absolute_url() in row)
    assert "Lê &lt;b&gt;Nhung&lt;/b&gt; &amp; Co" in line and "<b>" not in line
    assert "Ấp &quot;Mới&quot; &lt;i&gt;" in line and "<i>" not in line
    assert f'href="{scored["nhung"].get_absolute_url()}">2,00</a>' in line
    assert ">1,73</td>" in line  # the overall score
    assert "Huyện Càng Long" in line


def test_training_lines_of_a_district_officer_have_no_district_column(client, scored, tieu_can_officer):
    login_verified(client, tieu_can_officer)
    html = client.get(reverse("assessments:training_needs"), {"threshold": "4,5"}).content.decode()
    line = next(row for row in html.split("<tr>") if scored["teo"].person.get_absolute_url() in row)
    assert "Nguyễn Văn Tèo" in line and "Huyện Tiểu Cần" not in line
    assert line.count("<td") == 6


# ---------------------------------------------------------------------------------------------------
# Export


def sheet_rows(response) -> list[tuple]:
    return table_rows(response)


def test_export_lists_everyone_below_the_threshold(client, scored, tra_vinh_staff):
    login_verified(client, tra_vinh_staff)
    rows = sheet_rows(client.get(reverse("assessments:training_needs_export"), {"threshold": "3,5"}))
    header, body = rows[0], rows[1:]
    assert len(header) == 14
    assert {"Họ và tên", "Số điện thoại", "Chi đoàn", "Xã", "Huyện", "Tỉnh", "Trạng thái"} <= set(header)
    assert header[12:] == ("Đơn vị khi ghi nhận", "Đơn vị hiện nay")
    names = [(row[0], row[1], row[7]) for row in body]
    group_1, group_2, group_3 = (g.name for g in scored["teo"].framework.groups.order_by("order"))
    assert names == [
        (group_1, "Lê Thị Hồng Nhung", 2),
        (group_2, "Lê Thị Hồng Nhung", 2),
        (group_2, "Nguyễn Văn Tèo", 3),
        (group_3, "Lê Thị Hồng Nhung", 1),
    ]
    teo = body[2]
    # The phone, to call the secretary to training (the page's scope only).
    assert teo[2] == scored["teo"].person.phone and teo[2]
    assert teo[3:7] == ("Ấp Cây Gòn", "Xã Hiếu Tử", "Huyện Tiểu Cần", "Tỉnh Trà Vinh")
    assert teo[8] == pytest.approx(3.91)
    assert teo[12:] == ("Huyện Tiểu Cần, Tỉnh Trà Vinh", "Xã Hiếu Tử, Tỉnh Trà Vinh")


def test_export_is_laid_out_for_sending(client, scored, tra_vinh_staff):
    login_verified(client, tra_vinh_staff)
    export = read_export(client.get(reverse("assessments:training_needs_export"), {"threshold": "3,5"}))
    assert_staff_layout(
        export,
        title="Nhu cầu bồi dưỡng 2026",
        unit="Tỉnh Trà Vinh",
        dates=("Ngày đánh giá",),
        numbers=("Điểm nhóm", "Điểm chung"),
    )


def test_export_writes_the_framework_and_the_units_it_was_read_by(client, scored, tra_vinh_staff):
    login_verified(client, tra_vinh_staff)
    framework = scored["teo"].framework
    export = read_export(
        client.get(
            reverse("assessments:training_needs_export"),
            {"threshold": "3,5", "framework": framework.pk, "units": "today"},
        )
    )
    assert export.sheet["A3"].value == (
        f"Lọc theo: Bộ tiêu chí: {framework.year} — {framework.name}; Đơn vị: Quy về đơn vị hiện nay"
    )
    assert export.column("Họ và tên")  # the table starts below, as in every export


def test_export_follows_the_unit_filter(client, scored, tra_vinh_staff):
    login_verified(client, tra_vinh_staff)
    cang_long = scored["nhung"].district
    response = client.get(
        reverse("assessments:training_needs_export"), {"threshold": "5", "unit": f"district:{cang_long.pk}"}
    )
    export = read_export(response)
    assert set(export.column("Họ và tên")) == {"Lê Thị Hồng Nhung"}
    assert "Huyện Càng Long" in export.sheet["A2"].value


def test_export_keeps_to_the_scope(client, scored, cang_long_officer):
    client.force_login(cang_long_officer)
    body = sheet_rows(client.get(reverse("assessments:training_needs_export"), {"threshold": "5"}))[1:]
    assert {row[1] for row in body} == {"Lê Thị Hồng Nhung"}
    assert all(row[5] == "Huyện Càng Long" for row in body)


def test_export_neutralises_formulas(client, scored, assess, tra_vinh_staff, long_thoi):
    trap = person_with_term(
        branch=BranchFactory(commune=long_thoi, name="+Ấp Bẫy"), full_name='=HYPERLINK("http://x.vn","Bấm")'
    )
    assess(trap, 1, 1, 1)
    login_verified(client, tra_vinh_staff)
    body = sheet_rows(client.get(reverse("assessments:training_needs_export")))[1:]
    cells = {cell for row in body for cell in row if isinstance(cell, str)}
    assert '\'=HYPERLINK("http://x.vn","Bấm")' in cells and "'+Ấp Bẫy" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_above_the_threshold_the_export_is_a_job_with_the_same_workbook(
    client, scored, tra_vinh_staff, settings
):
    """A national list goes to the worker, as the other large exports do: the request answers at once with
    the job's page, and the job's file is the workbook the small list is answered with (same filters,
    same scope: Lê Thị Hồng Nhung's three groups and Tèo's one, nobody outside Trà Vinh)."""
    from core.models import Job

    login_verified(client, tra_vinh_staff)
    url = reverse("assessments:training_needs_export") + "?threshold=3%2C5"
    immediate = sheet_rows(client.get(url))
    assert len(immediate) == 1 + 4 and not Job.objects.exists()

    settings.EXPORT_JOB_CELLS = 1
    response = client.get(url)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.owner == tra_vinh_staff and job.kind == "export" and job.is_done
    assert job.params["query"] == "threshold=3%2C5"
    assert job.progress_total == job.progress_done == 4
    download = client.get(reverse("jobs:job_download", args=[job.pk]))
    assert sheet_rows(download) == immediate


# ---------------------------------------------------------------------------------------------------
# The list's export


def list_export(client, **query):
    return read_export(client.get(reverse("assessments:assessment_export"), query))


def datetime_of(assessment):
    """The day an assessment was made, as openpyxl reads a date cell back."""
    return datetime.datetime.combine(assessment.assessed_on, datetime.time())


def test_the_list_export_has_the_pages_rows_in_its_order(client, scored, tra_vinh_staff, framework):
    login_verified(client, tra_vinh_staff)
    for query in ({"status": "da_gui"}, {"o": "-score"}, {"q": "van"}):
        page = client.get(reverse("assessments:assessment_list"), query).context["assessments"]
        export = list_export(client, **query)
        assert export.column("Họ và tên") == [a.person.full_name for a in page], query
        assert export.column("Điểm chung") == [float(a.overall_score) for a in page], query
    assert list_export(client, o="-score").column("Họ và tên") == [
        "Trần Văn An",
        "Nguyễn Văn Tèo",
        "Lê Thị Hồng Nhung",
        "Lý Thị Nháp",
    ]
    filtered = list_export(client, status="da_gui")
    assert filtered.sheet["A3"].value == (
        f"Lọc theo: Bộ tiêu chí: {framework}; Trạng thái: Đã gửi"  # the framework the page defaults to
    )


def test_the_list_export_writes_what_the_page_lists_with_the_group_scores(
    client, scored, tieu_can_officer, framework
):
    """The district officer's three (Càng Long's Nhung is not theirs), in the page's order; the units as
    recorded, each skill group's score, the rating and status in words."""
    client.force_login(tieu_can_officer)
    export = list_export(client)
    groups = [g.name for g in framework.groups.order_by("order")]
    assert export.header == (
        "Họ và tên",
        "Chi đoàn",
        "Xã",
        "Năm",  # the framework is in the filters line; no quarter in a framework by year
        *groups,
        "Điểm chung",
        "Xếp loại",
        "Trạng thái",
        "Ngày đánh giá",
    )
    assert [row[:3] for row in export.rows] == [
        ("Trần Văn An", "Ấp Định Phú", "Xã Hiếu Tử"),
        ("Lý Thị Nháp", "Ấp Ô Đùng", "Xã Long Thới"),
        ("Nguyễn Văn Tèo", "Ấp Cây Gòn", "Xã Hiếu Tử"),
    ]
    assert [row[3:8] for row in export.rows] == [
        (2026, 5, 5, 5, 5),
        (2026, 1, 1, 1, 1),
        (2026, 4, 3, 5, 3.91),
    ]
    assert [row[8:] for row in export.rows] == [
        ("Hoàn thành xuất sắc nhiệm vụ", "Đã gửi", datetime_of(scored["an"])),
        ("Không hoàn thành nhiệm vụ", "Nháp", datetime_of(scored["nhap"])),
        ("Hoàn thành tốt nhiệm vụ", "Đã xác nhận", datetime_of(scored["teo"])),
    ]
    assert "Lê Thị Hồng Nhung" not in export.column("Họ và tên")  # another district's


def test_the_list_export_writes_every_score_with_two_places(client, world, tieu_can_officer, criteria):
    """Each group's score as the page shows it (4,50 / 5,00 / 4,67), whatever SQLite reads back through the
    export's subqueries (4.5, 5, 4.67000000000000): one format, 0.00, in every score column."""
    groups: dict = {}
    for criterion in criteria:
        groups.setdefault(criterion.group.order, []).append(criterion)
    values = {c.pk: 5 for c in criteria}
    values |= {groups[1][0].pk: 4, groups[1][1].pk: 4, groups[3][0].pk: 4}  # 4.5, 5, 14/3
    services.assessment_save(
        person=world["tieu_can_person"],
        framework=criteria[0].group.framework,
        assessor=tieu_can_officer,
        values=values,
        assessment=world["tieu_can_assessment"],
    )
    client.force_login(tieu_can_officer)
    export = list_export(client)
    columns = [g.name for g in criteria[0].group.framework.groups.order_by("order")] + ["Điểm chung"]
    assert [export.column(name) for name in columns] == [[4.5], [5], [4.67], [4.73]]
    assert {name: {cell.number_format for cell in export.cells(name)} for name in columns} == {
        name: {"0.00"} for name in columns
    }


def test_the_list_export_names_the_district_and_province_for_the_administrator(client, scored, administrator):
    login_verified(client, administrator)
    export = list_export(client, q="nhung")
    assert export.header[:5] == ("Họ và tên", "Chi đoàn", "Xã", "Huyện", "Tỉnh")
    assert [row[:5] for row in export.rows] == [
        ("Lê Thị Hồng Nhung", "Ấp Đại Đức", "Xã An Trường", "Huyện Càng Long", "Tỉnh Trà Vinh")
    ]


def test_the_list_export_says_what_a_draft_still_waits_for(client, world, tieu_can_officer, criteria):
    """A draft with criteria not scored has no rating on the page, only what it waits for: so in the file."""
    values = {c.pk: 4 for c in criteria} | {criteria[0].pk: None, criteria[1].pk: None}
    services.assessment_save(
        person=world["tieu_can_person"],
        framework=criteria[0].group.framework,
        assessor=tieu_can_officer,
        values=values,
        assessment=world["tieu_can_assessment"],
    )
    client.force_login(tieu_can_officer)
    export = list_export(client)
    assert export.column("Xếp loại") == ["còn 2 tiêu chí chưa chấm"]
    # QA3 F6: no overall score either (the mean of the criteria scored so far sorted as one): in the file,
    # the list, the grid and the assessment's page, as the reports count no draft.
    assessment = Assessment.objects.get(pk=world["tieu_can_assessment"].pk)
    assert assessment.overall_score == 4 and export.column("Điểm chung") == [None]
    listed = client.get(reverse("assessments:assessment_list")).content.decode()
    assert ">4,00<" not in listed and "còn 2 tiêu chí chưa chấm" in listed
    grid = client.get(
        reverse("assessments:commune_grid", args=[world["tieu_can"].commune.code]),
        {"framework": assessment.framework_id},
    ).content.decode()
    result = grid.split('class="grid-score"')[1].split("</div>")[0]
    assert "còn 2 tiêu chí chưa chấm" in result and "4,00" not in result
    detail = client.get(assessment.get_absolute_url()).content.decode()
    assert '<div class="stat-value">—</div>' in detail


def test_the_list_export_is_laid_out_for_sending(client, scored, tra_vinh_staff):
    login_verified(client, tra_vinh_staff)
    export = list_export(client)
    assert_staff_layout(
        export,
        title="Danh sách đánh giá kỹ năng",
        unit="Tỉnh Trà Vinh",
        dates=("Ngày đánh giá",),
        numbers=("Năm", "Điểm chung"),
    )


def test_a_large_list_export_is_a_job_with_the_same_workbook(client, scored, tra_vinh_staff, settings):
    from core.models import Job

    login_verified(client, tra_vinh_staff)
    url = reverse("assessments:assessment_export") + "?status=da_gui&o=-score"
    immediate = table_rows(client.get(url))
    assert len(immediate) == 1 + 2 and not Job.objects.exists()
    settings.EXPORT_JOB_CELLS = 1
    response = client.get(url)
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url() and job.is_done
    assert table_rows(client.get(reverse("jobs:job_download", args=[job.pk]))) == immediate


def test_the_list_links_its_export_with_its_filters(client, scored, tra_vinh_staff):
    login_verified(client, tra_vinh_staff)
    html = client.get(reverse("assessments:assessment_list"), {"status": "da_gui", "page": "1"}).content
    assert f'href="{reverse("assessments:assessment_export")}?status=da_gui"' in html.decode()


# ---------------------------------------------------------------------------------------------------
# A person's years


@pytest.fixture
def two_years(framework, criteria, assess, world):
    """Tèo: 2025 confirmed (3, 3, 2), 2026 submitted (4, 3, 5)."""
    older = services.framework_copy(framework=framework, year=2025)
    older_criteria = services.framework_criteria(older)
    assess(world["tieu_can_person"], 3, 3, 2, framework=older, criteria=older_criteria, status="da_xac_nhan")
    assess(world["tieu_can_person"], 4, 3, 5)
    return older


def test_person_history_year_by_year(two_years, world, tieu_can_officer):
    history = selectors.person_history(world["tieu_can_person"], user=tieu_can_officer)
    assert [row.year for row in history.years] == [2026, 2025]
    assert history.years[0].scores == [D("4.00"), D("3.00"), D("5.00")]
    assert history.years[1].scores == [D("3.00"), D("3.00"), D("2.00")]
    chart = history.chart
    assert chart["labels"] == ["2025", "2026"] and chart["type"] == "line"
    assert chart["datasets"][0]["data"] == [3.0, 4.0]
    assert chart["datasets"][-1]["data"] == [2.73, 3.91]  # overall: 30/11, 43/11


def test_person_history_chart_leaves_drafts_out(framework, criteria, assess, world, tieu_can_officer):
    older = services.framework_copy(framework=framework, year=2025)
    assess(world["tieu_can_person"], 3, 3, 3, framework=older, criteria=services.framework_criteria(older))
    assess(world["tieu_can_person"], 4, 4, 4, status=Assessment.Status.DRAFT)
    history = selectors.person_history(world["tieu_can_person"], user=tieu_can_officer)
    assert [row.year for row in history.years] == [2026, 2025]
    assert history.chart["labels"] == ["2025"]


def test_person_history_chart_in_period_order_on_the_latest_scale():
    """Quarters in order and named as quarters; a 1–5 year left off the chart of points out of 100 (one axis
    for both drew a rise where the score fell)."""
    from assessments.models import Framework

    def row(year, quarter, scale, overall):
        framework = Framework(year=year, scale_min=scale[0], scale_max=scale[1])
        assessment = Assessment(
            framework=framework, quarter=quarter, status=Assessment.Status.CONFIRMED, overall_score=D(overall)
        )
        return selectors.YearRow(assessment, year, [])

    q3, q1, older = (
        row(2026, 3, (0, 100), "63"),
        row(2026, 1, (0, 100), "75"),
        row(2025, None, (1, 5), "4.09"),
    )
    chart = selectors.PersonHistory(groups=[], years=[q3, q1, older]).chart
    assert chart["labels"] == ["Quý 1/2026", "Quý 3/2026"]
    assert chart["datasets"][-1]["data"] == [75.0, 63.0]
    assert (chart["min"], chart["max"]) == (0, 100)


def test_person_history_chart_draws_the_scale_with_two_periods():
    """Cao Thị Như's /toi/: 2025 and 2026 on 1–5, then a single quarter in points out of 100. The trend of
    the scale with two periods is drawn, and the page says the quarter is left out of it; with two periods on
    each scale, the latest scale's."""
    from assessments.models import Framework

    def row(year, quarter, scale, overall):
        framework = Framework(year=year, scale_min=scale[0], scale_max=scale[1])
        assessment = Assessment(
            framework=framework, quarter=quarter, status=Assessment.Status.CONFIRMED, overall_score=D(overall)
        )
        return selectors.YearRow(assessment, year, [])

    q3 = row(2026, 3, (0, 100), "63")
    years = [q3, row(2026, None, (1, 5), "3.27"), row(2025, None, (1, 5), "3")]
    history = selectors.PersonHistory(groups=[], years=years)
    chart = history.chart
    assert chart["labels"] == ["2025", "2026"] and chart["datasets"][-1]["data"] == [3.0, 3.27]
    assert (chart["min"], chart["max"]) == (1, 5) and history.trend_leaves_out
    html = render_to_string(
        "assessments/partials/assessment_history_table.html",
        {"assessment_history": history, "link_years": False},
    )
    note = " ".join(html.split("data-trend-scale>")[1].split("</p>")[0].split())
    assert note == "Biểu đồ vẽ các kỳ chấm theo thang 1–5; các kỳ theo thang điểm khác chỉ có trong bảng."
    both = selectors.PersonHistory(groups=[], years=[row(2026, 4, (0, 100), "70"), *years])
    assert both.chart["labels"] == ["Quý 3/2026", "Quý 4/2026"] and both.trend_leaves_out
    alone = selectors.PersonHistory(groups=[], years=[q3])
    assert alone.chart["labels"] == ["Quý 3/2026"] and not alone.trend_leaves_out


def test_person_history_keeps_to_the_scope(two_years, world, cang_long_officer, tra_vinh_staff):
    """An assessment belongs to the district where it was made, even if the person later moves."""
    assert selectors.person_history(world["tieu_can_person"], user=cang_long_officer).years == []
    assert len(selectors.person_history(world["tieu_can_person"], user=tra_vinh_staff).years) == 2


def test_person_history_is_two_queries(two_years, world, tieu_can_officer, django_assert_num_queries):
    tieu_can_officer.former_branch_ids()  # read once per request, before any page's own queries
    with django_assert_num_queries(2):
        selectors.person_history(world["tieu_can_person"], user=tieu_can_officer).chart  # noqa: B018


def test_person_partial_renders(two_years, world, tieu_can_officer):
    history = selectors.person_history(world["tieu_can_person"], user=tieu_can_officer)
    html = render_to_string("assessments/partials/person_assessments.html", {"assessment_history": history})
    assert 'id="person-assessment-chart"' in html and "3,91" in html and "2025" in html
    empty = selectors.person_history(world["cang_long_person"], user=tieu_can_officer)
    html = render_to_string("assessments/partials/person_assessments.html", {"assessment_history": empty})
    assert "<canvas" not in html


# ---------------------------------------------------------------------------------------------------
# Query counts


def _grow(world, assess, n):
    """n more communes in Tiểu Cần and n more districts in Trà Vinh, each with assessed secretaries."""
    district = world["tieu_can"].commune.district
    for i in range(n):
        commune = CommuneFactory(district=district)
        other = CommuneFactory(district=DistrictFactory(province=district.province))
        for unit, status in (
            (commune, "da_gui"),
            (commune, "da_xac_nhan"),
            (commune, "nhap"),
            (other, "da_gui"),
        ):
            person = person_with_term(branch=BranchFactory(commune=unit))
            assess(person, 1 + i % 5, 2, 3, status=status)


REPORTS = [
    ("summary", lambda w: reverse("assessments:summary")),
    ("training needs", lambda w: reverse("assessments:training_needs") + "?threshold=4"),
    ("export", lambda w: reverse("assessments:training_needs_export") + "?threshold=4"),
    ("list export", lambda w: reverse("assessments:assessment_export") + "?o=-score"),
]


def test_query_counts_do_not_grow(query_counts, scored, assess, world):
    personas = ["administrator", "tra_vinh_staff", "tieu_can_officer"]
    small = query_counts(personas, REPORTS, world)
    _grow(world, assess, 4)
    assert_counts_did_not_grow(small, query_counts(personas, REPORTS, world))


def test_no_framework_at_all(client, tra_vinh_staff, db):
    Framework.objects.filter(assessments__isnull=True).delete()
    login_verified(client, tra_vinh_staff)
    for name in ("assessments:summary", "assessments:training_needs", "assessments:training_needs_export"):
        assert client.get(reverse(name)).status_code == 200


def test_provincial_first_screen_draws_the_province(client, tra_vinh_staff, tieu_can_officer, world):
    from assessments.services import assessment_submit

    assessment_submit(assessment=world["tieu_can_assessment"])
    login_verified(client, tra_vinh_staff)
    html = client.get(reverse("home")).content.decode()
    assert 'id="home-secretaries-chart"' in html and 'id="home-group-chart"' in html
    client.force_login(tieu_can_officer)
    html = client.get(reverse("home")).content.decode()
    assert "home-secretaries-chart" not in html and "home-group-chart" not in html


def test_first_screen_group_chart_is_the_summarys(client, scored, tra_vinh_staff, vinh_long_staff, framework):
    """The first screen reads the skill groups' averages alone (assessments/home.py): the same figures the
    summary page draws, and none of another province's."""
    report = selectors.summary(user=tra_vinh_staff, framework=framework)
    assert selectors.scope_group_averages(user=tra_vinh_staff, framework=framework) == report.groups
    assert [g.average for g in report.groups] == [D("3.67"), D("3.33"), D("3.67")]
    login_verified(client, tra_vinh_staff)
    html = client.get(reverse("home")).content.decode()
    marker = 'id="home-group-chart" type="application/json">'
    drawn = html[html.index(marker) + len(marker) :].split("</script>", 1)[0]
    assert json.loads(drawn) == report.group_chart
    others = selectors.scope_group_averages(user=vinh_long_staff, framework=framework)
    assert [g.group for g in others] == [g.group for g in report.groups]
    assert all(g.average is None for g in others)


def test_export_says_a_waiting_branch_waits_today(client, scored, administrator, tra_vinh):
    """Tèo's branch is under Xã Hiếu Tử, ended on 30/06/2025 with Tỉnh Trà Vinh, and waits for its new
    commune: its "Unit today" says so, in the province Trà Vinh went into, as the secretaries' export does
    (branches.rollup.unit_today), not the ended commune and province as if they were today's."""
    from branches.models import Commune, Province, ProvinceSuccession

    ended = datetime.date(2025, 6, 30)
    Commune.objects.filter(pk=scored["teo"].branch.commune_id).update(ended_on=ended)
    Province.objects.filter(pk=tra_vinh.pk).update(ended_on=ended)
    successor = Province.objects.create(code="80", name="Tỉnh Vĩnh Long (mới)", began_on=REFORM_DAY)
    ProvinceSuccession.objects.create(predecessor=tra_vinh, successor=successor, on=REFORM_DAY)
    login_verified(client, administrator)  # Trà Vinh's own staff read no 2026 framework now
    rows = sheet_rows(client.get(reverse("assessments:training_needs_export"), {"threshold": "3,5"}))
    teo = next(row for row in rows[1:] if row[1] == "Nguyễn Văn Tèo")
    assert teo[13] == "Chờ xác định xã mới (Xã Hiếu Tử đến 30/06/2025), Tỉnh Vĩnh Long (mới)"
