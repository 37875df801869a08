"""Frameworks of points out of 100 (Regulation 366-QĐ/TW): thresholds exact at their boundaries in
Decimal, extra conditions that demote, the parts adding up to 100, periods by quarter, and the year's rating
that commendations read."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from assessments import scoring
from assessments.framework_services import framework_create_points, split_points
from assessments.models import Assessment, Framework, Method, Period, Rating, RatingCondition
from assessments.services import assessment_save, framework_copy, framework_criteria
from tests.excel import read_export

pytestmark = pytest.mark.usefixtures("world_once")


@pytest.fixture
def points(world):
    """Trà Vinh's framework of points out of 100 for next year: parts of 30, 40 and 30 points; excellent
    only with no criterion below half its points."""
    return framework_create_points(
        year=timezone.localdate().year + 1, province=world["tieu_can"].commune.province, name="Thang 100"
    )


def full_marks(criteria, **overrides) -> dict:
    values = {c.pk: c.max_points for c in criteria}
    for key, value in overrides.items():
        values[criteria[int(key[1:])].pk] = value
    return values


@pytest.mark.parametrize(
    ("overall", "rating"),
    [
        ("100", Rating.EXCELLENT),
        ("90", Rating.EXCELLENT),  # "from 90" includes 90
        ("89.99", Rating.GOOD),
        ("70", Rating.GOOD),
        ("69.99", Rating.FULFILLED),
        ("50", Rating.FULFILLED),
        ("49.99", Rating.NOT_FULFILLED),
        ("0", Rating.NOT_FULFILLED),
    ],
)
def test_thresholds_at_each_boundary(points, overall, rating):
    assert points.rating_for(Decimal(overall)) == rating
    assert scoring.rating(points, Decimal(overall), conditions=[]) == rating


def test_parts_and_criteria_carry_their_points(points):
    criteria = framework_criteria(points)
    assert [g.max_points for g in points.groups.all()] == [30, 40, 30]
    assert sum(c.max_points for c in criteria) == 100 and points.points_problems() == []
    assert split_points(30, 4) == [8, 8, 7, 7]


def test_sums_of_points_and_the_rating(points):
    criteria = framework_criteria(points)
    derived = scoring.derive(framework=points, criteria=criteria, values=full_marks(criteria, c4=1, c5=0))
    # Part 2 lost 9 + 10 of its 40 points.
    assert list(derived.group_scores.values()) == [Decimal("30.00"), Decimal("21.00"), Decimal("30.00")]
    assert derived.overall == Decimal("81.00") and derived.rating == Rating.GOOD


def test_extra_condition_demotes_excellent_to_good(points):
    criteria = framework_criteria(points)  # the first criterion carries 8 points: half is 4
    kept = scoring.derive(framework=points, criteria=criteria, values=full_marks(criteria, c0=4))
    assert (kept.overall, kept.rating) == (Decimal("96.00"), Rating.EXCELLENT)  # 50 % is not below 50 %
    demoted = scoring.derive(framework=points, criteria=criteria, values=full_marks(criteria, c0=3))
    assert (demoted.overall, demoted.rating) == (Decimal("95.00"), Rating.GOOD)


def test_a_part_floor_and_a_cascade_of_conditions(points):
    RatingCondition.objects.create(
        framework=points, rating=Rating.EXCELLENT, kind=RatingCondition.Kind.PART_FLOOR, min_percent=90
    )
    RatingCondition.objects.create(
        framework=points, rating=Rating.GOOD, kind=RatingCondition.Kind.CRITERION_FLOOR, min_percent=20
    )
    points = Framework.objects.get(pk=points.pk)  # its conditions read again
    criteria = framework_criteria(points)
    # Part 3 at 26/30 = 86.7 % < 90 %: 96 points are only "good".
    assert scoring.derive(framework=points, criteria=criteria, values=full_marks(criteria, c8=6)).rating == (
        Rating.GOOD
    )
    # A criterion at 0 fails both excellent's floor (50 %) and good's (20 %): down to "fulfilled".
    assert scoring.derive(framework=points, criteria=criteria, values=full_marks(criteria, c8=0)).rating == (
        Rating.FULFILLED
    )


def test_a_scale_framework_keeps_its_rules(framework, criteria):
    # The 2019–2025 frameworks (1–5, weighted means) are not touched by the conditions.
    assert framework.method == Method.SCALE and framework.period == Period.YEAR
    derived = scoring.derive(framework=framework, criteria=criteria, values={c.pk: 5 for c in criteria})
    assert (derived.overall, derived.rating) == (Decimal("5.00"), Rating.EXCELLENT)


def test_parts_that_do_not_add_up_are_named_and_refused(points, world, tieu_can_officer):
    group = points.groups.get(order=3)
    group.max_points = 25
    group.save()
    problems = [str(p) for p in points.points_problems()]
    assert any("95" in p for p in problems) and any("30" in p and "25" in p for p in problems)
    with pytest.raises(ValidationError) as refused:
        assessment_save(
            person=world["tieu_can_person"], framework=points, assessor=tieu_can_officer, values={}
        )
    assert refused.value.code == "framework_incomplete"


def test_constraints_keep_points_on_0_to_100(points):
    with pytest.raises(IntegrityError), transaction.atomic():
        Framework.objects.filter(pk=points.pk).update(scale_min=1, scale_max=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        RatingCondition.objects.create(
            framework=points, rating=Rating.NOT_FULFILLED, kind="phan", min_percent=10
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        points.groups.filter(order=1).update(max_points=0)


def test_a_criterion_scores_from_0_to_its_points(points, world, tieu_can_officer):
    criteria = framework_criteria(points)
    with pytest.raises(ValidationError) as refused:
        assessment_save(
            person=world["tieu_can_person"],
            framework=points,
            assessor=tieu_can_officer,
            values={criteria[0].pk: 9},
        )
    assert refused.value.code == "out_of_scale"
    saved = assessment_save(
        person=world["tieu_can_person"],
        framework=points,
        assessor=tieu_can_officer,
        values=full_marks(criteria, c0=0),
        submit=True,
    )
    assert (saved.overall_score, saved.rating) == (Decimal("92.00"), Rating.GOOD)


def test_copy_keeps_points_and_conditions_and_is_frozen_once_used(points, world, tieu_can_officer):
    criteria = framework_criteria(points)
    assessment_save(
        person=world["tieu_can_person"],
        framework=points,
        assessor=tieu_can_officer,
        values=full_marks(criteria),
    )
    points.method = Method.SCALE
    with pytest.raises(ValidationError):
        points.save()
    copy = framework_copy(framework=Framework.objects.get(pk=points.pk), year=points.year + 1)
    assert copy.is_points and copy.points_problems() == []
    assert [(c.rating, c.kind, c.min_percent) for c in copy.rating_conditions.all()] == [
        (Rating.EXCELLENT, "tieu_chi", Decimal("50.00"))
    ]


class TestQuarters:
    @pytest.fixture
    def quarterly(self, world):
        return framework_create_points(
            year=timezone.localdate().year + 1,
            province=world["tieu_can"].commune.province,
            name="Theo quý",
            period=Period.QUARTER,
        )

    def test_a_quarterly_assessment_names_its_quarter(self, quarterly, world, tieu_can_officer):
        person = world["tieu_can_person"]
        criteria = framework_criteria(quarterly)
        with pytest.raises(ValidationError) as refused:
            assessment_save(person=person, framework=quarterly, assessor=tieu_can_officer, values={})
        assert refused.value.code == "quarter_required"
        first = assessment_save(
            person=person,
            framework=quarterly,
            assessor=tieu_can_officer,
            values=full_marks(criteria),
            quarter=1,
        )
        second = assessment_save(
            person=person,
            framework=quarterly,
            assessor=tieu_can_officer,
            values=full_marks(criteria),
            quarter=2,
        )
        again = assessment_save(
            person=person,
            framework=quarterly,
            assessor=tieu_can_officer,
            values=full_marks(criteria),
            quarter=1,
        )
        assert first.pk == again.pk != second.pk
        assert first.quarter == 1 and first.period_label == f"Quý 1/{quarterly.year}"
        with pytest.raises(IntegrityError), transaction.atomic():
            Assessment.objects.filter(pk=second.pk).update(quarter=1)

    def test_the_list_and_the_page_say_which_quarter(self, quarterly, world, tieu_can_officer, client):
        """One person's two rows in a quarterly framework read "Quý 1/…" and "Quý 2/…", not the year twice."""
        person = world["tieu_can_person"]
        criteria = framework_criteria(quarterly)
        made = [
            assessment_save(
                person=person,
                framework=quarterly,
                assessor=tieu_can_officer,
                values=full_marks(criteria),
                quarter=quarter,
            )
            for quarter in (1, 2)
        ]
        client.force_login(tieu_can_officer)
        listing = client.get(
            reverse("assessments:assessment_list"), {"framework": quarterly.pk}
        ).content.decode()
        # The latest quarter unless another is chosen: the same secretary once.
        assert f"Quý 2/{quarterly.year}" in listing and f"Quý 1/{quarterly.year}" not in listing
        first = client.get(reverse("assessments:assessment_list"), {"framework": quarterly.pk, "quarter": 1})
        assert f"Quý 1/{quarterly.year}" in first.content.decode()
        assert list(first.context["assessments"]) == [made[0]]
        every = client.get(reverse("assessments:assessment_list"), {"framework": quarterly.pk, "quarter": ""})
        assert set(every.context["assessments"]) == set(made)  # "Tất cả các quý", asked for
        # Its column is the assessment's period, not "Year"; its points are whole, as on the page.
        assert '">Kỳ đánh giá <i ' in listing
        assert '<td class="text-end">100</td>' in listing and "100,00" not in listing
        page = client.get(made[1].get_absolute_url()).content.decode()
        assert f"{person.full_name} · Quý 2/{quarterly.year}" in page

    def test_the_list_export_has_a_quarter_column_and_the_parts_points(
        self, quarterly, world, tieu_can_officer, client
    ):
        person = world["tieu_can_person"]
        criteria = framework_criteria(quarterly)
        for quarter, values in ((2, full_marks(criteria, c0=0)), (1, full_marks(criteria))):
            assessment_save(
                person=person, framework=quarterly, assessor=tieu_can_officer, values=values, quarter=quarter
            )
        client.force_login(tieu_can_officer)
        parts = [g.name for g in quarterly.groups.order_by("order")]
        points = {}
        for quarter, period in (("", str(quarterly.year)), ("1", f"quy-1-{quarterly.year}")):
            query = {"framework": quarterly.pk, "quarter": quarter}  # "": every quarter
            response = client.get(reverse("assessments:assessment_export"), query)
            export = read_export(response)
            # QA3 F8: a quarter's file and title name it (every quarter was danh-gia-ky-nang-2026.xlsx).
            assert f'filename="danh-gia-ky-nang-{period}.xlsx"' in response["Content-Disposition"]
            title = f"Quý 1/{quarterly.year}" if quarter else str(quarterly.year)
            assert f"Danh sách đánh giá kỹ năng {title}" in export.sheet["A1"].value
            assert export.header[3:9] == ("Năm", "Quý", *parts, "Điểm chung")
            page = client.get(reverse("assessments:assessment_list"), query).context["assessments"]
            assert [row[4] for row in export.rows] == [a.quarter for a in page]
            points.update({row[4]: row[5:9] for row in export.rows})
        assert points == {1: (30, 40, 30, 100), 2: (22, 40, 30, 92)}  # the first criterion's 8 points lost

    def test_the_reports_show_one_quarter_the_latest_unless_chosen(
        self, quarterly, world, tieu_can_officer, client, framework
    ):
        """QA: the quarterly framework's summary, training needs and list added the quarters together,
        counting the same secretary once per quarter. Each shows one quarter, the latest with assessments
        unless another is chosen, in its exports too; an annual framework has no quarter to choose."""
        from tests.aggregates import assert_totals_exact
        from tests.login import login_verified

        person = world["tieu_can_person"]
        criteria = framework_criteria(quarterly)
        for quarter, values in ((1, full_marks(criteria, c0=0, c1=0)), (2, full_marks(criteria))):
            assessment_save(
                person=person,
                framework=quarterly,
                assessor=tieu_can_officer,
                values=values,
                quarter=quarter,
                submit=True,
            )
        assert_totals_exact()
        login_verified(client, tieu_can_officer)
        summary = reverse("assessments:summary")
        latest = client.get(summary, {"framework": quarterly.pk})
        assert latest.context["quarter"] == 2
        assert (latest.context["report"].counted, latest.context["report"].average) == (1, Decimal(100))
        assert f"Quý 2/{quarterly.year}" in latest.content.decode()
        first = client.get(summary, {"framework": quarterly.pk, "quarter": 1}).context["report"]
        assert (first.counted, first.average) == (1, Decimal(84))
        training = reverse("assessments:training_needs")
        page = client.get(training, {"framework": quarterly.pk})
        assert page.context["needs"].groups[0].count == 0
        assert "Ngưỡng (% số điểm)" in page.content.decode()
        # QA: all the points may be asked (100 %); a mistyped threshold keeps the quarter chosen beside it; an
        # empty quarter says which quarter is empty, not the year.
        whole = client.get(training, {"framework": quarterly.pk, "threshold": "100"})
        assert not whole.context["form"].errors
        mistyped = client.get(training, {"framework": quarterly.pk, "quarter": 1, "threshold": "abc"})
        assert mistyped.context["quarter"] == 1 and mistyped.context["form"].errors
        empty = client.get(summary, {"framework": quarterly.pk, "quarter": 4}).content.decode()
        assert f"Chưa có đánh giá đã gửi hoặc đã xác nhận Quý 4/{quarterly.year}" in empty
        needs = client.get(training, {"framework": quarterly.pk, "quarter": 1}).context["needs"]
        assert needs.groups[0].count == 1 and needs.counted == 1
        response = client.get(
            reverse("assessments:training_needs_export"), {"framework": quarterly.pk, "quarter": 1}
        )
        export = read_export(response)
        name = f'filename="nhu-cau-boi-duong-quy-1-{quarterly.year}.xlsx"'
        assert name in response["Content-Disposition"]
        assert export.sheet["A1"].value.startswith(f"Nhu cầu bồi dưỡng Quý 1/{quarterly.year}: ")
        assert export.column("Họ và tên") == [person.full_name] and "Quý: 1" in export.sheet["A3"].value
        # A later quarter still in drafts: the reports open on the latest they count, the list on the draft's.
        assessment_save(
            person=person,
            framework=quarterly,
            assessor=tieu_can_officer,
            values=full_marks(criteria),
            quarter=3,
            submit=False,
        )
        assert client.get(summary, {"framework": quarterly.pk}).context["quarter"] == 2
        assert client.get(training, {"framework": quarterly.pk}).context["quarter"] == 2
        listed = client.get(reverse("assessments:assessment_list"), {"framework": quarterly.pk})
        assert [a.quarter for a in listed.context["assessments"]] == [3]
        # An annual framework's pages have no quarter to choose.
        for url in (summary, training, reverse("assessments:assessment_list")):
            page = client.get(url, {"framework": framework.pk}).content.decode()
            assert 'name="quarter"' not in page, url

    def test_an_annual_framework_takes_no_quarter(self, framework, world, tieu_can_officer):
        with pytest.raises(ValidationError) as refused:
            assessment_save(
                person=world["tieu_can_person"],
                framework=framework,
                assessor=tieu_can_officer,
                values={},
                quarter=2,
            )
        assert refused.value.code == "quarter_not_used"

    def test_a_province_has_a_quarterly_framework_beside_its_annual_one(self, quarterly, world):
        from assessments.models import framework_for

        province = world["tieu_can"].commune.province
        annual = framework_create_points(year=quarterly.year, province=province, name="Cả năm")
        assert framework_for(province, quarterly.year) == annual  # the year's framework
        with pytest.raises(IntegrityError), transaction.atomic():
            framework_create_points(year=quarterly.year, province=province, name="Lần hai")

    def test_commendation_eligibility_reads_the_annual_rating(self, quarterly, world, tieu_can_officer):
        from awards.models import Campaign
        from awards.selectors import year_assessments

        person = world["tieu_can_person"]
        criteria = framework_criteria(quarterly)
        assessment_save(
            person=person,
            framework=quarterly,
            assessor=tieu_can_officer,
            values=full_marks(criteria),
            quarter=1,
            submit=True,
        )
        campaign = Campaign(year=quarterly.year)
        assert not year_assessments(campaign=campaign, person=person).exists()  # a quarter is not the year
        annual = framework_create_points(
            year=quarterly.year, province=world["tieu_can"].commune.province, name="Cả năm"
        )
        saved = assessment_save(
            person=person,
            framework=annual,
            assessor=tieu_can_officer,
            values=full_marks(framework_criteria(annual), c0=3),
            submit=True,
        )
        assert list(year_assessments(campaign=campaign, person=person)) == [saved]
        assert saved.rating == Rating.GOOD


