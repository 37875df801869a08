"""Two-step verification (TOTP + recovery codes): required for administrators and provincial staff, also
on /admin/; optional for district officers. Every code here is a real TOTP code computed from the
device's key, as the person's phone would show it."""

import datetime
import io
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from tests.conftest import PASSWORD
from tests.login import login_verified, totp_code, totp_device
from tests.test_scope_matrix import CASES

VERIFY = reverse("mfa_verify")
ENROL = reverse("mfa_enrol")


def password_login(client, user, ip="10.0.0.1"):
    """The first step through the real login form (django-axes included)."""
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=ip
    )
    assert response.status_code == 302, "the password step failed"
    return response


def security_events(caplog, name):
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "bithu.security" and r.getMessage().startswith(name)
    ]


def pending_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=False)


def make_stale(device):
    """As if the throttling delay after the last wrong code had passed (no sleeping in tests)."""
    type(device).objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - datetime.timedelta(hours=1)
    )


class TestRequiredRolesReachNothingBeforeTheSecondFactor:
    def test_no_portal_page_nor_admin_without_enrolment_or_code(
        self, client, world, administrator, tra_vinh_staff
    ):
        """Every URL of the scope matrix and Django admin, as the administrator (who has an authenticator but
        gave only the password) and as provincial staff (who has none yet): each answers with the step."""
        totp_device(administrator)
        urls = []
        for case in CASES:
            # A few cases set the world up for themselves (and cannot twice in one world): skip those.
            try:
                urls.append((case.method, case.url(world)))
            except Exception:
                continue
        assert len(urls) > 0.9 * len(CASES)
        urls += [("get", reverse("admin:index")), ("get", reverse("admin:accounts_user_changelist"))]
        urls += [("get", reverse("account_security")), ("get", reverse("password_change"))]
        wrong = []
        for user, step in ((administrator, VERIFY), (tra_vinh_staff, ENROL)):
            client.logout()
            password_login(client, user)
            for method, url in urls:
                response = getattr(client, method)(url)
                if response.status_code != 302 or not response["Location"].startswith(step):
                    wrong.append((user.username, method, url, response.status_code))
        assert not wrong

    def test_login_leads_to_enrolment_and_back_to_the_page_asked_for(self, client, tra_vinh_staff, world):
        client.get(reverse("branches:branch_list"))
        response = client.post(
            reverse("login") + "?next=" + reverse("branches:branch_list"),
            {"username": tra_vinh_staff.username, "password": PASSWORD},
        )
        response = client.get(response["Location"])
        assert response.status_code == 302
        assert response["Location"] == f"{ENROL}?next=%2Fbranches%2F"

    def test_superuser_without_role_must_enrol_too(self, client, db):
        from tests.factories import UserFactory

        root = UserFactory(username="root", is_staff=True, is_superuser=True)
        password_login(client, root)
        assert client.get(reverse("admin:index"))["Location"].startswith(ENROL)

    def test_admin_login_page_does_not_skip_the_code(self, client, administrator):
        totp_device(administrator)
        response = client.post(
            reverse("admin:login"),
            {"username": administrator.username, "password": PASSWORD, "next": "/admin/"},
        )
        assert response.status_code == 302
        assert client.get(reverse("admin:index"))["Location"].startswith(VERIFY)

    def test_step_pages_show_no_portal_menu(self, client, tra_vinh_staff):
        password_login(client, tra_vinh_staff)
        html = client.get(ENROL).content.decode()
        assert "navbar-nav me-auto d-none" in html
        assert f'href="{reverse("account_security")}"' not in html
        assert reverse("logout") in html


