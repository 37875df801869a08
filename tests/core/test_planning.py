"""core/planning.py: a detail page's object, joined to more tables than PostgreSQL's join search covers, is
planned in the order its joins are written, and the setting ends with the query's own transaction."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.urls import reverse

from awards.models import Nomination
from core import planning
from core.planning import JOIN_SEARCH_LIMIT, joined_tables, joins_as_written
from tests.login import login_verified

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL setting")


def join_collapse_limit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        return cursor.fetchone()[0]


def test_joined_tables_counts_what_select_related_joins():
    assert joined_tables(Nomination.objects.all()) == 0
    assert joined_tables(Nomination.objects.select_related("campaign__province", "person")) == 3


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_setting_lasts_for_the_block_only():
    assert join_collapse_limit() == str(JOIN_SEARCH_LIMIT)
    with joins_as_written():
        assert join_collapse_limit() == "1"
    assert join_collapse_limit() == str(JOIN_SEARCH_LIMIT)
    with pytest.raises(RuntimeError), joins_as_written():
        raise RuntimeError("a failing query")
    assert join_collapse_limit() == str(JOIN_SEARCH_LIMIT)


@on_postgresql
@pytest.mark.django_db
def test_inside_a_callers_transaction_nothing_is_set():
    """A SET LOCAL there would last to the end of the caller's transaction, for queries not meant."""
    with joins_as_written():
        assert join_collapse_limit() == str(JOIN_SEARCH_LIMIT)


@pytest.fixture
def planned_as_written(monkeypatch) -> list:
    """Each entry into core.planning.joins_as_written, recorded (and nothing set)."""
    entered = []

    @contextmanager
    def recording():
        entered.append(True)
        yield

    monkeypatch.setattr(planning, "joins_as_written", recording)
    return entered


def test_a_commendations_page_loads_its_object_so_and_a_persons_page_does_not(
    client, tra_vinh_staff, world, planned_as_written
):
    login_verified(client, tra_vinh_staff)
    commendation = world["tieu_can_commendation"]
    assert client.get(reverse("awards:commendation_detail", args=[commendation.pk])).status_code == 200
    assert planned_as_written == [True]
    assert client.get(world["tieu_can_person"].get_absolute_url()).status_code == 200
    assert planned_as_written == [True]


def test_a_certificate_loads_its_commendation_so_too(client, tra_vinh_staff, world, planned_as_written):
    """A function view loads one object through core.planning.object_or_404, planned as a detail page's."""
    login_verified(client, tra_vinh_staff)
    commendation = world["tieu_can_commendation"]
    response = client.get(reverse("awards:commendation_certificate", args=[commendation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert planned_as_written == [True]
    # Outside the scope it is still a 404, not an error of the planning's transaction.
    assert client.get(reverse("awards:commendation_certificate", args=[10**9])).status_code == 404
