"""The totals the assessment reports read (AssessmentTotal, GroupTotal, CriterionTotal), kept exact.

A row sums the assessments of one framework recorded with the same units whose branches belong to the same
commune today (models.TotalKey, which keeps that commune's province too). Every write recomputes the rows
of the communes it touched from the records, in its own transaction: an assessment's save or status change
(`assessment_changed`), a batch import (`assessments_changed`), a branch re-attached to another commune
(`communes_changed`, called through core.aggregates.branches_moved). A commune holds a few dozen
assessments a year, so this costs a few small queries; the commune's row is locked first, so two writes in
one commune refresh one after the other.

ProvinceCriterionTotal sums CriterionTotal's rows per province today (their `branch_province`), for the
whole country's means per criterion: a refresh takes the rows of its communes out of their provinces' sums
before recomputing them and adds the new rows after, under the lock of those provinces (PostgreSQL; on
SQLite the provinces' sums are recomputed). Rows without a province today (written by a release before
`branch_province` existed, until the next refresh or rebuild) are in no province's sum.

`rebuild` recomputes everything (registered with core.aggregates, run by `manage.py rebuild_aggregates`
after a bulk load). COUNTED_STATUSES are those every report counts (selectors reads them from here).
"""

import functools

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum

from branches.models import Commune, Province
from core import aggregates
from core.compiled import MANY, bind, lock_rows

from .models import (
    Assessment,
    AssessmentTotal,
    CriterionTotal,
    GroupScore,
    GroupTotal,
    ProvinceCriterionTotal,
    Score,
)

#: the statuses an assessment is counted in with (its scores and rating), in the totals and every report
COUNTED_STATUSES = (Assessment.Status.SUBMITTED, Assessment.Status.CONFIRMED)
KEY = ("framework", "province", "district", "commune", "branch_commune", "branch_province", "quarter")
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


def _province_sums(criterion_totals):
    """ProvinceCriterionTotal's rows summed from `criterion_totals` (CriterionTotal rows), as aliases in the
    order of PROVINCE_COLUMNS."""
    return (
        criterion_totals.filter(branch_province__isnull=False)
        .order_by()
        .values(
            key_framework=F("framework"),
            key_province=F("branch_province"),
            key_criterion=F("criterion"),
            key_value=F("value"),
        )
        .annotate(key_n=Sum("n"))
    )


PROVINCE_COLUMNS = ("framework", "province", "criterion", "value", "n")


def _insert_province_sums(criterion_totals) -> None:
    sql, params = _province_sums(criterion_totals).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"{_province_insert()} {sql}", params)


def _province_insert() -> str:
    quote = connection.ops.quote_name
    meta = ProvinceCriterionTotal._meta
    names = ", ".join(quote(meta.get_field(name).column) for name in PROVINCE_COLUMNS)
    return f"INSERT INTO {quote(meta.db_table)} ({names})"


@functools.cache
def _province_statements() -> dict[str, tuple[str, list]]:
    """The statements that keep ProvinceCriterionTotal through a refresh of the communes `MANY`
    (PostgreSQL), compiled once: the provinces concerned (those of the communes' rows now, and of the
    communes themselves, where the new rows go), and taking the communes' rows out of their provinces'
    sums and adding them back. Each sum changes by one statement under the lock of its province."""
    quote = connection.ops.quote_name
    table = quote(ProvinceCriterionTotal._meta.db_table)
    sums_sql, sums_params = _province_sums(
        CriterionTotal.objects.filter(branch_commune__any_of=MANY)
    ).query.sql_with_params()
    key = [quote(ProvinceCriterionTotal._meta.get_field(name).column) for name in PROVINCE_COLUMNS[:-1]]
    n = quote("n")
    matched = " AND ".join(
        f"{table}.{column} = d.{quote('key_' + name)}"
        for column, name in zip(key, PROVINCE_COLUMNS[:-1], strict=True)
    )
    criterion_totals = quote(CriterionTotal._meta.db_table)
    communes = quote(Commune._meta.db_table)
    branch_commune = quote(CriterionTotal._meta.get_field("branch_commune").column)
    branch_province = quote(CriterionTotal._meta.get_field("branch_province").column)
    province = quote(ProvinceCriterionTotal._meta.get_field("province").column)
    commune_province = quote(Commune._meta.get_field("province").column)
    return {
        "provinces": (
            f"SELECT {branch_province} FROM {criterion_totals} WHERE {branch_commune} = ANY(%s::bigint[])"
            f" AND {branch_province} IS NOT NULL UNION SELECT {commune_province} FROM {communes}"
            f" WHERE {quote(Commune._meta.pk.column)} = ANY(%s::bigint[])",
            [MANY, MANY],
        ),
        "lock": lock_rows(quote(Province._meta.db_table), quote(Province._meta.pk.column)),
        "take out": (
            # Never below 0: rows an older release wrote without taking them into their province's sum
            # (during an upgrade, until `rebuild_aggregates`) leave the sum short, not a save refused.
            f"UPDATE {table} SET {n} = GREATEST({table}.{n} - d.{quote('key_n')}, 0) FROM ({sums_sql}) d"
            f" WHERE {matched}",
            list(sums_params),
        ),
        "add": (
            f"{_province_insert()} {sums_sql} ON CONFLICT ({', '.join(key)})"
            f" DO UPDATE SET {n} = {table}.{n} + EXCLUDED.{n}",
            list(sums_params),
        ),
        "drop empty": (f"DELETE FROM {table} WHERE {n} = 0 AND {province} = ANY(%s::bigint[])", [MANY]),
    }


def communes_changed(communes) -> None:
    """Recompute the totals of every assessment whose branch belongs today to one of `communes` (by id)."""
    communes = sorted({pk for pk in communes if pk is not None})
    if not communes:
        return
    # Its own transaction when the caller has none (a script's save in autocommit); no savepoint inside one.
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            lock, *refresh = _commune_statements()
            province_sums = _province_statements()
            with connection.cursor() as cursor:
                cursor.execute(lock[0], bind(lock[1], many=communes))
                sql, params = province_sums["provinces"]
                cursor.execute(sql, bind(params, many=communes))
                provinces = sorted(row[0] for row in cursor.fetchall())
                # Communes first, then their provinces, in id order: two refreshes never wait on each other
                # the other way round.
                for name, many in (("lock", provinces), ("take out", communes)):
                    sql, params = province_sums[name]
                    cursor.execute(sql, bind(params, many=many))
                for sql, params in refresh:
                    cursor.execute(sql, bind(params, many=communes))
                for name, many in (("add", communes), ("drop empty", provinces)):
                    sql, params = province_sums[name]
                    cursor.execute(sql, bind(params, many=many))
            return
        # Elsewhere (SQLite: one writer, nothing to lock) through the ORM; the provinces' sums recomputed.
        provinces = set(
            CriterionTotal.objects.filter(branch_commune__in=communes).values_list(
                "branch_province", flat=True
            )
        ) | set(Commune.objects.filter(pk__in=communes).values_list("province", flat=True))
        for model in TABLES:
            model.objects.filter(branch_commune__in=communes).delete()
        _insert(Assessment.objects.filter(branch__commune__in=communes))
        ProvinceCriterionTotal.objects.filter(province__in=provinces).delete()
        _insert_province_sums(CriterionTotal.objects.filter(branch_province__in=provinces))


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
    ProvinceCriterionTotal.objects.all().delete()
    for model in TABLES:
        model.objects.all().delete()
    _insert(Assessment.objects.all())
    _insert_province_sums(CriterionTotal.objects.all())
