"""A secretary's phone number (secretaries/phones.py): 10 or 11 digits from 0, or +84; said next to the field
on the form, per row in the import, and on a correction the secretary proposes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from secretaries.models import Person
from secretaries.phones import formatted, is_phone, national_digits, validate_phone
from tests.factories import BranchFactory
from tests.importing import secretary_row
from tests.secretaries.test_import import _batch, _post, _row_errors
from tests.secretaries.test_secretary_views import person_data

pytestmark = pytest.mark.usefixtures("world_once")

MESSAGE = "Nhập số điện thoại 10 hoặc 11 chữ số, bắt đầu bằng 0 (hoặc +84), ví dụ 0912 345 678."


@pytest.mark.parametrize(
    "text",
    ["0912 345 678", "0912.345.678", "0912-345-678", "0912345678", "+84 912 345 678", "(0294) 3855 555"],
)
def test_numbers_as_people_write_them(text):
    assert is_phone(text)
    validate_phone(text)


@pytest.mark.parametrize(
    "text", ["09123", "912345678", "0912 345 678 999", "+1 555 0100", "không có", "0912a45678"]
)
def test_what_is_not_a_number_to_call(text):
    assert not is_phone(text)
    with pytest.raises(ValidationError):
        validate_phone(text)


def test_plus_84_is_the_leading_zero():
    assert national_digits("+84 (912) 345-678") == "0912345678"


def test_the_form_says_it_next_to_the_field_and_keeps_what_was_typed(client, tieu_can_officer, hieu_tu):
    branch = BranchFactory(commune=hieu_tu, name="Ấp Điện Thoại")
    client.force_login(tieu_can_officer)
    response = client.post(reverse("secretaries:person_create"), person_data(branch, phone="09123"))
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [MESSAGE]
    page = response.content.decode()
    assert MESSAGE in page and 'value="09123"' in page
    assert not Person.objects.filter(full_name="Nguyễn Văn Út").exists()


def test_the_import_refuses_the_row(client, tieu_can_officer, hieu_tu):
    branch = BranchFactory(commune=hieu_tu, name="Ấp Số Máy")
    client.force_login(tieu_can_officer)
    rows = [
        secretary_row("Người Gọi", branch.name, **{"Số điện thoại": "09123"}),
        secretary_row("Người Nghe", branch.name, **{"Số điện thoại": "+84 912 345 678"}),
    ]
    batch = _batch(_post(client, rows))
    errors = _row_errors(batch, 3)
    assert [(e["column"], e["message"]) for e in errors] == [
        ("Số điện thoại", "09123 không phải số điện thoại: 10 hoặc 11 chữ số, bắt đầu bằng 0 (hoặc +84)")
    ]
    assert not any(e["column"] == "Số điện thoại" for e in _row_errors(batch, 4))


def test_a_correction_the_secretary_proposes_is_checked_too(client, world):
    from secretaries.models import Correction
    from tests.secretaries.test_secretary_accounts import _propose, _secretary

    person = world["tieu_can_person"]
    client.force_login(_secretary(person))
    response = _propose(client, person, phone="0987 654")
    assert response.status_code == 200
    assert response.context["form"].errors["phone"] == [MESSAGE]
    assert not Correction.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "0987111222",
        "0987 111 222",
        "+84987111222",
        "+84 987 111 222",
        "111 222",
        # As the phone field reads them: hyphens, dots, brackets; "84…" is "+84…" whose "+" a link lost.
        "0987-111-222",
        "0987.111.222",
        "(0987) 111-222",
        "84987111222",
    ],
)
@pytest.mark.parametrize("stored", ["+84 987 111 222", "0987.111.222"])
def test_a_number_is_found_however_it_was_written(stored, query, hieu_tu):
    """Stored and searched by its national digits: "+84" is the leading 0 on both sides."""
    from tests.factories import person_with_term

    person = person_with_term(branch=BranchFactory(commune=hieu_tu, name="Ấp Tìm Số"), phone=stored)
    assert person.phone == "0987 111 222"  # written the portal's one way
    assert list(Person.objects.search(query)) == [person]
    assert not Person.objects.search("0987111223").exists()


def test_the_numbers_stored_with_84_are_searched_by_their_national_digits(hieu_tu):
    """The migration's work, for the records saved before it (their digits kept the 84)."""
    import importlib

    from django.apps import apps

    from tests.factories import person_with_term

    person = person_with_term(branch=BranchFactory(commune=hieu_tu, name="Ấp Số Cũ"), phone="+84 912 345 678")
    # As stored before Person.save() wrote numbers one way.
    Person.objects.filter(pk=person.pk).update(phone="+84 912 345 678", phone_digits="84912345678")
    migration = importlib.import_module("secretaries.migrations.0011_phone_digits_national")
    migration.national(apps, None)
    person.refresh_from_db()
    assert person.phone_digits == "0912345678"


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("0912345678", "0912 345 678"),
        ("0912.345.678", "0912 345 678"),
        ("+84 912 345 678", "0912 345 678"),
        ("(0294) 3855 555", "0294 3855 555"),
        ("02943855555", "0294 3855 555"),
        ("09123", "09123"),  # not a number: as typed, for the validator to refuse
    ],
)
def test_a_number_is_written_one_way(typed, written):
    assert formatted(typed) == written


