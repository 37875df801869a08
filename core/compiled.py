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


def bind(params, *, one=None, many=None) -> list:
    """The parameters of a statement compiled with ONE and MANY, the real id and list in their places."""
    return [many if param == MANY else one if param == ONE else param for param in params]
