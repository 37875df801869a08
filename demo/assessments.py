"""The demo's skill assessments in both worlds, and the score generator that `demo.scale.assessments` uses
for the national benchmark data too.

History: Trà Vinh's 2025 round (the common framework, a copy of the seeded 2026 one), made by its Huyện
đoàn officers and confirmed by Tỉnh đoàn Trà Vinh before the units ended on 30/06/2025, and stored with
those units. Today: Vĩnh Long's 2026 round on its own framework (a copy of the common one), in its new
communes (no district), entered by the commune officers (Đoàn xã Tập Ngãi, Đoàn xã Hùng Hòa; Tỉnh đoàn
Vĩnh Long for communes without a demo login) and confirmed by Tỉnh đoàn Vĩnh Long: seven in ten assessed,
drafts (some incomplete), submitted and confirmed ones. The branches that came from Xã Hiếu Tử (now in Xã
Tập Ngãi) have no 2026 assessment yet, so doanxa.tapngai has rows to fill in the grid.

Runs after the branches were re-attached to the new communes (load_demo), and reads the commune of each
branch on 30/06/2025 from its former attachment.

Scores follow a simple model of the province's reality: each secretary has an ability and strengths of
their own; conduct and relationships (group 3) is weaker on average, and keeping the branch's records
and running Union ceremonies are the weakest criteria, which is what the training-needs report is for;
after a year of seminars most secretaries score a little better. Stored group scores, overall scores and
ratings come from scoring.derive, as the services store them.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from assessments import scoring
from assessments.defaults import DEFAULT_NAME
from assessments.models import Assessment, Criterion, Framework, GroupScore, Rating, Score
from assessments.services import framework_copy, framework_create_default, framework_criteria
from branches.divisions import OLD_WORLD_LAST_DAY
from branches.models import BranchAttachment, Province
from demo.accounts import DEMO_USERS
from demo.branches import DEMO_PROVINCE
from secretaries.models import Term

CURRENT_YEAR = 2026  # the framework migration 0002 seeds
PREVIOUS_YEAR = CURRENT_YEAR - 1
TODAY_PROVINCE = "86"  # Vĩnh Long, which Trà Vinh went into on 01/07/2025: this year's round is its own
TODAY_FRAMEWORK_NAME = (
    "Bộ tiêu chí đánh giá kỹ năng Bí thư Chi đoàn ấp, khóm năm {year} — Tỉnh đoàn Vĩnh Long"
)
GRID_COMMUNE = "29350"  # Xã Hiếu Tử (now in Xã Tập Ngãi): its branches left without 2026 assessments

ASSESSED_SHARE = {PREVIOUS_YEAR: 0.90, CURRENT_YEAR: 0.70}
# Of this year's assessments: (status, share). Drafts are half of them incomplete.
CURRENT_STATUSES = [
    (Assessment.Status.DRAFT, 0.30),
    (Assessment.Status.SUBMITTED, 0.30),
    (Assessment.Status.CONFIRMED, 0.40),
]
INCOMPLETE_DRAFT_SHARE = 0.5

# The score model. Mean level on the 1–5 scale, and how groups and criteria differ from it on average.
LEVEL_MEAN, LEVEL_SPREAD = 3.5, 0.55
GROUP_BIAS = {1: 0.10, 2: 0.15, 3: -0.45}  # by group order: conduct and relationships is weaker
GROUP_SPREAD = 0.35  # a person's own strength or weakness in a group
# By the criterion name's beginning: the weakest skills across the province.
CRITERION_BIAS = {"Quản lý hồ sơ": -0.85, "Tổ chức nghi thức": -0.75}
NOISE = 0.55  # one assessor, one criterion, one day
GAIN_MEAN, GAIN_SPREAD = 0.30, 0.22  # a year of seminars and training: most improve a little

# fmt: off
LOW_COMMENTS = [
    "Cần tham gia lớp bồi dưỡng kỹ năng.", "Còn lúng túng, cần được hướng dẫn thêm.",
    "Chưa thực hiện thường xuyên.", "Cần Huyện đoàn hỗ trợ trực tiếp.",
]
HIGH_COMMENTS = ["Làm tốt, có thể chia sẻ kinh nghiệm cho chi đoàn khác.", "Sáng tạo, được đoàn viên ủng hộ."]
OVERALL_COMMENTS = {
    Rating.EXCELLENT: ["Bí thư năng động, điều hành tốt, được đoàn viên tín nhiệm.",
                       "Tiêu biểu, đề nghị xem xét tuyên dương."],
    Rating.GOOD: ["Hoàn thành tốt nhiệm vụ; cần nâng cao kỹ năng ứng xử.",
                  "Chi đoàn sinh hoạt đều; cần chú ý công tác hồ sơ, sổ sách."],
    Rating.FULFILLED: ["Hoàn thành nhiệm vụ; cần tham gia tập huấn kỹ năng tổ chức hoạt động.",
                       "Còn hạn chế trong quản lý hồ sơ đoàn viên."],
    Rating.NOT_FULFILLED: ["Cần bồi dưỡng toàn diện; Huyện đoàn phân công cán bộ hỗ trợ."],
}
# fmt: on


@dataclass(frozen=True)
class Profile:
    """What a person brings to every assessment: a level, strengths by group order, a yearly gain."""

    level: float
    groups: dict[int, float]
    gain: float


def profile_draw(rng: random.Random) -> Profile:
    return Profile(
        level=rng.gauss(LEVEL_MEAN, LEVEL_SPREAD),
        groups={order: bias + rng.gauss(0, GROUP_SPREAD) for order, bias in GROUP_BIAS.items()},
        gain=rng.gauss(GAIN_MEAN, GAIN_SPREAD),
    )


@dataclass(frozen=True)
class Plan:
    """A framework with its criteria, each with what the score model needs, computed once."""

    framework: Framework
    criteria: list[Criterion]
    biases: list[tuple[int, float]]  # per criterion: (group order, mean offset)
    criterion_ids: list[int]
    group_ids: list[int]

    @classmethod
    def of(cls, framework: Framework) -> "Plan":
        criteria = sorted(framework_criteria(framework), key=lambda c: (c.group.order, c.order))
        biases = []
        for criterion in criteria:
            bias = next((b for start, b in CRITERION_BIAS.items() if criterion.name.startswith(start)), 0.0)
            biases.append((criterion.group.order, bias))
        group_ids = list(dict.fromkeys(c.group_id for c in criteria))  # in group order
        return cls(
            framework=framework,
            criteria=criteria,
            biases=biases,
            criterion_ids=[c.pk for c in criteria],
            group_ids=group_ids,
        )


def values_draw(rng: random.Random, profile: Profile, plan: Plan, trained_years: float) -> list[int]:
    """One score per criterion of the plan, integers within the framework's scale, after
    `trained_years` of the person's yearly gain."""
    low, high = plan.framework.scale_min, plan.framework.scale_max
    base = profile.level + profile.gain * trained_years
    values = []
    for group_order, bias in plan.biases:
        x = base + profile.groups.get(group_order, 0.0) + bias + rng.gauss(0, NOISE)
        values.append(min(high, max(low, int(x + 0.5))))
    return values