def test_the_parts_are_drawn_as_shares_of_their_own_points(points):
    """Parts of 30, 40 and 30 points on one axis: 27 of 30 and 36 of 40 are both 90 %."""
    from assessments.selectors import GroupAverage, group_chart

    groups = list(points.groups.order_by("order"))
    chart = group_chart(
        points,
        [
            GroupAverage(groups[0], Decimal(27)),
            GroupAverage(groups[1], Decimal(36)),
            GroupAverage(groups[2], None),
        ],
    )
    assert (chart["min"], chart["max"]) == (0, 100)
    assert chart["datasets"][0]["data"] == [90.0, 90.0, None]
    # Numbers in the page's JSON, not the strings a Decimal becomes there.
    assert all(type(value) is float for value in chart["datasets"][0]["data"][:2])
    assert "%" in str(chart["datasets"][0]["label"])


def test_the_summary_of_points_says_each_average_out_of_its_maximum(points, world, tieu_can_officer, client):
    from tests.login import login_verified

    criteria = framework_criteria(points)
    assessment_save(
        person=world["tieu_can_person"],
        framework=points,
        assessor=tieu_can_officer,
        values=full_marks(criteria, c0=0),
        submit=True,
    )
    login_verified(client, tieu_can_officer)
    page = " ".join(
        client.get(reverse("assessments:summary"), {"framework": points.pk}).content.decode().split()
    )
    first = points.groups.order_by("order").first()
    assert f"/ {first.max_points}</span>" in page and "thang 100 điểm" in page
    assert "các phần cộng lại bằng 100" in page and "Điểm từ 0 đến 100" not in page
    # QA3 F9: one format for a score in points, whole as on the assessment's page (Framework.score_places):
    # the overall average, each part's and the units' rows said "92,00" and "22,00 / 30".
    low = first.max_points - criteria[0].max_points
    assert 'data-stat="average">92<' in page and "92,00" not in page
    assert f'{low} <span class="small text-muted fw-normal">/ {first.max_points}</span>' in page
    assert f"{low},00" not in page
    # The assessment's history too ("Điểm chung: — → 92,00" beside "Điểm chung 92").
    assessment = Assessment.objects.get(framework=points)
    assessment_save(
        person=assessment.person,
        framework=points,
        assessor=tieu_can_officer,
        values=full_marks(criteria, c0=0, c1=0),
        assessment=assessment,
        version=assessment.version,
    )
    detail = " ".join(client.get(assessment.get_absolute_url()).content.decode().split())
    history = detail[detail.index("Lịch sử thay đổi") :]
    assert "<del>92</del> → <ins>84</ins>" in history and "92,00" not in history


