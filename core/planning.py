"""How PostgreSQL plans the one-object queries of detail and edit pages.

A detail page loads its object with what it shows beside it: 9 to 12 tables joined on their keys (a
nomination, its person, branch, commune, campaign, province, reviewer, commendation…). The row is found by
its primary key and each joined row by its own, so the order Django writes the joins in is already the
best one; but PostgreSQL still weighs every order of up to `join_collapse_limit` tables (6 for the portal's
connections, config/settings/base.py), and on national data spent 2 to 3.5 ms planning what runs in 0.15
(a nomination's or a commendation's page). `joins_as_written()` has it take the joins in the written order
for the queries inside: `SET LOCAL join_collapse_limit = 1` in a transaction of their own, so the setting
ends with it and no other query of the connection plans differently. `wide_joins_as_written(queryset)`
does so only when the queryset is joined to more tables than PostgreSQL's search covers; with fewer,
planning is cheap and the extra statement would cost more than it saves (a person's or a branch's page).
core.mixins.ScopedObjectMixin loads a detail page's object through it, `object_or_404` a function view's
(a commendation's certificate: 2.5 ms of planning, 1.7 of it saved; `get()`'s LIMIT has PostgreSQL weigh
each order of the joins twice, for the first row and for all).

`refresh_statistics()` is for the other end: after a bulk load, before the statements that group what it
loaded (the aggregates' rebuild, the demo's re-attachment), so PostgreSQL plans them on the rows there are.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import connection, transaction
from django.shortcuts import get_object_or_404

#: the portal connections' join_collapse_limit (config/settings/base.py)
JOIN_SEARCH_LIMIT = settings.JOIN_SEARCH_LIMIT


def joined_tables(queryset) -> int:
    """How many tables the queryset's select_related joins to its own (filters' joins not counted)."""

    def count(tree) -> int:
        return sum(1 + count(branch) for branch in tree.values())

    related = queryset.query.select_related
    return count(related) if isinstance(related, dict) else 0


def refresh_statistics() -> None:
    """ANALYZE the portal's tables (PostgreSQL), inside the caller's transaction if there is one: it sees the
    rows written there. Without it the planner keeps what it saw of a table before the load (nearly empty)
    and joins the loaded rows in nested loops: the demo's totals, 6 s to compute, once took over 10 minutes.
    A few seconds on national data; the statistics of a rolled-back transaction roll back with it."""
    if connection.vendor != "postgresql":
        return
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in sorted(tables)))


@contextmanager
def joins_as_written():
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        # Inside a caller's transaction a SET LOCAL would outlive this block: plan as usual.
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL join_collapse_limit = 1")
        yield


@contextmanager
def wide_joins_as_written(queryset):
    """`joins_as_written()` for the queries inside when `queryset` joins more tables than PostgreSQL's
    search covers (`joined_tables`), nothing otherwise."""
    if joined_tables(queryset) > JOIN_SEARCH_LIMIT:
        with joins_as_written():
            yield
    else:
        yield


def object_or_404(queryset, **lookup):
    """`get_object_or_404(queryset, **lookup)`, planned as a detail page's object is
    (`wide_joins_as_written`): for a function view that loads one object with many joined to it."""
    with wide_joins_as_written(queryset):
        return get_object_or_404(queryset, **lookup)
