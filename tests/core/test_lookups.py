"""`field__any_of=[…]` (core/lookups.py): a long list of ids as one array parameter on PostgreSQL, the same
rows as `__in`."""

import pytest
from django.db import connection

from branches.models import Branch
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


def test_on_postgresql_the_list_is_one_parameter(branches):
    sql, params = Branch.objects.filter(pk__any_of=[b.pk for b in branches]).query.sql_with_params()
    if connection.vendor != "postgresql":
        assert len(params) == len(branches)
        return
    assert "= ANY(%s::bigint[])" in sql
    assert params == ([b.pk for b in branches],)
