"""core.filters.SortFilter: a list sorted by a column keeps one order for the rows that tie on it (the row's
key last), so paging through shows every row once; a hidden field, set by the column headers."""

import django_filters
import pytest
from django import forms

from branches.models import Branch
from core.filters import SortFilter
from core.mixins import CappedCountPaginator, DeferredRowsPaginator
from tests.factories import BranchFactory, CommuneFactory


class KindFilter(django_filters.FilterSet):
    o = SortFilter(fields=[("kind", "kind"), ("name_key", "name")])

    class Meta:
        model = Branch
        fields = []


@pytest.fixture
def branches(db):
    commune = CommuneFactory()
    # Two kinds among 30 branches: every page sorted by kind is all ties.
    return [
        BranchFactory(commune=commune, name=f"Ấp {n:02d}", kind="ap" if n % 3 else "khom") for n in range(30)
    ]


@pytest.mark.parametrize("sort", ["kind", "-kind"])
def test_ties_keep_the_rows_key_order(branches, sort):
    rows = KindFilter({"o": sort}, queryset=Branch.objects.all()).qs
    assert rows.query.order_by == (sort, "pk")
    listed = [(row.kind, row.pk) for row in rows]
    for kind in ("ap", "khom"):
        ties = [pk for k, pk in listed if k == kind]
        assert ties == sorted(ties)


@pytest.mark.parametrize("paginator", [CappedCountPaginator, DeferredRowsPaginator])
def test_paging_through_a_sorted_list_shows_every_row_once(branches, paginator):
    pages = paginator(KindFilter({"o": "-kind"}, queryset=Branch.objects.all()).qs, 7)
    seen = [row.pk for number in pages.page_range for row in pages.page(number)]
    assert sorted(seen) == sorted(b.pk for b in branches)


def test_unsorted_the_list_keeps_its_own_order_and_the_field_is_hidden(branches):
    ordered = Branch.objects.order_by("name_key")
    assert KindFilter({}, queryset=ordered).qs.query.order_by == ("name_key",)
    assert isinstance(KindFilter().form.fields["o"].widget, forms.HiddenInput)
