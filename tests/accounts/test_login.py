import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD


def login(client, username, password, ip="10.0.0.1", **headers):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **headers
    )


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
        pages = [login(client, "huyendoan.tieucan", "sai").content.decode() for _ in range(5)]
        # The last two wrong passwords say how many attempts are left before the lockout.
        assert not any("lần thử" in page for page in pages[:2])
        assert "Còn 2 lần thử: sau đó đăng nhập bị khóa 15 phút." in pages[2]
        assert "Còn 1 lần thử" in pages[3]
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

    def test_a_forged_forwarded_header_is_ignored_without_a_trusted_proxy(self, client, tieu_can_officer):
        """Direct requests (proxy count 0): the attacker cannot pose as the victim's address."""
        for _ in range(5):
            login(client, "huyendoan.tieucan", "sai", ip="6.6.6.6", HTTP_X_FORWARDED_FOR="10.0.0.2")
        assert AccessAttempt.objects.get().ip_address == "6.6.6.6"
        assert login(client, "huyendoan.tieucan", PASSWORD, ip="10.0.0.2").status_code == 302

    def test_behind_one_proxy_the_hop_it_wrote_is_the_address(self, client, tieu_can_officer, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        for _ in range(5):
            # The attacker forges the victim's address on the left; nginx appends the real one.
            login(
                client, "huyendoan.tieucan", "sai", ip="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.2, 6.6.6.6"
            )
        assert AccessAttempt.objects.get().ip_address == "6.6.6.6"
        # The victim, through the same proxy, is not locked; the attacker is.
        victim = login(client, "huyendoan.tieucan", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.2")
        assert victim.status_code == 302
        client.post(reverse("logout"))
        attacker = login(
            client, "huyendoan.tieucan", PASSWORD, ip="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6"
        )
        assert attacker.status_code == 429

    def test_one_address_is_locked_across_many_usernames(self, client, tieu_can_officer, settings):
        """The attack of the issue: 124 wrong passwords over 31 usernames. Now the address stops at 20."""
        assert settings.AXES_ADDRESS_FAILURE_LIMIT == 20
        statuses = [login(client, f"khong-co-{n // 4}", "sai", ip="6.6.6.6").status_code for n in range(20)]
        assert 429 not in statuses[:19]
        # No username reached its own limit of 5, yet the address is refused, even for a right password.
        assert login(client, "huyendoan.tieucan", PASSWORD, ip="6.6.6.6").status_code == 429
        assert login(client, "huyendoan.tieucan", PASSWORD, ip="10.0.0.2").status_code == 302

    def test_logging_into_own_account_does_not_clear_the_address(
        self, client, tieu_can_officer, cang_long_officer, settings
    ):
        settings.AXES_ADDRESS_FAILURE_LIMIT = 8
        for n in range(7):
            login(client, f"khong-co-{n}", "sai")
        login(client, "huyendoan.canglong", "sai")  # 8th failure: the address is locked
        assert login(client, "huyendoan.canglong", PASSWORD).status_code == 429
        settings.AXES_ADDRESS_FAILURE_LIMIT = 20  # the administrator raises it; the count stays
        assert login(client, "huyendoan.canglong", PASSWORD).status_code == 302
        client.post(reverse("logout"))
        # Only that username's attempts were forgiven, not the other seven.
        assert AccessAttempt.objects.filter(ip_address="10.0.0.1").count() == 7

    def test_cool_off_is_fifteen_minutes(self, settings):
        from axes.helpers import get_cool_off

        assert get_cool_off().total_seconds() == 15 * 60


def test_password_change(client, tieu_can_officer):
    client.force_login(tieu_can_officer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Cay-dua-xanh-ben-song-2026",
            "new_password2": "Cay-dua-xanh-ben-song-2026",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    tieu_can_officer.refresh_from_db()
    assert tieu_can_officer.check_password("Cay-dua-xanh-ben-song-2026")


def test_password_reset_sends_vietnamese_mail(client, tieu_can_officer):
    page = client.get(reverse("password_reset")).content.decode()
    # What the field is for, what someone without an e-mail address does, and the way back.
    assert "đường dẫn để đặt mật khẩu mới sẽ được gửi" in page
    assert "Tài khoản không có e-mail" in page and f'href="{reverse("login")}"' in page
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
