"""Statements compiled to SQL once per process.

Some queries run on every request (an account's branch lists) or every write (the counters and totals a
write keeps exact) with the same shape each time; turning the ORM's querysets into SQL cost more than
running them. Such a query is built once with `ONE` standing for an id (`field=ONE`) or `MANY` for a list
of ids (`field__any_of=MANY`: on PostgreSQL one array parameter whatever the list's length, so only there),
its `(sql, params)` kept with `functools.cache`, and executed with `bind(params, one=…, many=…)`.

`by_pk(model, pk)` reads one row by its key so: the session, the account and its authenticator, read on
every request of a logged-in user, cost 0.33 ms each through the ORM's `get()`, 0.15 ms so.
"""

import functools

from django.db import connection

#: Stands for an id in a statement compiled once: no row has it.
ONE = -20250701
#: Stands for a list of ids (an `any_of` lookup's one parameter).
MANY = [ONE]


def lock_rows(table: str, column: str) -> tuple[str, list]:
    """The statement that locks the rows of `table` (a quoted name) whose `column` is in MANY, in that
    column's order: two writers of the same rows queue up instead of deadlocking (PostgreSQL)."""
    return f"SELECT 1 FROM {table} WHERE {column} = ANY(%s::bigint[]) ORDER BY {column} FOR UPDATE", [MANY]


def bind(params, *, one=None, many=None) -> list:
    """The parameters of a statement compiled with ONE and MANY, the real id and list in their places."""
    return [many if param == MANY else one if param == ONE else param for param in params]


@functools.cache
def _by_pk(model, alias: str, vendor: str) -> tuple[str, list[str]] | None:
    """The statement of `model._default_manager.filter(pk=…)` and the names of its columns; None when a
    column's value needs the ORM's conversion (SQLite gives dates as text): then the ORM reads it."""
    compiler = model._default_manager.filter(pk=ONE).query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    columns = [column for column, _sql, _alias in compiler.select]
    if len(params) != 1 or compiler.get_converters(columns):
        return None
    return sql, [column.target.attname for column in columns]


def by_pk(model, pk):
    """`model._default_manager.filter(pk=pk).first()` (no ordering: one row at most), its SQL compiled once
    per process."""
    compiled = _by_pk(model, connection.alias, connection.vendor)
    if compiled is None:
        return model._default_manager.filter(pk=pk).first()
    sql, names = compiled
    field = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(sql, [field.get_db_prep_value(field.to_python(pk), connection)])
        row = cursor.fetchone()
    return None if row is None else model.from_db(connection.alias, names, row)