def incomplete(rng: random.Random, values: list[int]) -> list[int | None]:
    """A draft the assessor has not finished: the last criteria, or a few here and there, are empty."""
    values = list(values)
    if rng.random() < 0.6:
        for index in range(len(values) - rng.randint(1, 6), len(values)):
            values[index] = None
    else:
        for index in rng.sample(range(len(values)), rng.randint(1, 3)):
            values[index] = None
    return values


def season(year: int, today: date, until: date | None = None) -> tuple[date, date]:
    """The days an assessment of `year` is made: November to mid-December, never after today; for units
    that ended during the year (Trà Vinh's, on 30/06/2025), the weeks before their end."""
    last = min(date(year, 12, 15), today, until or today)
    return min(date(year, 11, 1), last - timedelta(days=40)), last


def moment(day: date, rng: random.Random, now: datetime) -> datetime:
    """A working hour of `day`, never later than now."""
    at = timezone.make_aware(datetime.combine(day, time(rng.randint(7, 16), rng.randrange(60))))
    return min(at, now)


@dataclass
class Draft:
    """An unsaved assessment with its values, before the bulk insert gives it an id."""

    assessment: Assessment
    plan: Plan
    values: list[int | None]
    comments: list[str]
    group_scores: dict  # group id → Decimal | None, from scoring.derive
    created_at: datetime  # when the assessor first saved it, for its history


