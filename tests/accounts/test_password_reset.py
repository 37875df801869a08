"""The password-reset mail leaves after the response, so a known address answers as fast as an unknown
one (ASVS V6: no account enumeration by timing)."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse


@pytest.fixture
def threads(settings):
    """Deferred work as production runs it (a thread after commit), with the thread caught, not started."""
    settings.DEFERRED_WORK_INLINE = False
    started = []

    class FakeThread:
        def __init__(self, target, name=None):
            self.target = target

        def start(self):
            started.append(self.target)

    with mock.patch("core.deferred.threading.Thread", FakeThread):
        yield started


def test_the_view_answers_before_the_mail_is_sent(
    client, tieu_can_officer, threads, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": tieu_can_officer.email})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []  # nothing sent inside the request
    assert len(threads) == 1
    threads[0]()  # the thread's work, after the response
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [tieu_can_officer.email]
    assert "mật khẩu" in mail.outbox[0].body  # in the request's language, though sent from a thread


def test_an_unknown_address_answers_the_same_and_sends_nothing(
    client, tieu_can_officer, threads, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "khong-co@example.vn"})
    assert response["Location"] == reverse("password_reset_done")
    assert threads == [] and mail.outbox == []


def test_nothing_is_sent_when_the_transaction_rolls_back(client, tieu_can_officer, threads):
    # Without the commit (the test's transaction never commits), the thread is never started.
    client.post(reverse("password_reset"), {"email": tieu_can_officer.email})
    assert threads == [] and mail.outbox == []


def test_a_failing_mail_server_is_logged_not_raised(settings, caplog):
    from core.deferred import run_after_response

    settings.DEFERRED_WORK_INLINE = True

    def broken():
        raise ConnectionRefusedError("smtp down")

    run_after_response(broken)
    failures = [r for r in caplog.records if r.name == "core.deferred"]
    assert failures and failures[0].exc_info
    caplog.clear()  # an expected error: the suite's strictness would fail the test on it
