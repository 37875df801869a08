"""`field__any_of=[…]`: a long list of ids as one parameter.

`field__in=[…]` makes Django prepare, convert and place each element as a parameter of its own: for the
3,384 former branches Tỉnh đoàn Vĩnh Long's scope lists, ~4 µs an element in every scoped query, 25 ms of
its first screen's 100 ms in Python. On PostgreSQL `any_of` sends the list as one array (`= ANY(%s)`,
which the planner reads as it reads IN); elsewhere (SQLite) it is `in`. For integer ids only.
"""

from django.db.models import Field, ForeignObject, Lookup
from django.db.models.lookups import In


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [int(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        # Not PostgreSQL: the ordinary IN (…), with the field's own lookup.
        return In(self.lhs, self.rhs).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        if not self.rhs:
            return In(self.lhs, []).as_sql(compiler, connection)  # matches nothing (EmptyResultSet)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, self.rhs]


def register() -> None:
    Field.register_lookup(AnyOf)
    ForeignObject.register_lookup(AnyOf)
