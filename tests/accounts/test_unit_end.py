"""An account of an ended unit reads its records and records nothing dated after the unit's end."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import CommuneFactory, DistrictFactory, UserFactory

pytestmark = pytest.mark.django_db

END = datetime.date(2025, 6, 30)


def test_an_officer_of_an_ended_district_may_record_up_to_its_last_day_only():
    officer = UserFactory(role="district_officer", district=DistrictFactory(ended_on=END))
    assert officer.unit_ended_on == END
    officer.check_may_record_on(END)
    with pytest.raises(ValidationError) as refused:
        officer.check_may_record_on(END + datetime.timedelta(days=1))
    assert refused.value.code == "unit_ended"
    assert "30/06/2025" in refused.value.messages[0]


def test_an_officer_of_a_current_commune_records_any_day():
    officer = UserFactory(role="commune_officer", commune=CommuneFactory())
    assert officer.unit_ended_on is None
    officer.check_may_record_on(datetime.date(2030, 1, 1))