def test_training_needs_in_points_compare_each_with_a_share_of_its_own_points(
    points, world, tieu_can_officer, client
):
    """Criteria of 7, 8 or 10 points and parts of 30 or 40: the default threshold is the "fulfilled" share
    (50 %) of each one's own points, the criteria are ranked by that share (4 of 10 is weaker than 3 of 7),
    and a part is below when its score is below half its points (14 of 30), in the page and its export."""
    from tests.factories import BranchFactory, person_with_term
    from tests.login import login_verified

    criteria = framework_criteria(points)
    groups = list(points.groups.order_by("order"))
    seventh = next(i for i, c in enumerate(criteria) if c.group_id == groups[0].pk and c.max_points == 7)
    tenth = next(i for i, c in enumerate(criteria) if c.group_id == groups[1].pk)
    assert criteria[tenth].max_points == 10
    # 3 of 7 (43 %) and 4 of 10 (40 %): the raw averages would rank them the other way round.
    assessment_save(
        person=world["tieu_can_person"],
        framework=points,
        assessor=tieu_can_officer,
        values=full_marks(criteria, c0=2, **{f"c{seventh}": 3, f"c{tenth}": 4}),
        submit=True,
    )
    weak = person_with_term(branch=BranchFactory(commune=world["tieu_can"].commune))
    assessment_save(
        person=weak,
        framework=points,
        assessor=tieu_can_officer,
        values=full_marks(criteria, c0=0, c1=0),  # part 1: 30 - 8 - 8 = 14 of 30
        submit=True,
    )
    login_verified(client, tieu_can_officer)
    response = client.get(reverse("assessments:training_needs"), {"framework": points.pk})
    needs = response.context["needs"]
    assert needs.threshold == points.fulfilled_from == Decimal(50)
    # 1 of 8 (12.5 %), 4 of 8 (50 %), 7 of 10 (70 %), 5 of 7 (71 %); the raw averages 1, 4, 7, 5.
    assert [w.criterion.pk for w in needs.criteria[:4]] == [
        criteria[0].pk,
        criteria[1].pk,
        criteria[tenth].pk,
        criteria[seventh].pk,
    ]
    assert [w.weak for w in needs.criteria[:2]] == [True, False]
    assert [w.below for w in needs.criteria[:2]] == [2, 1]  # below 4 of 8: 2 and 0, then 0 alone
    assert [(g.group.pk, [p.full_name for p in g.people]) for g in needs.groups] == [
        (groups[0].pk, [weak.full_name]),
        (groups[1].pk, []),
        (groups[2].pk, []),
    ]
    page = " ".join(response.content.decode().split())
    assert "ngưỡng là 50,00% số điểm" in page
    export = read_export(
        client.get(reverse("assessments:training_needs_export"), {"framework": points.pk, "threshold": "50"})
    )
    assert "50% số điểm" in export.sheet["A1"].value
    assert export.column("Họ và tên") == [weak.full_name]