def test_the_form_the_import_and_the_export_write_a_number_alike(client, tieu_can_officer, hieu_tu):
    """A number typed without spaces in the form or the import shows as the others do ("0912 345 678"), in
    the list, its print and its export; the export read back is unchanged."""
    from tests.excel import read_export
    from tests.importing import confirm

    branch = BranchFactory(commune=hieu_tu, name="Ấp Một Kiểu")
    client.force_login(tieu_can_officer)
    client.post(reverse("secretaries:person_create"), person_data(branch, phone="0912345678"))
    assert Person.objects.get(full_name="Nguyễn Văn Út").phone == "0912 345 678"
    other = BranchFactory(commune=hieu_tu, name="Ấp Hai Kiểu")
    batch = _batch(
        _post(client, [secretary_row("Người Nhập", other.name, **{"Số điện thoại": "0911222444"})])
    )
    assert batch.error_count == 0
    confirm(client, batch)
    assert Person.objects.get(full_name="Người Nhập").phone == "0911 222 444"
    page = client.get(reverse("secretaries:person_list"), {"q": "0911222444"}).content.decode()
    table = page.split("<tbody")[1].split("</tbody>")[0]
    assert "0911 222 444" in table and "0911222444" not in table.replace('href="tel:0911222444"', "")
    # On a phone, where the column is left out, the number is under the name, a tap to call.
    # On one line at 360 px: "0911 222 / 444" broke before its last group.
    narrow = table.split('class="small d-md-none d-print-none text-nowrap" data-phone-narrow>')[1]
    narrow = narrow.split("</div>")[0]
    assert '<a href="tel:0911222444">0911 222 444</a>' in narrow
    rows = read_export(client.get(reverse("secretaries:person_export"), {"q": "0911222444"})).rows
    assert any("0911 222 444" in map(str, row) for row in rows)


def test_the_numbers_typed_before_are_rewritten_one_way(hieu_tu):
    """The migration's work, for the records saved before Person.save() wrote them one way, and the values
    of a correction still waiting, so that the record does not read as changed since the proposal."""
    import importlib

    from django.apps import apps

    from tests.factories import person_with_term

    person = person_with_term(branch=BranchFactory(commune=hieu_tu, name="Ấp Số Liền"), phone="0912 345 678")
    Person.objects.filter(pk=person.pk).update(phone="0912345678")
    migration = importlib.import_module("secretaries.migrations.0013_phone_written_one_way")
    migration.one_way(apps, None)
    person.refresh_from_db()
    assert (person.phone, person.phone_digits) == ("0912 345 678", "0912345678")
