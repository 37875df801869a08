"""The Trà Vinh demo's skill assessments, and the score generator that `demo.scale.assessments` uses for the
national benchmark data too.

Two frameworks: 2025 (a copy of the seeded 2026 one) and 2026. Nine in ten current secretaries were
assessed and confirmed for 2025; the 2026 round is under way (seven in ten assessed: drafts, some still
incomplete, submitted and confirmed ones). Xã Hiếu Tử (Tiểu Cần) has no 2026 assessment yet, so a
browser journey can fill its grid.

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
from demo.accounts import DEMO_USERS
from demo.branches import DEMO_PROVINCE
from secretaries.models import Term

CURRENT_YEAR = 2026  # the framework migration 0002 seeds
PREVIOUS_YEAR = CURRENT_YEAR - 1
GRID_COMMUNE = "29350"  # Xã Hiếu Tử, Tiểu Cần: left without 2026 assessments for the browser journey

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


def season(year: int, today: date) -> tuple[date, date]:
    """The days an assessment of `year` is made: November to mid-December, never after today."""
    last = min(date(year, 12, 15), today)
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
) -> Draft:
    """`unit`: (person id, branch id, commune id, district id, province id)."""
    person_id, branch_id, commune_id, district_id, province_id = unit
    derived = scoring.derive(
        framework=plan.framework,
        criteria=plan.criteria,
        values=dict(zip(plan.criterion_ids, values, strict=True)),
    )
    first, last = season(plan.framework.year, today)
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
    """The frameworks of `years`, each missing one a copy of the current year's (created first if
    missing). Must run before any assessment uses them: a framework in use is frozen."""
    current = Framework.objects.filter(year=CURRENT_YEAR).first() or framework_create_default(
        year=CURRENT_YEAR
    )
    frameworks = {CURRENT_YEAR: current}
    for year in years:
        if year != CURRENT_YEAR:
            frameworks[year] = Framework.objects.filter(year=year).first() or framework_copy(
                framework=current, year=year, name=DEFAULT_NAME.format(year=year)
            )
    return frameworks


def _demo_users() -> tuple[int, dict[str, int]]:
    """The provincial user's id, and district code → the district officer's id."""
    User = get_user_model()
    usernames = {username: (role, code) for username, _n, role, code in DEMO_USERS}
    users = dict(User.objects.filter(username__in=usernames).values_list("username", "pk"))
    provincial = next(
        (
            users.get(u)
            for u, (role, code) in usernames.items()
            if role == User.Role.PROVINCIAL_STAFF and code == DEMO_PROVINCE
        ),
        None,
    )
    if provincial is None:
        raise RuntimeError(
            "The demo users must exist before the demo assessments (demo.accounts.populate_users)."
        )
    districts = {
        code: users[u]
        for u, (role, code) in usernames.items()
        if role == User.Role.DISTRICT_OFFICER and u in users
    }
    return provincial, districts


def status_draw(rng: random.Random, statuses: list[tuple[str, float]]) -> str:
    """One status of (status, share) pairs whose shares add up to one."""
    draw = rng.random()
    for status, share in statuses:
        if draw < share:
            return status
        draw -= share
    return statuses[-1][0]


def populate_assessments(*, rng: random.Random, today: date | None = None) -> dict[str, int]:
    """Frameworks 2025 and 2026 and the demo's assessments; nothing if Trà Vinh has assessments."""
    counts = dict.fromkeys(["frameworks", "assessments", "scores", "group_scores", "previous", "current"], 0)
    counts.update(dict.fromkeys(Assessment.Status.values, 0))
    if Assessment.objects.filter(province__code=DEMO_PROVINCE).exists():
        return counts
    today = today or timezone.localdate()
    now = min(timezone.now(), timezone.make_aware(datetime.combine(today, time(17, 0))))
    provincial, district_officers = _demo_users()
    frameworks = frameworks_ensure([PREVIOUS_YEAR, CURRENT_YEAR])
    plans = {year: Plan.of(framework) for year, framework in frameworks.items()}
    terms = (
        Term.objects.current()
        .secretaries()
        .filter(branch__commune__province__code=DEMO_PROVINCE)
        .order_by("branch__commune__code", "branch_id")
        .values_list(
            "person_id",
            "branch_id",
            "branch__commune_id",
            "branch__commune__district_id",
            "branch__commune__province_id",
            "branch__commune__district__code",
            "branch__commune__code",
        )
    )
    drafts: dict[int, list[Draft]] = {year: [] for year in plans}
    for *unit, district_code, commune_code in terms:
        profile = profile_draw(rng)
        assessor = district_officers.get(district_code, provincial)
        common = {
            "unit": tuple(unit),
            "assessor_id": assessor,
            "confirmer_id": provincial,
            "today": today,
            "now": now,
        }
        if rng.random() < ASSESSED_SHARE[PREVIOUS_YEAR]:
            plan = plans[PREVIOUS_YEAR]
            values = values_draw(rng, profile, plan, trained_years=0)
            drafts[PREVIOUS_YEAR].append(
                draft_build(rng, plan=plan, values=values, status=Assessment.Status.CONFIRMED, **common)
            )
        if commune_code != GRID_COMMUNE and rng.random() < ASSESSED_SHARE[CURRENT_YEAR]:
            plan = plans[CURRENT_YEAR]
            status = status_draw(rng, CURRENT_STATUSES)
            values = values_draw(rng, profile, plan, trained_years=1)
            if status == Assessment.Status.DRAFT and rng.random() < INCOMPLETE_DRAFT_SHARE:
                values = incomplete(rng, values)
            drafts[CURRENT_YEAR].append(draft_build(rng, plan=plan, values=values, status=status, **common))

    for year_drafts in drafts.values():
        _save_with_history(year_drafts)
        scores, group_scores = rows_for(year_drafts)
        Score.objects.bulk_create(scores, batch_size=1000)
        GroupScore.objects.bulk_create(group_scores, batch_size=1000)
        counts["scores"] += len(scores)
        counts["group_scores"] += len(group_scores)
        for draft in year_drafts:
            counts[draft.assessment.status] += 1
    counts["previous"], counts["current"] = len(drafts[PREVIOUS_YEAR]), len(drafts[CURRENT_YEAR])
    counts["assessments"] = counts["previous"] + counts["current"]
    counts["frameworks"] = len(frameworks)
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
