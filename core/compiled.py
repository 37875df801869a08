"""Statements compiled to SQL once per process.

Some queries run on every request (an account's branch lists) or every write (the counters and totals a
write keeps exact) with the same shape each time; turning the ORM's querysets into SQL cost more than
running them. Such a query is built once with `ONE` standing for an id (`field=ONE`) or `MANY` for a list
of ids (`field__any_of=MANY`: on PostgreSQL one array parameter whatever the list's length, so only there),
its `(sql, params)` kept with `functools.cache`, and executed with `bind(params, one=…, many=…)`.
"""

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
