import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD


def login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_page_is_vietnamese(client, db):
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html
    assert "Quên mật khẩu" in html


def test_login_and_logout(client, tieu_can_officer):
    response = login(client, "huyendoan.tieucan", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "Huyện Tiểu Cần" in client.get(reverse("home")).content.decode()
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_message_in_vietnamese(client, tieu_can_officer):
    response = login(client, "huyendoan.tieucan", "sai")
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


class TestThrottling:
    def test_locks_username_from_that_address_after_five_failures(self, client, tieu_can_officer, settings):
        for _ in range(5):
            login(client, "huyendoan.tieucan", "sai")
        response = login(client, "huyendoan.tieucan", PASSWORD)
        assert response.status_code == 429
        assert "15 phút" in response.content.decode()

    def test_same_user_from_another_address_is_not_locked(self, client, tieu_can_officer):
        for _ in range(5):
            login(client, "huyendoan.tieucan", "sai", ip="10.0.0.1")
        assert login(client, "huyendoan.tieucan", PASSWORD, ip="10.0.0.2").status_code == 302

    def test_another_user_from_that_address_is_not_locked(self, client, tieu_can_officer, cang_long_officer):
        for _ in range(5):
            login(client, "huyendoan.tieucan", "sai")
        assert login(client, "huyendoan.canglong", PASSWORD).status_code == 302

    def test_success_resets_the_count(self, client, tieu_can_officer):
        for _ in range(4):
            login(client, "huyendoan.tieucan", "sai")
        assert login(client, "huyendoan.tieucan", PASSWORD).status_code == 302
        assert not AccessAttempt.objects.filter(username="huyendoan.tieucan").exists()
        client.post(reverse("logout"))
        for _ in range(4):
            login(client, "huyendoan.tieucan", "sai")
        assert login(client, "huyendoan.tieucan", PASSWORD).status_code == 302

    def test_cool_off_is_fifteen_minutes(self, settings):
        from axes.helpers import get_cool_off

        assert get_cool_off().total_seconds() == 15 * 60


def test_password_change(client, tieu_can_officer):
    client.force_login(tieu_can_officer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mat-khau-moi-2026",
            "new_password2": "Mat-khau-moi-2026",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    tieu_can_officer.refresh_from_db()
    assert tieu_can_officer.check_password("Mat-khau-moi-2026")


def test_password_reset_sends_vietnamese_mail(client, tieu_can_officer):
    response = client.post(reverse("password_reset"), {"email": tieu_can_officer.email})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert "mật khẩu" in mail.outbox[0].body


def test_english_is_available(client, tieu_can_officer):
    client.force_login(tieu_can_officer)
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")}, follow=True)
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Overview" in html


@pytest.mark.parametrize(
    ("role", "province", "district", "valid"),
    [
        ("provincial_staff", True, False, True),
        ("provincial_staff", False, False, False),
        ("district_officer", False, True, True),
        ("district_officer", True, True, False),
        ("administrator", False, False, True),
        ("", False, True, False),
    ],
)
def test_role_must_match_its_unit(role, province, district, valid, tra_vinh, tieu_can):
    from django.db import IntegrityError, transaction

    from accounts.models import User

    user = User(
        username=f"u-{role}-{province}-{district}",
        role=role,
        province=tra_vinh if province else None,
        district=tieu_can if district else None,
    )
    if valid:
        user.save()
        assert User.objects.filter(pk=user.pk, role=role).exists()
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            user.save()
