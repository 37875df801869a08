"""core.mixins.DeferredRowsPaginator: a page of a list ordered by another table's column read as its ids
first (ordered with only the joins the order needs), then its rows: the same rows in the same order as a
plain slice, page after page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from branches.models import Branch
from core.mixins import CappedCountPaginator, DeferredRowsPaginator
from tests.factories import BranchFactory, CommuneFactory


@pytest.fixture
def branches(db):
    # Communes named out of the branches' order, so ordering by the commune's name is not the ids' order.
    communes = [CommuneFactory(name=f"Xã {letter}") for letter in "DBECA"]
    return [BranchFactory(commune=communes[n % 5], name=f"Ấp {n:02d}") for n in range(23)]


def listed():
    return Branch.objects.select_related("commune", "commune__district").order_by("commune__name", "-name")


@pytest.mark.parametrize(("per_page", "orphans"), [(5, 0), (5, 2), (10, 3), (50, 0)])
def test_the_same_pages_as_a_plain_slice(branches, per_page, orphans):
    plain = CappedCountPaginator(listed(), per_page, orphans=orphans)
    deferred = DeferredRowsPaginator(listed(), per_page, orphans=orphans)
    assert deferred.num_pages == plain.num_pages
    for number in plain.page_range:
        ours, theirs = deferred.page(number), plain.page(number)
        assert list(ours) == list(theirs)
        assert (ours.start_index(), ours.end_index()) == (theirs.start_index(), theirs.end_index())
        assert ours.has_next() == theirs.has_next()
        # The rows come with what the page shows, read with them.
        with CaptureQueriesContext(connection) as queries:
            [(row.commune.name, row.commune.district_id) for row in ours]
        assert not queries.captured_queries


def test_the_ids_are_ordered_without_the_joins_only_the_page_needs(branches):
    with CaptureQueriesContext(connection) as queries:
        DeferredRowsPaginator(listed(), 5).page(2)
    ordering = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"]]
    assert len(ordering) == 1
    assert "branches_district" not in ordering[0]  # the district is the page's, not the order's
    rows = [q["sql"] for q in queries.captured_queries if "branches_district" in q["sql"]]
    assert len(rows) == 1 and "ORDER BY" not in rows[0] and "LIMIT" not in rows[0]


def test_a_row_deleted_between_the_two_reads_is_left_out(branches, monkeypatch):
    paginator = DeferredRowsPaginator(listed(), 5)
    expected = list(CappedCountPaginator(listed(), 5).page(1))
    values_list = type(paginator.object_list).values_list

    def then_deleted(queryset, *args, **kwargs):
        ids = list(values_list(queryset, *args, **kwargs)[:5])
        Branch.objects.filter(pk=ids[1]).delete()
        return ids

    monkeypatch.setattr(type(paginator.object_list), "values_list", then_deleted)
    assert list(paginator.page(1)) == [expected[0], *expected[2:]]