def draft_build(
    rng: random.Random,
    *,
    plan: Plan,
    values: list[int | None],
    status: str,
    unit: tuple[int, int, int, int | None, int],
    assessor_id: int,
    confirmer_id: int,
    today: date,
    now: datetime,
    comments: bool = True,
    until: date | None = None,
) -> Draft:
    """`unit`: (person id, branch id, commune id, district id, province id); `until`: the last day of
    the units (see season)."""
    person_id, branch_id, commune_id, district_id, province_id = unit
    derived = scoring.derive(
        framework=plan.framework,
        criteria=plan.criteria,
        values=dict(zip(plan.criterion_ids, values, strict=True)),
    )
    first, last = season(plan.framework.year, today, until)
    assessed_on = first + timedelta(days=rng.randint(0, (last - first).days))
    created_at = moment(assessed_on, rng, now)
    submitted_at = confirmed_at = None
    if status != Assessment.Status.DRAFT:
        submitted_day = min(assessed_on + timedelta(days=rng.randint(0, 4)), today)
        submitted_at = max(created_at, moment(submitted_day, rng, now))
    if status == Assessment.Status.CONFIRMED:
        confirmed_day = min(timezone.localdate(submitted_at) + timedelta(days=rng.randint(1, 20)), today)
        confirmed_at = max(submitted_at, moment(confirmed_day, rng, now))
    assessment = Assessment(
        person_id=person_id,
        framework_id=plan.framework.pk,
        branch_id=branch_id,
        commune_id=commune_id,
        district_id=district_id,
        province_id=province_id,
        assessor_id=assessor_id,
        assessed_on=assessed_on,
        status=status,
        overall_score=derived.overall,
        rating=derived.rating,
        submitted_at=submitted_at,
        confirmed_at=confirmed_at,
        confirmed_by_id=confirmer_id if confirmed_at else None,
    )
    notes = [""] * len(values)
    if comments:
        if derived.rating and rng.random() < 0.4:
            assessment.comment = rng.choice(OVERALL_COMMENTS[derived.rating])
        for index, value in enumerate(values):
            if value is not None and value <= 2 and rng.random() < 0.3:
                notes[index] = rng.choice(LOW_COMMENTS)
            elif value == plan.framework.scale_max and rng.random() < 0.1:
                notes[index] = rng.choice(HIGH_COMMENTS)
    return Draft(
        assessment=assessment,
        plan=plan,
        values=values,
        comments=notes,
        group_scores=derived.group_scores,
        created_at=created_at,
    )


def rows_for(drafts: list[Draft]) -> tuple[list[Score], list[GroupScore]]:
    """Score and GroupScore rows of saved drafts (their assessments have ids)."""
    scores, group_scores = [], []
    for draft in drafts:
        plan, assessment_id = draft.plan, draft.assessment.pk
        for criterion_id, value, comment in zip(
            plan.criterion_ids, draft.values, draft.comments, strict=True
        ):
            scores.append(
                Score(assessment_id=assessment_id, criterion_id=criterion_id, value=value, comment=comment)
            )
        for group_id in plan.group_ids:
            group_scores.append(
                GroupScore(assessment_id=assessment_id, group_id=group_id, score=draft.group_scores[group_id])
            )
    return scores, group_scores


def frameworks_ensure(years: list[int]) -> dict[int, Framework]:
    """The common frameworks of `years`, each missing one a copy of the current year's (created first if
    missing). Must run before any assessment uses them: a framework in use is frozen."""
    common = Framework.objects.filter(province__isnull=True)
    current = common.filter(year=CURRENT_YEAR).first() or framework_create_default(year=CURRENT_YEAR)
    frameworks = {CURRENT_YEAR: current}
    for year in years:
        if year != CURRENT_YEAR:
            frameworks[year] = common.filter(year=year).first() or framework_copy(
                framework=current, year=year, name=DEFAULT_NAME.format(year=year)
            )
    return frameworks


