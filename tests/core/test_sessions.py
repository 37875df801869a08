"""Session lifetimes (ASVS V7.3): 30 minutes idle, 12 hours at most, ended by an administrator, and ended
elsewhere by a password change."""

import datetime
from unittest import mock

from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import SecurityEvent
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.login import login_verified

START = timezone.now()


def at(**delta):
    """Travel in time: every `timezone.now()` the session code reads answers START + delta."""
    return mock.patch("core.sessions.timezone.now", return_value=START + datetime.timedelta(**delta))


def log_in(client, user):
    with at():
        response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def get_home(client, **delta):
    with at(**delta):
        return client.get(reverse("home"))


class TestIdleTimeout:
    def test_activity_within_thirty_minutes_keeps_the_session(self, client, tieu_can_officer):
        log_in(client, tieu_can_officer)
        for minutes in (29, 58, 87):  # every request pushes the limit back
            assert get_home(client, minutes=minutes).status_code == 200

    def test_thirty_minutes_idle_signs_out_with_a_vietnamese_message(self, client, tieu_can_officer):
        log_in(client, tieu_can_officer)
        response = get_home(client, minutes=31)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        html = client.get(response["Location"]).content.decode()
        assert "đăng xuất sau 30 phút không thao tác" in html
        assert "Vui lòng đăng nhập lại" in html
        assert get_home(client, minutes=32)["Location"].startswith(reverse("login"))
        assert SecurityEvent.objects.filter(event="session.expired", details__reason="idle").count() == 1

    def test_typing_in_a_form_keeps_the_session(self, client, tieu_can_officer):
        """A page's form being typed in asks the keep-alive (static/js/portal.js): 25 minutes of typing after
        the page was opened, then 25 more, and the save still finds the session."""
        log_in(client, tieu_can_officer)
        page = get_home(client, minutes=1).content.decode()
        url = reverse("keepalive")
        assert f'data-keepalive-url="{url}"' in page
        with at(minutes=26):
            answer = client.get(url)
        assert answer.status_code == 204 and "no-store" in answer["Cache-Control"]
        assert get_home(client, minutes=51).status_code == 200
        # Not for someone logged out.
        assert Client().get(url).status_code == 302

    def test_the_idle_limit_comes_from_the_settings(self, client, tieu_can_officer, settings):
        settings.SESSION_IDLE_MINUTES = 10
        log_in(client, tieu_can_officer)
        assert get_home(client, minutes=9).status_code == 200
        assert get_home(client, minutes=20).status_code == 302


class TestAbsoluteLifetime:
    def test_twelve_hours_after_login_even_when_active(self, client, tieu_can_officer):
        log_in(client, tieu_can_officer)
        for minutes in range(25, 12 * 60, 25):
            assert get_home(client, minutes=minutes).status_code == 200, minutes
        response = get_home(client, hours=12, minutes=1)
        assert response.status_code == 302
        html = client.get(response["Location"]).content.decode()
        assert "đăng xuất 12 giờ sau khi đăng nhập" in html

    def test_the_session_cookie_does_not_outlive_it(self, settings):
        assert settings.SESSION_COOKIE_AGE == settings.SESSION_MAX_HOURS * 3600 == 12 * 3600


class TestAdministratorEndsSessions:
    def test_confirmation_first_then_every_session_of_the_user_ends(
        self, client, administrator, tieu_can_officer, cang_long_officer
    ):
        phone, office, other = Client(), Client(), Client()
        for browser, user in (
            (phone, tieu_can_officer),
            (office, tieu_can_officer),
            (other, cang_long_officer),
        ):
            login_verified(browser, user)
        login_verified(client, administrator)
        url = reverse("admin:accounts_user_changelist")
        data = {"action": "end_sessions", "_selected_action": [tieu_can_officer.pk]}

        confirm = client.post(url, data)
        assert confirm.status_code == 200
        assert "Kết thúc mọi phiên đăng nhập?" in confirm.content.decode()
        assert phone.get(reverse("home")).status_code == 200  # nothing ended yet

        done = client.post(url, {**data, "post": "yes"}, follow=True)
        assert "Đã kết thúc 2 phiên đăng nhập." in done.content.decode()
        assert phone.get(reverse("home")).status_code == 302
        assert office.get(reverse("home")).status_code == 302
        assert other.get(reverse("home")).status_code == 200
        assert client.get(url).status_code == 200  # the administrator's own session stays
        event = SecurityEvent.objects.get(event="session.end_all")
        assert event.user_id == administrator.pk and event.details == {"target": tieu_can_officer.pk}

    def test_only_those_who_may_change_users_see_the_action(self, client, db):
        viewer = UserFactory(username="xem", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_user"))
        login_verified(client, viewer)
        page = client.get(reverse("admin:accounts_user_changelist"))
        assert "end_sessions" not in page.content.decode()


def test_password_change_ends_the_other_sessions(client, tieu_can_officer):
    other = Client()
    other.force_login(tieu_can_officer)
    client.force_login(tieu_can_officer)
    new = "Cay-dua-xanh-ben-song-2026"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == reverse("password_change_done")
    assert client.get(reverse("home")).status_code == 200  # this one stays signed in
    assert other.get(reverse("home")).status_code == 302


def test_a_deactivated_account_loses_its_sessions(client, tieu_can_officer):
    client.force_login(tieu_can_officer)
    assert client.get(reverse("home")).status_code == 200
    tieu_can_officer.is_active = False
    tieu_can_officer.save()
    assert client.get(reverse("home")).status_code == 302
