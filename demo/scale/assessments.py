"""Skill assessments for the national benchmark data set: the `seed_scale` step `assessments_step`.

Four frameworks (2023, 2024 and 2025 as copies of the seeded 2026 one) and, for every current
secretary of the country (some 88,000), an assessment in most years: about 320,000 assessments with
11 scores and 3 group scores each, some five million rows. Past rounds are nearly all confirmed; the
2026 round is under way (drafts, submitted, confirmed). The scale data records only the start of the
current mandate, so an earlier year's assessment stands for the person's earlier service: the volume of
four rounds is what a benchmark needs.

Both worlds: the rounds to 2025 belong to the old units (2025's made before they ended on 30/06/2025), the
2026 round to today's communes (no district). A branch in an old commune has no 2026 assessment; one in a
new commune has past ones only where it was re-attached from an old commune (its BranchAttachment).

Scores come from the demo's generator (demo.assessments), group scores, overall scores and ratings
from scoring.derive, as the services store them. No history rows: a benchmark needs the rows, not
their audit trail. Each person draws from their own seeded generator and people are taken in id
order, in chunks that each commit on their own, so an interrupted run resumes with the same data.
"""

import random
from datetime import date, datetime, time
from io import StringIO

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from assessments.models import Assessment, GroupScore, Score
from branches.divisions import OLD_WORLD_LAST_DAY
from branches.models import BranchAttachment
from demo.assessments import (
    CURRENT_STATUSES,
    INCOMPLETE_DRAFT_SHARE,
    Plan,
    draft_build,
    frameworks_ensure,
    incomplete,
    profile_draw,
    status_draw,
    values_draw,
)
from demo.scale.branches import BATCH_SIZE, BENCH_DISTRICT_CODE, ScaleOptions
from secretaries.models import Term

S = Assessment.Status
# Year → (share of current secretaries assessed, statuses with their shares).
ROUNDS = {
    2023: (0.90, [(S.CONFIRMED, 0.99), (S.SUBMITTED, 0.01)]),
    2024: (0.93, [(S.CONFIRMED, 0.98), (S.SUBMITTED, 0.02)]),
    2025: (0.96, [(S.CONFIRMED, 0.95), (S.SUBMITTED, 0.04), (S.DRAFT, 0.01)]),
    2026: (0.82, CURRENT_STATUSES),
}
GAIN_PER_ROUND = 0.5  # of the person's yearly gain: four rounds should not lift everyone by a point
PROVINCIAL_USER, DISTRICT_USER = "bench.tinh", "bench.huyen"


def _bench_users() -> tuple[int, int]:
    users = dict(
        get_user_model()
        .objects.filter(username__in=[PROVINCIAL_USER, DISTRICT_USER])
        .values_list("username", "pk")
    )
    if PROVINCIAL_USER not in users:
        raise RuntimeError(
            f"The benchmark user {PROVINCIAL_USER} must exist first (seed_scale's users step)."
        )
    return users[PROVINCIAL_USER], users.get(DISTRICT_USER, users[PROVINCIAL_USER])