def test_password_reset_does_not_skip_the_code(client, administrator):
    """A reset sets a new password only: the next login still asks for the code."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    totp_device(administrator)
    uid = urlsafe_base64_encode(force_bytes(administrator.pk))
    token = default_token_generator.make_token(administrator)
    response = client.get(reverse("password_reset_confirm", args=[uid, token]))
    new_password = "Ngay-xuan-hoa-no-ven-song-2026"
    response = client.post(
        response["Location"], {"new_password1": new_password, "new_password2": new_password}
    )
    assert response["Location"] == reverse("password_reset_complete")
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    client.post(reverse("login"), {"username": administrator.username, "password": new_password})
    assert client.get(reverse("admin:index"))["Location"].startswith(VERIFY)


class TestOptionalRole:
    def test_district_officer_without_device_logs_in_with_password_only(
        self, client, tieu_can_officer, world
    ):
        password_login(client, tieu_can_officer)
        assert client.get(reverse("home")).status_code == 200
        assert client.get(reverse("branches:branch_list")).status_code == 200

    def test_district_officer_with_device_gives_the_code(self, client, tieu_can_officer):
        device = totp_device(tieu_can_officer)
        password_login(client, tieu_can_officer)
        assert client.get(reverse("home"))["Location"].startswith(VERIFY)
        response = client.post(VERIFY, {"code": totp_code(device)})
        assert response["Location"] == reverse("home")
        assert client.get(reverse("home")).status_code == 200


class TestCodeStep:
    def test_right_code_opens_the_portal_and_admin(self, client, administrator, caplog):
        device = totp_device(administrator)
        password_login(client, administrator)
        key_before = client.session.session_key
        response = client.post(f"{VERIFY}?next=/admin/", {"code": totp_code(device)})
        assert response["Location"] == "/admin/"
        assert client.get(reverse("admin:index")).status_code == 200
        assert client.get(reverse("home")).status_code == 200
        assert client.session.session_key != key_before  # a new session key with the second factor
        assert security_events(caplog, "mfa.verified")

    def test_offsite_next_is_ignored(self, client, administrator):
        device = totp_device(administrator)
        password_login(client, administrator)
        response = client.post(f"{VERIFY}?next=https://evil.example/", {"code": totp_code(device)})
        assert response["Location"] == reverse("home")

    def test_wrong_code_refused_then_throttled(self, client, tra_vinh_staff, caplog):
        device = totp_device(tra_vinh_staff)
        password_login(client, tra_vinh_staff)
        right = totp_code(device)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        response = client.post(VERIFY, {"code": wrong})
        assert response.status_code == 200
        assert "Mã này không đúng" in response.content.decode()
        # Straight after a wrong code even the right one is refused: django-otp's throttling.
        response = client.post(VERIFY, {"code": right})
        assert response.status_code == 200
        assert "Vui lòng chờ 1 giây rồi nhập lại mã." in response.content.decode()  # not "too many"
        assert client.get(reverse("home"))["Location"].startswith(VERIFY)
        failures = security_events(caplog, "mfa.failure")
        assert len(failures) == 2 and "throttled=1" in failures[1]
        device.refresh_from_db()
        assert device.throttling_failure_count == 1
        # The wait doubles with each failure.
        make_stale(device)
        client.post(VERIFY, {"code": wrong})
        response = client.post(VERIFY, {"code": right})
        assert "chờ 2 giây" in response.content.decode()
        make_stale(device)
        assert client.post(VERIFY, {"code": right})["Location"] == reverse("home")

    def test_a_code_works_only_once(self, client, administrator):
        device = totp_device(administrator)
        code = totp_code(device)
        password_login(client, administrator)
        assert client.post(VERIFY, {"code": code}).status_code == 302
        client.post(reverse("logout"))
        password_login(client, administrator)
        response = client.post(VERIFY, {"code": code})
        assert response.status_code == 200
        assert "Mã này không đúng" in response.content.decode()

    def test_recovery_code_works_once(self, client, tra_vinh_staff, caplog):
        totp_device(tra_vinh_staff)
        codes = mfa.recovery_codes_regenerate(user=tra_vinh_staff)
        password_login(client, tra_vinh_staff)
        response = client.post(VERIFY, {"code": mfa.format_code(codes[0]).upper()}, follow=True)
        assert response.redirect_chain[0][0] == reverse("home")
        assert "Bạn đã dùng một mã khôi phục; còn 9 mã." in response.content.decode()
        assert "method=recovery" in security_events(caplog, "mfa.verified")[0]
        client.post(reverse("logout"))
        password_login(client, tra_vinh_staff)
        response = client.post(VERIFY, {"code": codes[0]})
        assert response.status_code == 200
        assert "Mã này không đúng" in response.content.decode()
        make_stale(StaticDevice.objects.get(user=tra_vinh_staff))
        assert client.post(VERIFY, {"code": codes[1]}).status_code == 302

    def test_who_has_a_device_cannot_enrol_another_instead_of_giving_the_code(self, client, administrator):
        totp_device(administrator)
        password_login(client, administrator)
        assert client.get(ENROL)["Location"].startswith(VERIFY)
        assert client.post(ENROL, {"code": "123456"})["Location"].startswith(VERIFY)
        assert not TOTPDevice.objects.filter(user=administrator, confirmed=False).exists()

    def test_page_is_vietnamese(self, client, administrator):
        totp_device(administrator)
        password_login(client, administrator)
        html = client.get(VERIFY).content.decode()
        assert "Xác thực hai bước" in html
        assert "ứng dụng xác thực" in html
        assert 'autocomplete="one-time-code"' in html
        assert "inputmode" not in html  # a recovery code has letters: the full keyboard


class TestEnrolment:
    def test_enrol_with_a_real_code_then_recovery_codes_shown_once(self, client, tra_vinh_staff, caplog):
        password_login(client, tra_vinh_staff)
        response = client.get(f"{ENROL}?next=/branches/")
        html = response.content.decode()
        assert "Thiết lập xác thực hai bước" in html
        assert '<svg class="mfa-qr"' in html
        assert 'inputmode="numeric"' in html  # the app's six digits: a phone's number pad
        assert "no-store" in response["Cache-Control"]
        assert "<script" not in html.split("<main")[1].split("</main>")[0]
        device = pending_device(tra_vinh_staff)
        assert mfa.secret_base32(device.key) in html
        # A reload shows the same key: what the person scanned stays valid.
        client.get(ENROL)
        assert pending_device(tra_vinh_staff).pk == device.pk

        response = client.post(f"{ENROL}?next=/branches/", {"code": totp_code(device)})
        assert response["Location"] == reverse("mfa_recovery_codes")
        html = client.get(response["Location"]).content.decode()
        codes = re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", html)
        assert len(codes) == 10
        assert 'href="/branches/"' in html
        again = client.get(reverse("mfa_recovery_codes")).content.decode()
        assert not re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", again)
        assert "chỉ hiển thị một lần" in again
        assert client.get(reverse("branches:branch_list")).status_code == 200
        assert security_events(caplog, "mfa.enrolled")
        device.refresh_from_db()
        assert device.confirmed

    def test_wrong_code_does_not_enrol(self, client, tra_vinh_staff, caplog):
        password_login(client, tra_vinh_staff)
        client.get(ENROL)
        device = pending_device(tra_vinh_staff)
        right = totp_code(device)
        response = client.post(ENROL, {"code": f"{(int(right) + 7) % 1_000_000:06d}"})
        assert response.status_code == 200
        assert "Mã này không đúng" in response.content.decode()
        assert not mfa.has_second_factor(tra_vinh_staff)
        assert client.get(reverse("home"))["Location"].startswith(ENROL)
        assert "step=enrolment" in security_events(caplog, "mfa.failure")[0]


class TestAccountSecurityPage:
    def test_district_officer_enrols_regenerates_and_removes(self, client, tieu_can_officer, caplog):
        password_login(client, tieu_can_officer)
        html = client.get(reverse("account_security")).content.decode()
        assert "Bảo mật tài khoản" in html and "Bật xác thực hai bước" in html
        client.get(ENROL)
        device = pending_device(tieu_can_officer)
        client.post(ENROL, {"code": totp_code(device)})
        first = StaticToken.objects.filter(device__user=tieu_can_officer).values_list("token", flat=True)
        first = set(first)
        html = client.get(reverse("account_security")).content.decode()
        assert "Còn 10 mã khôi phục." in html
        assert "Tắt xác thực hai bước" in html

        response = client.post(reverse("mfa_recovery_regenerate"))
        assert response["Location"] == reverse("mfa_recovery_codes")
        html = client.get(response["Location"]).content.decode()
        new = {c.replace("-", "") for c in re.findall(r"<li>([a-z2-7]{4}-[a-z2-7]{4})</li>", html)}
        assert len(new) == 10 and not new & first
        assert security_events(caplog, "mfa.recovery_codes_regenerated")

        # Removing asks for a current code.
        client.post(reverse("mfa_remove"), {"code": "000000" if totp_code(device) != "000000" else "111111"})
        assert mfa.has_second_factor(tieu_can_officer)
        make_stale(device)
        response = client.post(
            reverse("mfa_remove"), {"code": totp_code(device, offset_steps=1)}, follow=True
        )
        assert "Đã tắt xác thực hai bước." in response.content.decode()
        assert not mfa.has_second_factor(tieu_can_officer)
        assert security_events(caplog, "mfa.removed")

    def test_required_role_cannot_remove(self, client, tra_vinh_staff):
        device = totp_device(tra_vinh_staff)
        login_verified(client, tra_vinh_staff)
        html = client.get(reverse("account_security")).content.decode()
        assert "không thể tắt" in html
        client.post(reverse("mfa_remove"), {"code": totp_code(device)})
        assert mfa.has_second_factor(tra_vinh_staff)

    def test_menu_links_to_the_page(self, client, tieu_can_officer):
        client.force_login(tieu_can_officer)
        assert reverse("account_security") in client.get(reverse("home")).content.decode()


class TestAdministratorReset:
    def test_reset_with_confirmation_forces_re_enrolment(self, client, administrator, tra_vinh_staff, caplog):
        from django.test import Client

        totp_device(tra_vinh_staff)
        mfa.recovery_codes_regenerate(user=tra_vinh_staff)
        staff_client = login_verified(Client(), tra_vinh_staff)
        assert staff_client.get(reverse("home")).status_code == 200

        login_verified(client, administrator)
        changelist = reverse("admin:accounts_user_changelist")
        form = {"action": "reset_second_factor", "_selected_action": [tra_vinh_staff.pk]}
        listed = client.get(changelist).context["cl"].result_list
        assert {u.username: u.has_second_factor for u in listed} == {
            "quantri": True,
            "tinhdoan.travinh": True,
        }
        response = client.post(changelist, form)
        assert response.status_code == 200
        assert "Đặt lại xác thực hai bước" in response.content.decode()
        assert mfa.has_second_factor(tra_vinh_staff)  # nothing before the confirmation

        response = client.post(changelist, {**form, "post": "yes"}, follow=True)
        assert "Đã đặt lại xác thực hai bước cho 1 người dùng." in response.content.decode()
        assert not TOTPDevice.objects.filter(user=tra_vinh_staff).exists()
        assert not StaticDevice.objects.filter(user=tra_vinh_staff).exists()
        entry = LogEntry.objects.get(object_id=str(tra_vinh_staff.pk))
        assert entry.user == administrator and "xác thực hai bước" in entry.get_change_message()
        assert f"target={tra_vinh_staff.pk}" in security_events(caplog, "mfa.reset")[0]
        # The staff member's session lost its second factor at once: enrolment again.
        assert staff_client.get(reverse("home"))["Location"].startswith(ENROL)


def test_admin_shows_no_device_secrets():
    from django.contrib import admin

    assert not admin.site.is_registered(TOTPDevice)
    assert not admin.site.is_registered(StaticDevice)


class TestDemoCodes:
    def test_demo_totp_prints_a_code_the_demo_login_accepts(self, client, tra_vinh, tieu_can, cang_long):
        from branches.models import District
        from demo.accounts import populate_users

        District.objects.get_or_create(code="844", defaults={"name": "Huyện Càng Long", "province": tra_vinh})
        populate_users(password=PASSWORD)
        out = io.StringIO()
        call_command("demo_totp", "tinhdoan.travinh", stdout=out)
        code, hint = out.getvalue().split("\n", 1)
        assert re.fullmatch(r"\d{6}", code)
        assert "MJUX I2DV" in hint
        user = mfa.User.objects.get(username="tinhdoan.travinh")
        password_login(client, user)
        assert client.post(VERIFY, {"code": code})["Location"] == reverse("home")
        assert not mfa.has_second_factor(mfa.User.objects.get(username="huyendoan.tieucan"))

    def test_only_demo_devices(self, administrator):
        totp_device(administrator)
        with pytest.raises(CommandError):
            call_command("demo_totp", "quantri", stdout=io.StringIO())

    def test_refuses_under_production_settings(self, administrator, settings):
        from demo.accounts import DEMO_TOTP_KEY

        TOTPDevice.objects.create(user=administrator, key=DEMO_TOTP_KEY, confirmed=True)
        settings.SETTINGS_MODULE = "config.settings.production"
        with pytest.raises(CommandError, match="production"):
            call_command("demo_totp", "quantri", stdout=io.StringIO())


def test_no_bypass_in_settings(settings):
    """The middleware is in every environment's settings and none of them takes it out: the test world
    logs in through tests/login.py like everyone else."""
    from pathlib import Path

    assert "accounts.middleware.SecondFactorMiddleware" in settings.MIDDLEWARE
    settings_dir = Path(__file__).resolve().parents[2] / "config" / "settings"
    for path in settings_dir.glob("*.py"):
        if path.name != "base.py":
            assert "MIDDLEWARE" not in path.read_text(), path


def test_a_page_reads_the_account_itself_verified_or_not(client, tra_vinh_staff):
    """request.user is the account, not django-otp's lazy object around Django's (accounts.middleware):
    every read of it in a view or template went through both."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser

    anonymous = client.get("/healthz").wsgi_request.user
    assert type(anonymous) is AnonymousUser and not anonymous.is_verified()
    password_login(client, tra_vinh_staff)
    pending = client.get("/accounts/security/").wsgi_request.user
    assert type(pending) is get_user_model() and not pending.is_verified()
    login_verified(client, tra_vinh_staff)
    user = client.get("/accounts/security/").wsgi_request.user
    assert type(user) is get_user_model() and user.is_verified() and user.otp_device is not None
