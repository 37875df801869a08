"""core.compiled.lock_rows seen through two real transactions (PostgreSQL): two writers of the same rows
queue up, while a row that refers to a locked one is written without waiting (the totals' refreshes lock
communes and provinces that every save in them refers to)."""

import threading

import pytest
from django.db import connection, transaction

from branches.models import Province
from core.compiled import bind, lock_rows
from tests.factories import DistrictFactory, ProvinceFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _lock(pk: int) -> None:
    sql, params = lock_rows(connection.ops.quote_name(Province._meta.db_table), '"id"')
    with connection.cursor() as cursor:
        cursor.execute(sql, bind(params, many=[pk]))


def _in_another_transaction(work, outcome: dict) -> threading.Thread:
    def run():
        try:
            with transaction.atomic():
                work()
            outcome["done"] = True
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = %s",
            [connection.settings_dict["NAME"]],
        )
        return bool(cursor.fetchone()[0])


def test_a_row_referring_to_a_locked_one_is_written_without_waiting():
    province = ProvinceFactory()
    outcome = {}

    def add_district():
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign key checked now, not at commit
        DistrictFactory(code="999", province=province)

    with transaction.atomic():
        _lock(province.pk)
        other = _in_another_transaction(add_district, outcome)
        other.join(timeout=5)
        # Still holding the lock: the district was written all the same.
        assert outcome == {"done": True}


def test_two_lockers_of_the_same_row_queue_up():
    province = ProvinceFactory()
    outcome = {}
    with transaction.atomic():
        _lock(province.pk)
        other = _in_another_transaction(lambda: _lock(province.pk), outcome)
        for _attempt in range(250):
            if _waiting_on_a_lock():
                break
            other.join(timeout=0.02)
        else:
            pytest.fail("the second locker never waited")
        assert outcome == {}
    other.join(timeout=5)
    assert outcome == {"done": True}