def assessments_seed(
    *, branches=None, seed: int = ScaleOptions.seed, today: date | None = None, batch_size: int = BATCH_SIZE
) -> dict[str, int]:
    """Assessments of the current secretaries of `branches` (a queryset, default all) who come after the
    last person with an assessment; return the counts. The frameworks are made first, while unused."""
    today = today or timezone.localdate()
    now = min(timezone.now(), timezone.make_aware(datetime.combine(today, time(17, 0))))
    frameworks = frameworks_ensure(list(ROUNDS))
    plans = {year: Plan.of(frameworks[year]) for year in ROUNDS}
    provincial, district_officer = _bench_users()

    terms = Term.objects.current().secretaries()
    assessments = Assessment.objects.filter(framework__in=frameworks.values())
    if branches is not None:
        terms = terms.filter(branch__in=branches)
        assessments = assessments.filter(branch__in=branches)
    done = assessments.aggregate(last=Max("person_id"))["last"] or 0
    rows = list(
        terms.filter(person_id__gt=done)
        .order_by("person_id")
        .values_list(
            "person_id",
            "branch_id",
            "branch__commune_id",
            "branch__commune__district_id",
            "branch__commune__province_id",
            "branch__commune__district__code",
            "branch__commune__ended_on",
        )
    )
    # The old commune of each branch re-attached on 01/07/2025: the unit of its earlier rounds.
    before = {
        row[0]: row[1:]
        for row in BranchAttachment.objects.filter(ended_on=OLD_WORLD_LAST_DAY)
        .filter(branch__in=terms.filter(person_id__gt=done).values("branch"))
        .values_list(
            "branch_id",
            "commune_id",
            "commune__district_id",
            "commune__province_id",
            "commune__district__code",
        )
    }
    counts = {"people": len(rows), "assessments": 0, "scores": 0, "group_scores": 0}
    # About 3.6 assessments and 50 rows per person: chunks of people that make about 2 × batch_size
    # assessments keep a transaction near 100,000 rows.
    per_chunk = max(1, batch_size // 2)
    for start in range(0, len(rows), per_chunk):
        drafts = []
        for person, branch, commune, district, province, district_code, ended_on in rows[
            start : start + per_chunk
        ]:
            rng = random.Random(seed * 10_000_000 + person)
            profile = profile_draw(rng)
            today_unit = (commune, None, province) if ended_on is None else None
            old = before.get(branch) if ended_on is None else (commune, district, province, district_code)
            for index, (year, (share, statuses)) in enumerate(ROUNDS.items()):
                if rng.random() >= share:
                    continue
                if year > OLD_WORLD_LAST_DAY.year:
                    if today_unit is None:
                        continue  # its old commune has ended, and the branch waits for a new one
                    unit, assessor, until = (person, branch, *today_unit), provincial, None
                else:
                    if old is None:
                        continue  # a branch of the new world only
                    unit = (person, branch, *old[:3])
                    assessor = district_officer if old[3] == BENCH_DISTRICT_CODE else provincial
                    until = OLD_WORLD_LAST_DAY
                plan = plans[year]
                status = status_draw(rng, statuses)
                values = values_draw(rng, profile, plan, trained_years=index * GAIN_PER_ROUND)
                if status == S.DRAFT and rng.random() < INCOMPLETE_DRAFT_SHARE:
                    values = incomplete(rng, values)
                drafts.append(
                    draft_build(
                        rng,
                        plan=plan,
                        values=values,
                        status=status,
                        unit=unit,
                        assessor_id=assessor,
                        confirmer_id=provincial,
                        today=today,
                        now=now,
                        comments=False,
                        until=until,
                    )
                )
        with transaction.atomic():
            # bulk_create fills in the ids (RETURNING), which the score rows need.
            Assessment.objects.bulk_create([d.assessment for d in drafts], batch_size=batch_size)
            scores, group_scores = [], []
            for draft in drafts:
                pk, plan = draft.assessment.pk, draft.plan
                scores += [(pk, c, v, "") for c, v in zip(plan.criterion_ids, draft.values, strict=True)]
                group_scores += [(pk, group_id, draft.group_scores[group_id]) for group_id in plan.group_ids]
            rows_insert(Score, ["assessment_id", "criterion_id", "value", "comment"], scores, batch_size)
            rows_insert(GroupScore, ["assessment_id", "group_id", "score"], group_scores, batch_size)
        counts["assessments"] += len(drafts)
        counts["scores"] += len(scores)
        counts["group_scores"] += len(group_scores)
    return counts


def rows_insert(model, attnames: list[str], rows: list[tuple], batch_size: int) -> None:
    """Insert plain rows. PostgreSQL takes them by COPY, several times faster than bulk_create, whose
    time goes into building and preparing millions of model instances; other databases (SQLite in the
    tests) by bulk_create."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(
            (model(**dict(zip(attnames, row, strict=True))) for row in rows), batch_size=batch_size
        )
        return
    column_of = {field.attname: field.column for field in model._meta.concrete_fields}
    columns = ", ".join(connection.ops.quote_name(column_of[attname]) for attname in attnames)
    buffer = StringIO()
    for row in rows:
        # COPY's text format: tab-separated, \N for NULL. Values here are numbers and empty comments.
        buffer.write("\t".join("\\N" if value is None else str(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN", buffer
        )


def assessments_step(*, options: ScaleOptions, log) -> None:
    counts = assessments_seed(seed=options.seed)
    if not counts["assessments"]:
        log(f"Assessments: already seeded ({Assessment.objects.count():,} assessments), skipped.")
        return
    log(
        f"Assessments: {counts['assessments']:,} assessments with {counts['scores']:,} scores and "
        f"{counts['group_scores']:,} group scores for {counts['people']:,} secretaries in "
        f"{len(ROUNDS)} rounds ({Assessment.objects.count():,} assessments in all)."
    )
