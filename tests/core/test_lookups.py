"""`field__any_of=[…]` (core/lookups.py): a long list of ids as one array parameter on PostgreSQL, the same
rows as `__in`."""

import pytest
from django.db import connection

from branches.models import Branch
from core.lookups import LONG, Ids, array_literal
from secretaries.models import Term
from tests.factories import BranchFactory, CommuneFactory, person_with_term


@pytest.fixture
def branches(db):
    commune = CommuneFactory()
    return [BranchFactory(commune=commune, name=f"Ấp {n}") for n in range(4)]


def test_any_of_finds_what_in_finds(branches):
    wanted = [branches[0].pk, branches[2].pk]
    assert set(Branch.objects.filter(pk__any_of=wanted)) == set(Branch.objects.filter(pk__in=wanted))
    assert not Branch.objects.filter(pk__any_of=[]).exists()
    # Through a foreign key, and in an OR with another condition.
    term = person_with_term(branch=branches[1]).terms.get()
    assert list(Term.objects.filter(branch__any_of=[branches[1].pk])) == [term]
    either = Branch.objects.filter(pk__any_of=[branches[3].pk]) | Branch.objects.filter(pk=branches[0].pk)
    assert set(either) == {branches[0], branches[3]}


def test_on_postgresql_the_list_is_one_parameter_the_text_of_an_array(branches):
    """One string, "{1,2,3}", which PostgreSQL reads as one constant (not ARRAY[1,2,3], parsed element by
    element in every query)."""
    ids = [b.pk for b in branches]
    sql, params = Branch.objects.filter(pk__any_of=ids).query.sql_with_params()
    if connection.vendor != "postgresql":
        assert len(params) == len(branches)
        return
    assert "= ANY(%s::bigint[])" in sql
    assert params == ("{" + ",".join(map(str, ids)) + "}",)
    with connection.cursor() as cursor:
        sent = cursor.mogrify(sql, params).decode()
    assert "ARRAY[" not in sent and f"'{{{ids[0]},{ids[1]}," in sent


def test_array_literal_takes_integers_only():
    assert array_literal([3, "4", 5]) == "{3,4,5}"
    with pytest.raises(ValueError):
        array_literal(["1}, {2"])


def test_a_long_list_finds_the_same_rows_out_of_the_planners_sight(branches):
    """Above LONG ids (a merged province's former branches), the list is read by the query, not planned
    from: the same rows, alone and in an OR."""
    wanted = [branches[0].pk, branches[2].pk, *range(10**9, 10**9 + LONG)]
    found = Branch.objects.filter(pk__any_of=wanted)
    assert set(found) == {branches[0], branches[2]}
    either = found | Branch.objects.filter(pk=branches[3].pk)
    assert set(either) == {branches[0], branches[2], branches[3]}
    assert list(Term.objects.filter(branch__any_of=wanted)) == []
    sql, params = found.query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(ARRAY(SELECT unnest(%s::bigint[])))" in sql
        assert params == (array_literal(wanted),)
        short = Branch.objects.filter(pk__any_of=wanted[:LONG]).query.sql_with_params()[0]
        assert "unnest" not in short


def test_a_queryset_of_ids_finds_what_in_finds_and_is_an_array_on_postgresql(branches):
    """`any_of=<queryset>`: the ids of a subquery (a UNION too, as visible_to's for people) — on PostgreSQL
    as ANY(ARRAY(…)), whose length the planner does not guess at, so it looks each id up."""
    few = Branch.objects.filter(pk__in=[branches[1].pk, branches[2].pk]).order_by("name").values("pk")
    union = few.order_by().union(Branch.objects.filter(pk=branches[3].pk).order_by().values("pk"))
    for ids in (few, union):
        found = Branch.objects.filter(pk__any_of=ids)
        assert set(found) == set(Branch.objects.filter(pk__in=ids))
        sql = str(found.query)
        assert ("= ANY(ARRAY(" in sql) == (connection.vendor == "postgresql"), sql
    assert set(Branch.objects.filter(pk__any_of=union)) == set(branches[1:])
    # Inside an OR, and with nothing in the subquery.
    either = Branch.objects.filter(pk__any_of=few) | Branch.objects.filter(pk=branches[0].pk)
    assert set(either) == set(branches[:3])
    assert not Branch.objects.filter(pk__any_of=Branch.objects.none().values("pk")).exists()


class TestIds:
    """core.lookups.Ids: ids read once (an account's former branches) and sent in many queries, their
    array's text made once, and not walked by Django element by element when each filter is built."""

    def test_finds_what_a_list_finds_alone_and_in_an_or(self, branches):
        wanted = Ids([branches[0].pk, branches[2].pk, *range(10**9, 10**9 + LONG)])
        found = Branch.objects.filter(pk__any_of=wanted)
        assert set(found) == {branches[0], branches[2]}
        assert set(found | Branch.objects.filter(pk=branches[3].pk)) == {
            branches[0],
            branches[2],
            branches[3],
        }
        assert set(Branch.objects.filter(pk__any_of=Ids([]))) == set()
        if connection.vendor == "postgresql":
            assert found.query.sql_with_params()[1] == (wanted.literal,) == (array_literal(list(wanted)),)

    def test_django_does_not_walk_them_when_it_builds_a_filter(self, branches, monkeypatch):
        from django.db.models.sql.query import Query

        calls = []
        resolve = Query.resolve_lookup_value

        def counted(self, value, *args, **kwargs):
            calls.append(value)
            return resolve(self, value, *args, **kwargs)

        monkeypatch.setattr(Query, "resolve_lookup_value", counted)
        many = list(range(1, 1001))
        Branch.objects.filter(pk__any_of=many)
        walked = len(calls)
        calls.clear()
        Branch.objects.filter(pk__any_of=Ids(many))
        assert walked > 1000 and len(calls) == 1

    def test_a_sequence_of_integers_equal_to_its_list_and_pickled_whole(self):
        import pickle

        ids = Ids(["3", 4, 5])
        assert ids == [3, 4, 5] and ids == (3, 4, 5) and list(ids) == [3, 4, 5] and ids[0] == 3
        assert len(ids) == 3 and 4 in ids and not Ids([]) and ids.literal == "{3,4,5}"
        assert pickle.loads(pickle.dumps(ids)) == ids
        with pytest.raises(ValueError):
            Ids(["1}, {2"])
