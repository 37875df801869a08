"""The demo's example of issue 12: Vĩnh Long's staff read 2020's 24 commendations under Tỉnh Trà Vinh and its
districts as recorded, and under today's communes of Vĩnh Long rolled up (a few still under the old commune
of a branch waiting in the work list "Chi đoàn chờ xác định xã mới")."""

import io
from datetime import date

import pytest
from django.core.management import call_command

from accounts.models import User
from awards.selectors import statistics
from tests.conftest import shared_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    yield from shared_data(django_db_blocker, lambda: call_command("load_demo", stdout=io.StringIO()))


def test_2020_as_recorded_is_under_tra_vinh_and_its_districts(demo):
    data = statistics(user=User.objects.get(username="tinhdoan.vinhlong"), year=2020)
    [tra_vinh] = data["provinces"]
    assert (tra_vinh["province"].name, tra_vinh["total"]) == ("Tỉnh Trà Vinh", 24)
    assert len(tra_vinh["rows"]) == 9
    assert {row["level"] for row in tra_vinh["rows"]} == {"district"}


def test_2020_rolled_up_is_under_todays_communes(demo):
    data = statistics(user=User.objects.get(username="tinhdoan.vinhlong"), year=2020, units="today")
    assert sum(group["total"] for group in data["provinces"]) == 24
    today = [g for g in data["provinces"] if g["province"].ended_on is None]
    waiting = [g for g in data["provinces"] if g["province"].ended_on is not None]
    [vinh_long] = today
    assert vinh_long["province"].name == "Tỉnh Vĩnh Long"
    assert all(row["level"] == "commune" for row in vinh_long["rows"])
    assert all(row["unit"].began_on == date(2025, 7, 1) for row in vinh_long["rows"])
    assert vinh_long["total"] >= 20
    # Only branches still waiting for their new commune stay under the old units.
    assert all(row["unit"].ended_on for group in waiting for row in group["rows"])
