"""Values no record can have, refused on every way in with the same words: the officer's form, the secretary's
correction (and its acceptance, should an older proposal carry one), the Excel import. A secretary younger
than the Union admits, a branch of a billion members, a founding, a joining or an assessment after today."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.services import framework_criteria
from branches.models import Branch
from secretaries.birth_dates import latest_birth_date
from secretaries.models import Correction, Person
from tests.branches.test_branch_views import form_data as branch_data
from tests.branches.test_import import _import as import_branches
from tests.branches.test_import import _row as branch_row
from tests.conftest import framework_2026
from tests.factories import BranchFactory
from tests.secretaries.test_import import _row_errors
from tests.secretaries.test_secretary_accounts import _propose, _secretary
from tests.secretaries.test_secretary_views import person_data

pytestmark = pytest.mark.usefixtures("world_once")

TOO_YOUNG = "Đoàn viên từ 16 tuổi trở lên: đủ 15 tuổi và thêm ít nhất một ngày."
AFTER_TODAY = "Ngày này chưa đến: hãy kiểm tra lại."


def _dmy(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def test_fifteen_years_and_a_day_even_on_29_february():
    """ "Từ 16 tuổi" is read by the Union's guidance as 15 years and one day (Hướng dẫn 22-HD/TWĐTN)."""
    assert latest_birth_date(datetime.date(2028, 2, 29)) == datetime.date(2013, 2, 27)
    assert latest_birth_date(datetime.date(2026, 12, 7)) == datetime.date(2011, 12, 6)


def test_the_person_form_takes_fifteen_and_a_day_and_tells_a_day_to_come_from_a_child(
    client, tieu_can_officer, hieu_tu
):
    """Fifteen years and a day may be admitted, a day less may not (the rule read 14: a child of 14 was
    taken); a birth date after today is a slip of the year, said as such (it was "too young")."""
    branch = BranchFactory(commune=hieu_tu, name="Ấp Tuổi Đoàn")
    client.force_login(tieu_can_officer)
    today = timezone.localdate()
    for born, error in (
        (latest_birth_date(today), None),
        (latest_birth_date(today) + datetime.timedelta(days=1), TOO_YOUNG),
        (today.replace(year=today.year - 14), TOO_YOUNG),
        (_tomorrow(), AFTER_TODAY),
    ):
        data = person_data(branch, date_of_birth=_dmy(born))
        response = client.post(reverse("secretaries:person_create"), data)
        errors = response.context["form"].errors.get("date_of_birth") if response.status_code == 200 else None
        assert errors == ([error] if error else None), born