def province_framework_ensure(province: Province, year: int) -> Framework:
    """The province's own framework of `year`: a copy of the common one, as its staff would make it."""
    own = Framework.objects.filter(province=province, year=year).first()
    if own is not None:
        return own
    common = frameworks_ensure([year])[year]
    return framework_copy(
        framework=common, year=year, province=province, name=TODAY_FRAMEWORK_NAME.format(year=year)
    )


def _demo_users() -> tuple[dict[str, int], dict[str, int], dict[int, int]]:
    """Province code → the provincial user's id; district code → the district officer's id; commune id →
    the commune officer's id."""
    User = get_user_model()
    usernames = {username: role for username, _n, role, _code in DEMO_USERS}
    users = User.objects.filter(username__in=usernames).select_related("province", "district")
    provincial = {u.province.code: u.pk for u in users if u.role == User.Role.PROVINCIAL_STAFF}
    if DEMO_PROVINCE not in provincial:
        raise RuntimeError(
            "The demo users must exist before the demo assessments (demo.accounts.populate_users)."
        )
    districts = {u.district.code: u.pk for u in users if u.role == User.Role.DISTRICT_OFFICER}
    communes = {u.commune_id: u.pk for u in users if u.role == User.Role.COMMUNE_OFFICER}
    return provincial, districts, communes


def status_draw(rng: random.Random, statuses: list[tuple[str, float]]) -> str:
    """One status of (status, share) pairs whose shares add up to one."""
    draw = rng.random()
    for status, share in statuses:
        if draw < share:
            return status
        draw -= share
    return statuses[-1][0]


def populate_assessments(*, rng: random.Random, today: date | None = None) -> dict[str, int]:
    """Trà Vinh's 2025 round (history) and Vĩnh Long's 2026 round (today); nothing if either province has
    assessments already. Runs after the reform's re-attachment of the branches."""
    counts = dict.fromkeys(["frameworks", "assessments", "scores", "group_scores", "previous", "current"], 0)
    counts.update(dict.fromkeys(Assessment.Status.values, 0))
    if Assessment.objects.filter(province__code__in=[DEMO_PROVINCE, TODAY_PROVINCE]).exists():
        return counts
    today = today or timezone.localdate()
    now = min(timezone.now(), timezone.make_aware(datetime.combine(today, time(17, 0))))
    provincial, district_officers, commune_officers = _demo_users()
    old_staff = provincial[DEMO_PROVINCE]
    new_province = Province.objects.filter(code=TODAY_PROVINCE, ended_on__isnull=True).first()
    frameworks = frameworks_ensure([PREVIOUS_YEAR])
    plans = {PREVIOUS_YEAR: Plan.of(frameworks[PREVIOUS_YEAR])}
    if new_province is not None:
        plans[CURRENT_YEAR] = Plan.of(province_framework_ensure(new_province, CURRENT_YEAR))
    new_staff = provincial.get(TODAY_PROVINCE, old_staff)
    terms = list(
        Term.objects.current()
        .secretaries()
        .filter(branch__commune__province__code__in=[DEMO_PROVINCE, TODAY_PROVINCE])
        .order_by("branch__commune__code", "branch_id")
        .values_list(
            "person_id",
            "branch_id",
            "branch__commune_id",
            "branch__commune__district_id",
            "branch__commune__province_id",
            "branch__commune__district__code",
            "branch__commune__code",
            "branch__commune__ended_on",
        )
    )
    # The commune each branch belonged to on 30/06/2025, for those re-attached since.
    before = {
        row[0]: row[1:]
        for row in BranchAttachment.objects.filter(
            branch__in=[t[1] for t in terms], ended_on=OLD_WORLD_LAST_DAY
        ).values_list(
            "branch_id",
            "commune_id",
            "commune__district_id",
            "commune__province_id",
            "commune__district__code",
            "commune__code",
        )
    }
    drafts: dict[int, list[Draft]] = {year: [] for year in plans}
    for person, branch, commune, district, province, district_code, commune_code, ended_on in terms:
        profile = profile_draw(rng)
        if ended_on is not None:  # never re-attached (a split commune's branch): still in its old commune
            old = (commune, district, province, district_code, commune_code)
        else:
            old = before.get(branch)
        if old is not None:
            old_commune, old_district, old_province, old_district_code, _code = old
            plan = plans[PREVIOUS_YEAR]
            if rng.random() < ASSESSED_SHARE[PREVIOUS_YEAR]:
                values = values_draw(rng, profile, plan, trained_years=0)
                drafts[PREVIOUS_YEAR].append(
                    draft_build(
                        rng,
                        plan=plan,
                        values=values,
                        status=Assessment.Status.CONFIRMED,
                        unit=(person, branch, old_commune, old_district, old_province),
                        assessor_id=district_officers.get(old_district_code, old_staff),
                        confirmer_id=old_staff,
                        today=today,
                        now=now,
                        until=OLD_WORLD_LAST_DAY,
                    )
                )
        came_from = old[4] if old is not None else None
        this_year = ended_on is None and CURRENT_YEAR in plans and came_from != GRID_COMMUNE
        if this_year and rng.random() < ASSESSED_SHARE[CURRENT_YEAR]:
            plan = plans[CURRENT_YEAR]
            status = status_draw(rng, CURRENT_STATUSES)
            values = values_draw(rng, profile, plan, trained_years=1)
            if status == Assessment.Status.DRAFT and rng.random() < INCOMPLETE_DRAFT_SHARE:
                values = incomplete(rng, values)
            drafts[CURRENT_YEAR].append(
                draft_build(
                    rng,
                    plan=plan,
                    values=values,
                    status=status,
                    unit=(person, branch, commune, None, province),
                    assessor_id=commune_officers.get(commune, new_staff),
                    confirmer_id=new_staff,
                    today=today,
                    now=now,
                )
            )

    for year_drafts in drafts.values():
        _save_with_history(year_drafts)
        scores, group_scores = rows_for(year_drafts)
        Score.objects.bulk_create(scores, batch_size=1000)
        GroupScore.objects.bulk_create(group_scores, batch_size=1000)
        counts["scores"] += len(scores)
        counts["group_scores"] += len(group_scores)
        for draft in year_drafts:
            counts[draft.assessment.status] += 1
    counts["previous"], counts["current"] = len(drafts[PREVIOUS_YEAR]), len(drafts.get(CURRENT_YEAR, []))
    counts["assessments"] = counts["previous"] + counts["current"]
    counts["frameworks"] = len(plans)
    return counts


