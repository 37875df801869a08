"""Password rules (ASVS V6.2): 12 characters, 15 for administrators and provincial staff, no context word,
not common; Vietnamese messages."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from tests.conftest import PASSWORD
from tests.login import login_verified

GOOD = "Cay-dua-xanh-ben-song-2026"  # 26 characters, no context word


def errors(password, user=None):
    try:
        with translation.override("vi"):
            validate_password(password, user)
    except ValidationError as error:
        return list(error.messages)
    return []


@pytest.fixture
def officer(tieu_can):
    return User(username="huyendoan.tieucan", role="district_officer", district=tieu_can)


@pytest.fixture
def staff(tra_vinh):
    return User(username="tinhdoan.travinh", role="provincial_staff", province=tra_vinh)


class TestLength:
    def test_twelve_characters_for_everyone(self, officer):
        assert any("ít nhất 12 ký tự" in e for e in errors("Cay-dua-xan", officer))
        assert errors("Cay-dua-xanh", officer) == []

    @pytest.mark.parametrize("persona", ["staff", "administrator"])
    def test_fifteen_for_provincial_staff_and_administrators(self, persona, request, db):
        user = (
            request.getfixturevalue("staff")
            if persona == "staff"
            else User(username="quantri", role="administrator")
        )
        assert any("ít nhất 15 ký tự" in e for e in errors("Cay-dua-xanh-b", user))
        assert errors("Cay-dua-xanh-be", user) == []

    def test_long_passphrases_are_welcome(self, staff):
        assert errors(" ".join([GOOD] * 4), staff) == []  # 107 characters, spaces included

    def test_django_staff_flag_alone_needs_fifteen(self, db):
        assert any("15" in e for e in errors("Cay-dua-xanh-b", User(username="nhanvien", is_staff=True)))


class TestContextWords:
    @pytest.mark.parametrize(
        "password",
        [
            "Doan-ket-la-suc-manh",  # the Union's word, any case
            "Đoàn-kết-là-sức-mạnh",  # with diacritics
            "xin-chao-BITHU-2026!",
            "Tra Vinh que huong toi",  # the province, spaced
            "quê-hương-TIỂU-CẦN-2026",  # the district, with diacritics
        ],
    )
    def test_refused_whatever_the_case_and_diacritics(self, officer, password):
        messages = errors(password, officer)
        assert any("không được chứa" in m for m in messages), messages

    def test_the_username_is_a_context_word(self, db):
        user = User(username="nguyenhoa")
        assert any("không được chứa" in m for m in errors("xin-chao-NguyenHoa-99", user))

    def test_a_province_not_in_the_database_is_no_context_word(self, officer):
        assert errors("Ca-Mau-xa-xoi-hon-nhieu", officer) == []

    def test_common_passwords_are_refused(self, officer):
        assert "Mật khẩu này quá phổ biến." in errors("1qaz2wsx3edc", officer)

    @pytest.mark.parametrize(
        ("password", "word"),
        [("password12345678", "password"), ("MatKhau-cua-toi-2026", "matkhau")],  # "matkhau": "password"
    )
    def test_a_common_password_inside_is_said_to_be_too_common_not_a_context_word(
        self, officer, password, word
    ):
        assert errors(password, officer) == [f"Mật khẩu này quá phổ biến: có “{word}”."]


class TestThroughTheForms:
    def test_password_change_shows_vietnamese_errors(self, client, tieu_can_officer):
        client.force_login(tieu_can_officer)
        response = client.post(
            reverse("password_change"),
            {"old_password": PASSWORD, "new_password1": "Tieu-Can-oi", "new_password2": "Tieu-Can-oi"},
        )
        html = response.content.decode()
        assert response.status_code == 200
        assert "ít nhất 12 ký tự" in html
        assert "không được chứa" in html

    def test_provincial_staff_change_needs_fifteen(self, client, tra_vinh_staff):
        login_verified(client, tra_vinh_staff)
        data = {
            "old_password": PASSWORD,
            "new_password1": "Cay-dua-xanh-b",
            "new_password2": "Cay-dua-xanh-b",
        }
        response = client.post(reverse("password_change"), data)
        assert "ít nhất 15 ký tự" in response.content.decode()
        data["new_password1"] = data["new_password2"] = GOOD
        assert client.post(reverse("password_change"), data)["Location"] == reverse("password_change_done")

    def test_the_help_text_lists_the_rules(self, client, tieu_can_officer, tra_vinh_staff):
        client.force_login(tieu_can_officer)
        html = client.get(reverse("password_change")).content.decode()
        assert "ít nhất 12 ký tự" in html
        assert "tên tỉnh, huyện" in html
        # The rules of this account: the longer minimum is the staff's, said to them only.
        assert "15 ký tự" not in html
        login_verified(client, tra_vinh_staff)
        assert "15 ký tự" in client.get(reverse("password_change")).content.decode()

    def test_admin_creating_an_administrator_needs_fifteen(self, client, administrator):
        login_verified(client, administrator)
        response = client.post(
            reverse("admin:accounts_user_add"),
            {
                "username": "quantri2",
                "password1": "Cay-dua-xanh-b",
                "password2": "Cay-dua-xanh-b",
                "role": "administrator",
                "usable_password": "true",
            },
        )
        assert response.status_code == 200
        assert "ít nhất 15 ký tự" in response.content.decode()
        assert not User.objects.filter(username="quantri2").exists()