def test_the_branch_form_refuses_a_billion_members_and_a_founding_after_today(
    client, tieu_can_officer, hieu_tu
):
    client.force_login(tieu_can_officer)
    data = branch_data(hieu_tu, name="Ấp Quá Đông", member_count="999999999999", founded_on=_dmy(_tomorrow()))
    response = client.post(reverse("branches:branch_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["member_count"] == ["Một chi đoàn có nhiều nhất 5.000 đoàn viên: hãy kiểm tra lại số này."]
    assert errors["founded_on"] == [AFTER_TODAY]
    assert 'value="999999999999"' in response.content.decode()
    assert not Branch.objects.filter(name="Ấp Quá Đông").exists()


def test_the_branch_import_refuses_them_per_row(client, tieu_can_officer, hieu_tu):
    from tests.login import login_verified

    login_verified(client, tieu_can_officer)
    batch = import_branches(
        client,
        [
            branch_row(hieu_tu.name, "Ấp Quá Đông", members=6000),
            branch_row(hieu_tu.name, "Ấp Chưa Lập", founded=_tomorrow()),
        ],
    )
    assert batch.error_count == 2
    assert [(e["column"], e["message"]) for e in _row_errors(batch, 3)] == [
        ("Số đoàn viên", "6000: một chi đoàn có nhiều nhất 5.000 đoàn viên: hãy kiểm tra lại số này")
    ]
    assert [(e["column"], e["message"]) for e in _row_errors(batch, 4)] == [
        ("Ngày thành lập", f"{_dmy(_tomorrow())}: ngày này chưa đến: hãy kiểm tra lại")
    ]


def test_the_person_form_refuses_a_party_joining_after_today(client, tieu_can_officer, hieu_tu):
    branch = BranchFactory(commune=hieu_tu, name="Ấp Đảng Viên")
    client.force_login(tieu_can_officer)
    data = person_data(branch, is_party_member="on", party_joined_on=_dmy(_tomorrow()))
    response = client.post(reverse("secretaries:person_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["party_joined_on"] == [AFTER_TODAY]


def test_the_secretary_proposes_no_birth_date_the_officer_could_not_type(client, world):
    person = world["tieu_can_person"]
    client.force_login(_secretary(person))
    response = _propose(client, person, date_of_birth="06/08/2020")
    assert response.status_code == 200
    assert response.context["form"].errors["date_of_birth"] == [TOO_YOUNG]
    assert not Correction.objects.exists()


def test_accepting_checks_the_values_again(client, tieu_can_officer, world):
    """A proposal sent before the rule (or by an older form) is not applied; the officer is told why."""
    person = world["tieu_can_person"]
    born = person.date_of_birth
    correction = Correction.objects.create(
        person=person,
        proposed_by=_secretary(person),
        changes={"date_of_birth": "2020-08-06"},
        previous={"date_of_birth": born.isoformat()},
    )
    client.force_login(tieu_can_officer)
    response = client.post(correction.get_absolute_url(), {"action": "accept"}, follow=True)
    page = response.content.decode()
    assert "Không thể lưu các giá trị đề nghị (Ngày sinh: " + TOO_YOUNG in page
    person.refresh_from_db()
    correction.refresh_from_db()
    assert person.date_of_birth == born and correction.status == Correction.Status.PENDING
    assert Person.history.filter(id=person.pk).count() == person.history.count()


def test_an_assessment_is_not_dated_after_today(client, tieu_can_officer, world):
    criteria = framework_criteria(framework_2026())
    client.force_login(tieu_can_officer)
    assessment = world["tieu_can_assessment"]
    data = {f"score_{c.pk}": "4" for c in criteria}
    data.update({"assessed_on": _dmy(_tomorrow()), "save": "1", "_version": assessment.version})
    response = client.post(reverse("assessments:assessment_update", args=[assessment.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["assessed_on"] == [AFTER_TODAY]
    assessment.refresh_from_db()
    assert assessment.assessed_on != _tomorrow()


def test_a_party_date_of_someone_born_on_29_february_is_checked_not_crashed():
    """Eighteen on 1 March of a year without a 29th: the rule answered, where it raised ValueError."""
    from django.core.exceptions import ValidationError

    from secretaries.models import check_party_date

    born = datetime.date(2008, 2, 29)
    check_party_date(is_party_member=True, date_of_birth=born, party_joined_on=datetime.date(2026, 3, 1))
    with pytest.raises(ValidationError):
        check_party_date(is_party_member=True, date_of_birth=born, party_joined_on=datetime.date(2026, 2, 28))


def test_a_seminar_refuses_a_hundred_billion_other_attendees_beside_the_field(
    client, tieu_can_officer, world
):
    """QA: "Người tham dự khác" took 99,999,999,999 (the page said "Tổng cộng 100.000.000.002"), and with it
    the list's column, its order and the export. Refused beside the field in the form's words, whatever the
    database's integer limit, and by the model's validation (Django admin); 10,000 is still taken."""
    from django.core.exceptions import ValidationError

    from seminars.models import Seminar
    from tests.seminars.test_seminar_pages import seminar_data

    client.force_login(tieu_can_officer)
    data = seminar_data(title="Tọa đàm quá đông", other_attendees="99999999999")
    response = client.post(reverse("seminars:seminar_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["other_attendees"] == [
        "Một tọa đàm có nhiều nhất 10.000 người tham dự khác: hãy kiểm tra lại số này."
    ]
    assert 'value="99999999999"' in response.content.decode()
    assert not Seminar.objects.filter(title="Tọa đàm quá đông").exists()
    response = client.post(reverse("seminars:seminar_create"), {**data, "other_attendees": "10000"})
    assert response.status_code == 302
    assert Seminar.objects.get(title="Tọa đàm quá đông").other_attendees == 10_000
    seminar = world["tieu_can_seminar"]
    seminar.other_attendees = 10_001
    with pytest.raises(ValidationError) as refused:
        seminar.full_clean()
    assert list(refused.value.message_dict) == ["other_attendees"]