def test_the_threshold_goes_back_to_the_default_when_the_framework_changes(
    points, framework, tieu_can_officer, client
):
    """QA3 F1: switching from the 1–5 framework to points kept "3,0" (read as 3 % of the points), and back
    "50,00" was refused on 1–5. The form carries the framework its threshold was typed for: another
    framework's is dropped for this one's default, without an error; one typed for it is kept."""
    from tests.login import login_verified

    login_verified(client, tieu_can_officer)
    training = reverse("assessments:training_needs")
    to_points = client.get(
        training, {"framework": points.pk, "threshold": "3,0", "threshold_for": framework.pk}
    )
    form = to_points.context["form"]
    assert to_points.context["threshold"] == Decimal(50) and not form.errors
    assert form["threshold"].value() == "50,00" and form["threshold_for"].value() == points.pk
    assert f'name="threshold_for" value="{points.pk}"' in to_points.content.decode()
    to_scale = client.get(
        training, {"framework": framework.pk, "threshold": "50,00", "threshold_for": points.pk}
    )
    assert to_scale.context["threshold"] == Decimal("3.0") and not to_scale.context["form"].errors
    assert to_scale.context["form"]["threshold"].value() == "3,0"
    kept = client.get(training, {"framework": points.pk, "threshold": "40", "threshold_for": points.pk})
    assert kept.context["threshold"] == Decimal(40)
    # The export link says whose threshold it carries, and the export drops another framework's.
    assert f"threshold=40&amp;threshold_for={points.pk}" in kept.content.decode()
    export = read_export(
        client.get(
            reverse("assessments:training_needs_export"),
            {"framework": points.pk, "threshold": "3", "threshold_for": framework.pk},
        )
    )
    assert "dưới 50" in export.sheet["A1"].value and "dưới 3%" not in export.sheet["A1"].value
