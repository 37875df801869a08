"""`field__any_of=[…]`: a long list of ids as one parameter.

`field__in=[…]` makes Django prepare, convert and place each element as a parameter of its own: for the
3,384 former branches Tỉnh đoàn Vĩnh Long's scope lists, ~4 µs an element in every scoped query, 25 ms of
its first screen's 100 ms in Python. On PostgreSQL `any_of` sends the list as one array (`= ANY(%s)`,
which the planner reads as it reads IN); elsewhere (SQLite) it is `in`. For integer ids only.

`field__any_of=<queryset of ids>`: on PostgreSQL `= ANY(ARRAY(subquery))`, elsewhere `IN (subquery)`. The
same rows; but for `IN (subquery)` PostgreSQL estimates how many ids the subquery gives, and a large one
misjudged (a UNION of a merged province's people: 12,763 estimated, 4,369 given) makes it read the whole
table instead of looking each id up (Tỉnh đoàn Vĩnh Long's secretary list: 90–120 ms of SQL; 32 ms so).
An array's length it does not guess at, and it looks the ids up by the index.

A list longer than LONG goes as `= ANY(ARRAY(SELECT unnest(%s)))`: the same ids, but out of the planner's
sight. A constant array it estimates element by element, against the column's statistics, in every scoped
query: Tỉnh đoàn Vĩnh Long's 3,384 former branches cost 13 ms of planning for a query that ran in 0.6 ms
(the campaign review's count), and 20–40 ms of SQL on each of its pages.

Either way the list is sent as the text of an array (`'{1,2,3}'`, `array_literal`), not as psycopg2 writes a
Python list (`ARRAY[1,2,3]`): PostgreSQL reads the text as one constant, where it parsed and converted
`ARRAY[…]` element by element in every query (the ~1,000 branches in the scope of Trà Vinh's staff: a
branch's page planned its one-row query in 1.1 ms, 0.6 ms from the text).
"""

from collections.abc import Iterable, Sequence

from django.db.models import Field, ForeignObject, Lookup
from django.db.models.lookups import In
from django.db.models.sql.query import Query

#: above this many ids, the list is hidden from the planner (see above)
LONG = 100


class Ids(Sequence):
    """Integer ids read once and sent in many queries (an account's former branches: `any_of` in each scoped
    query of every page), with their array's text made once. Not a list or a tuple on purpose: Django walks
    those element by element when it builds each filter (`Query.resolve_lookup_value`), and `any_of` then
    checked and wrote each id again; a thousand ids cost Trà Vinh's staff ~2 ms of Python on each page."""

    __slots__ = ("_ids", "literal")

    def __init__(self, ids: Iterable[int]):
        self._ids = tuple(int(value) for value in ids)
        self.literal = _literal(self._ids)

    def __getitem__(self, index):
        return self._ids[index]

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self):
        return iter(self._ids)

    def __eq__(self, other) -> bool:
        if isinstance(other, Ids | list | tuple):
            return self._ids == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._ids)

    def __repr__(self) -> str:
        return f"Ids({list(self._ids)!r})"

    def __reduce__(self):
        return Ids, (self._ids,)


def array_literal(ids) -> str:
    """Integer ids as PostgreSQL's text form of an array, "{1,2,3}": one string parameter (see above)."""
    if isinstance(ids, Ids):
        return ids.literal
    return _literal(int(value) for value in ids)


def _literal(integers: Iterable[int]) -> str:
    return "{" + ",".join(map(str, integers)) + "}"


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        if isinstance(self.rhs, Query):  # a queryset of ids, kept as a subquery
            self.rhs.clear_ordering(clear_default=True)
            return self.rhs
        if isinstance(self.rhs, Ids):  # integers already
            return self.rhs
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        # Not PostgreSQL: the ordinary IN (…), with the field's own lookup.
        return In(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        if isinstance(self.rhs, Query):
            lhs, lhs_params = self.process_lhs(compiler, connection)
            rhs, rhs_params = self.process_rhs(compiler, connection)  # "(SELECT …)"
            return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
        if not self.rhs:
            return In(self.lhs, []).as_sql(compiler, connection)  # matches nothing (EmptyResultSet)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = array_literal(self.rhs)
        if len(self.rhs) > LONG:
            return f"{lhs} = ANY(ARRAY(SELECT unnest(%s::bigint[])))", [*lhs_params, ids]
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, ids]


def register() -> None:
    Field.register_lookup(AnyOf)
    ForeignObject.register_lookup(AnyOf)
