"""The totals the assessment reports read (AssessmentTotal, GroupTotal, CriterionTotal), kept exact.

A row sums the assessments of one framework recorded with the same units whose branches belong to the same
commune today (models.TotalKey, which keeps that commune's province too). Every write recomputes the rows
of the communes it touched from the records, in its own transaction: an assessment's save or status change
(`assessment_changed`), a batch import (`assessments_changed`), a branch re-attached to another commune
(`communes_changed`, called through core.aggregates.branches_moved). A commune holds a few dozen
assessments a year, so this costs a few small queries; the commune's row is locked first, so two writes in
one commune refresh one after the other.

`rebuild` recomputes everything (registered with core.aggregates, run by `manage.py rebuild_aggregates`
after a bulk load). COUNTED_STATUSES are those every report counts (selectors reads them from here).
"""

import functools

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum

from branches.models import Commune
from core import aggregates
from core.compiled import MANY, bind, lock_rows

from .models import Assessment, AssessmentTotal, CriterionTotal, GroupScore, GroupTotal, Score

#: the statuses an assessment is counted in with (its scores and rating), in the totals and every report
COUNTED_STATUSES = (Assessment.Status.SUBMITTED, Assessment.Status.CONFIRMED)
KEY = ("framework", "province", "district", "commune", "branch_commune", "branch_province")
#: the key's columns read from an assessment by another path than their name
KEY_PATHS = {"branch_commune": "branch__commune", "branch_province": "branch__commune__province"}
TABLES = (AssessmentTotal, GroupTotal, CriterionTotal)


def _key_of(prefix: str = "", **more: str) -> dict:
    """The key's columns read from an assessment (or from a score's assessment, with `prefix`), then `more`,
    all as aliases: the SELECT lists them in this order, the INSERT's columns' order."""
    paths = {name: f"{prefix}{KEY_PATHS.get(name, name)}" for name in KEY}
    return {f"key_{name}": F(path) for name, path in {**paths, **more}.items()}


def _selects(assessments) -> list[tuple[type, list[str], object]]:
    """For each totals table: its columns and the grouped query over `assessments` that fills them."""
    counted = Q(status__in=COUNTED_STATUSES)
    ratings = {
        f"rating_{value}": Count("pk", filter=counted & Q(rating=value))
        for value in ("xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh")
    }
    per_assessment = {
        "counted": Count("pk", filter=counted),
        "drafts": Count("pk", filter=Q(status=Assessment.Status.DRAFT)),
        "submitted": Count("pk", filter=Q(status=Assessment.Status.SUBMITTED)),
        "confirmed": Count("pk", filter=Q(status=Assessment.Status.CONFIRMED)),
        "awaiting_review": Count("pk", filter=Q(status=Assessment.Status.AWAITING_REVIEW)),
        "overall_total": Sum("overall_score", filter=counted),
        "overall_n": Count("overall_score", filter=counted),
        **ratings,
    }
    scored = assessments.filter(counted)
    key = list(KEY)
    return [
        (
            AssessmentTotal,
            [*key, *per_assessment],
            assessments.order_by().values(**_key_of()).annotate(**per_assessment),
        ),
        (
            GroupTotal,
            [*key, "group", "total", "n"],
            GroupScore.objects.filter(assessment__in=scored)
            .order_by()
            .values(**_key_of("assessment__", group="group"))
            .annotate(total=Sum("score"), n=Count("score")),
        ),
        (
            CriterionTotal,
            [*key, "criterion", "value", "n"],
            Score.objects.filter(assessment__in=scored, value__isnull=False)
            .order_by()
            .values(**_key_of("assessment__", criterion="criterion", value="value"))
            .annotate(n=Count("pk")),
        ),
    ]


def _statements(assessments) -> list[tuple[str, list]]:
    """The INSERT … SELECT of each totals table: the grouped rows go straight into the tables (millions of
    scores on a bulk load)."""
    statements = []
    for model, columns, query in _selects(assessments):
        sql, params = query.query.sql_with_params()
        names = ", ".join(connection.ops.quote_name(model._meta.get_field(c).column) for c in columns)
        statements.append((f"INSERT INTO {model._meta.db_table} ({names}) {sql}", list(params)))
    return statements


def _insert(assessments) -> None:
    with connection.cursor() as cursor:
        for sql, params in _statements(assessments):
            cursor.execute(sql, params)


@functools.cache
def _commune_statements() -> list[tuple[str, list]]:
    """A commune refresh's statements, compiled once per process with `MANY` for its communes
    (core/compiled.py): the same three grouped queries every time, whose compiling (ORM to SQL) cost more
    than running them. Only where the list is one parameter whatever its length (PostgreSQL)."""
    quote = connection.ops.quote_name
    column = quote(AssessmentTotal._meta.get_field("branch_commune").column)
    communes = quote(Commune._meta.db_table)
    return [
        # Writes in one commune refresh its totals one after the other.
        lock_rows(communes, quote(Commune._meta.pk.column)),
        *(
            (f"DELETE FROM {quote(model._meta.db_table)} WHERE {column} = ANY(%s::bigint[])", [MANY])
            for model in TABLES
        ),
        *_statements(Assessment.objects.filter(branch__commune__any_of=MANY)),
    ]


def communes_changed(communes) -> None:
    """Recompute the totals of every assessment whose branch belongs today to one of `communes` (by id)."""
    communes = sorted({pk for pk in communes if pk is not None})
    if not communes:
        return
    # Its own transaction when the caller has none (a script's save in autocommit); no savepoint inside one.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql, params in _commune_statements():
                    cursor.execute(sql, bind(params, many=communes))
            return
        # Elsewhere (SQLite: one writer, nothing to lock) through the ORM.
        for model in TABLES:
            model.objects.filter(branch_commune__in=communes).delete()
        _insert(Assessment.objects.filter(branch__commune__in=communes))


def assessment_changed(assessment: Assessment) -> None:
    """After an assessment is saved or its status changed (after a deletion: communes_changed with the
    commune its branch belongs to)."""
    assessments_changed([assessment.pk])


def assessments_changed(ids) -> None:
    """After a batch of assessments (by id) changed: their branches' communes are recomputed."""
    communes = Assessment.objects.filter(pk__in=list(ids)).values_list("branch__commune", flat=True)
    communes_changed(set(communes))


@aggregates.on_branches_moved
def _branches_moved(communes: set[int]) -> None:
    communes_changed(communes)


@aggregates.register("assessments.totals")
def rebuild() -> None:
    """Every totals row again from the records."""
    for model in TABLES:
        model.objects.all().delete()
    _insert(Assessment.objects.all())
