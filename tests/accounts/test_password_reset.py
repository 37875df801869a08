"""The password-reset mail goes through the job queue, so a known address answers as fast as an unknown
one (ASVS V6: no account enumeration by timing)."""

from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse


@pytest.fixture
def queued(settings):
    """The job queue as production runs it (RQ after commit), with the queue caught: what was sent to it."""
    settings.JOBS_INLINE = False
    sent = []

    class FakeQueue:
        def enqueue(self, func, *args, **kwargs):
            sent.append(lambda: func(*args, **kwargs))

    with mock.patch("django_rq.get_queue", return_value=FakeQueue()):
        yield sent


def test_the_view_answers_before_the_mail_is_sent(
    client, tieu_can_officer, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": tieu_can_officer.email})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []  # nothing sent inside the request
    assert len(queued) == 1
    queued[0]()  # the worker's work, after the response
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [tieu_can_officer.email]
    assert "mật khẩu" in mail.outbox[0].body  # in the request's language, though sent by the worker
    # The link the worker made opens the form to choose a new password.
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line).strip()
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path, follow=True).context["validlink"]


def test_an_unknown_address_answers_the_same_and_sends_nothing(
    client, tieu_can_officer, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "khong-co@example.vn"})
    assert response["Location"] == reverse("password_reset_done")
    assert queued == [] and mail.outbox == []


def test_nothing_is_sent_when_the_transaction_rolls_back(client, tieu_can_officer, queued):
    # Without the commit (the test's transaction never commits), nothing reaches the queue.
    client.post(reverse("password_reset"), {"email": tieu_can_officer.email})
    assert queued == [] and mail.outbox == []


def test_a_failing_mail_server_is_logged_not_raised(
    client, tieu_can_officer, queued, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": tieu_can_officer.email})
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=ConnectionRefusedError("down")
    ):
        queued[0]()
    failures = [r for r in caplog.records if r.name == "accounts.mail"]
    assert failures and failures[0].exc_info
    caplog.clear()  # an expected error: the suite's strictness would fail the test on it
