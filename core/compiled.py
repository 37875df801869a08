"""Statements compiled to SQL once per process.

Some queries run on every request (an account's branch lists) or every write (the counters and totals a
write keeps exact) with the same shape each time; turning the ORM's querysets into SQL cost more than
running them. Such a query is built once with `ONE` standing for an id (`field=ONE`) or `MANY` for a list
of ids (`field__any_of=MANY`: on PostgreSQL one array parameter whatever the list's length, so only there),
its `(sql, params)` kept with `functools.cache`, and executed with `bind(params, one=…, many=…)`.

`by_pk(model, pk)` reads one row by its key so: the session, the account and its authenticator, read on
every request of a logged-in user, cost 0.33 ms each through the ORM's `get()`, 0.15 ms so. The account
comes with its unit in the same row (`related`), which every officer's page reads.
"""

import functools

from django.db import connection

from .lookups import array_literal

#: Stands for an id in a statement compiled once: no row has it.
ONE = -20250701
#: Stands for a list of ids (an `any_of` lookup's one parameter).
MANY = [ONE]
#: MANY as an `any_of` lookup sends it (core.lookups.array_literal)
MANY_LITERAL = array_literal(MANY)


def lock_rows(table: str, column: str) -> tuple[str, list]:
    """The statement that locks the rows of `table` (a quoted name) whose `column` is in MANY, in that
    column's order: two writers of the same rows queue up instead of deadlocking (PostgreSQL). FOR NO KEY
    UPDATE, not FOR UPDATE: a row that refers to a locked one (a branch to its commune, anything to its
    province) is checked without waiting, as the locked rows' keys do not change (a refresh of a province's
    sums would otherwise hold every save in that province at its commit)."""
    return (
        f"SELECT 1 FROM {table} WHERE {column} = ANY(%s::bigint[]) ORDER BY {column} FOR NO KEY UPDATE",
        [MANY],
    )


def bind(params, *, one=None, many=None) -> list:
    """The parameters of a statement compiled with ONE and MANY, the real id and list in their places (MANY
    as `any_of` sends it, the text of an array, or as a list where a statement names it itself)."""

    def place(param):
        if param == MANY:
            return many
        if param == MANY_LITERAL:
            return array_literal(many)
        return one if param == ONE else param

    return [place(param) for param in params]


@functools.cache
def _by_pk(model, alias: str, vendor: str, related: tuple[str, ...] = ()):
    """The statement of `model._default_manager.select_related(*related).filter(pk=…).order_by()` and how
    to read its row: (the model, its columns' places and names, and for each related object (the foreign
    key, the same of its row)); None when a column's value needs the ORM's conversion (SQLite gives dates as
    text): then the ORM reads it."""
    queryset = model._default_manager.filter(pk=ONE).order_by()  # one row: the model's ordering is no use
    if related:
        queryset = queryset.select_related(*related)
    compiler = queryset.query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    columns = [column for column, _sql, _alias in compiler.select]
    if len(params) != 1 or compiler.get_converters(columns):
        return None
    return sql, _reader(compiler.klass_info, columns)


def _reader(klass_info: dict, columns: list) -> tuple:
    places = klass_info["select_fields"]
    related = []
    for info in klass_info.get("related_klass_infos", ()):
        if info["reverse"] or info["related_klass_infos"]:
            raise ValueError("by_pk reads the objects of forward foreign keys only, one step away")
        related.append((info["field"], _reader(info, columns)))
    return klass_info["model"], places, [columns[place].target.attname for place in places], related


def _instance(alias: str, reader: tuple, row: tuple):
    model, places, names, related = reader
    values = [row[place] for place in places]
    if values[names.index(model._meta.pk.attname)] is None:
        return None  # a null foreign key: no related row
    instance = model.from_db(alias, names, values)
    for field, read in related:
        field.set_cached_value(instance, _instance(alias, read, row))
    return instance


def by_pk(model, pk, related: tuple[str, ...] = ()):
    """`model._default_manager.select_related(*related).filter(pk=pk).order_by().first()` (one row at
    most), its SQL compiled once per process. `related`: foreign keys of `model` whose objects come in the
    same row (the account's unit, used by every page of an officer)."""
    compiled = _by_pk(model, connection.alias, connection.vendor, related)
    if compiled is None:
        queryset = model._default_manager.filter(pk=pk).order_by()
        return (queryset.select_related(*related) if related else queryset).first()
    sql, reader = compiled
    field = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(sql, [field.get_db_prep_value(field.to_python(pk), connection)])
        row = cursor.fetchone()
    return None if row is None else _instance(connection.alias, reader, row)