WORKFLOW = [Assessment.Status.DRAFT, Assessment.Status.SUBMITTED, Assessment.Status.CONFIRMED]


def _save_with_history(drafts: list[Draft]) -> None:
    """Insert the assessments as they are, with a history that reads like the workflow: created as a
    draft by the assessor, then submitted, then confirmed by provincial staff, each at its moment.
    (bulk_create_with_history in steps: it would record only the final state.)"""
    objs = [d.assessment for d in drafts]
    Assessment.objects.bulk_create(objs, batch_size=1000)  # ids come back on SQLite and PostgreSQL
    assert all(obj.pk for obj in objs)
    user_ids = {o.assessor_id for o in objs} | {o.confirmed_by_id for o in objs if o.confirmed_by_id}
    users = {user.pk: user for user in get_user_model().objects.filter(pk__in=user_ids)}
    final = [(WORKFLOW.index(o.status), o.submitted_at, o.confirmed_at, o.confirmed_by_id) for o in objs]
    for step, stage in enumerate(WORKFLOW):
        reached = []
        for draft, obj, (last, submitted_at, confirmed_at, confirmed_by_id) in zip(
            drafts, objs, final, strict=True
        ):
            if step > last:
                continue
            # Each object ends the loop in its final state, as inserted.
            obj.status = stage
            obj.submitted_at = submitted_at if step >= 1 else None
            obj.confirmed_at, obj.confirmed_by_id = (
                (confirmed_at, confirmed_by_id) if step == 2 else (None, None)
            )
            obj._history_user = users[confirmed_by_id if step == 2 else obj.assessor_id]
            obj._history_date = (draft.created_at, submitted_at, confirmed_at)[step]
            reached.append(obj)
        Assessment.history.bulk_history_create(reached, batch_size=1000, update=step > 0)
