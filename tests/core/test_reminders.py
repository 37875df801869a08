"""Reminders (core/reminders.py): what each role is told, within its scope only; the daily digest through the
job queue, never the same item twice; unsubscribing per kind by the signed link or the settings page; the
first screen's "closing soon" panel."""

import datetime
import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core import reminders
from core.models import ReminderOptOut, ReminderSent
from seminars.models import Proposal
from tests.login import login_verified

pytestmark = pytest.mark.usefixtures("world_once")

D = datetime.date


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def officers(tieu_can_officer, cang_long_officer, monkeypatch):
    # The assessment period closes on 31/12: silent here whatever today's date (its own test sets the day).
    monkeypatch.setattr("assessments.reminders.current_framework", lambda user: None)
    for user, address in (
        (tieu_can_officer, "tieucan@example.vn"),
        (cang_long_officer, "canglong@example.vn"),
    ):
        user.email = address
        user.save(update_fields=["email"])
    return tieu_can_officer, cang_long_officer


def ending(term, today, days=30):
    term.expected_end_on = today + datetime.timedelta(days=days)
    term.save()
    return term


def mail_to(address) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def html_of(message) -> str:
    return message.alternatives[0][0]


class TestScope:
    def test_each_officer_hears_of_their_own_unit_only(self, world, officers, today):
        tieu_can, cang_long = officers
        ending(world["tieu_can_term"], today)
        ending(world["cang_long_person"].terms.get(), today, days=40)
        own = reminders.reminders_for(tieu_can, today=today)
        texts = " ".join(r.text for r in own)
        assert "Nguyễn Văn Tèo" in texts and "Lê Thị Hồng Nhung" not in texts
        # Tiểu Cần's 2021 seminar proposal is overdue: its organiser hears of it, Càng Long does not.
        assert {r.kind for r in own} == {"terms_ending", "proposals_due"}
        other = reminders.reminders_for(cang_long, today=today)
        assert [r.kind for r in other] == ["terms_ending"]
        assert "Lê Thị Hồng Nhung" in other[0].text and "Tèo" not in other[0].text

    def test_nomination_window_closing(self, world, officers, today):
        tieu_can, _ = officers
        campaign = world["campaign"]
        assert not [
            r for r in reminders.reminders_for(tieu_can, today=today) if r.kind == "nomination_closing"
        ]
        campaign.closes_on = today + datetime.timedelta(days=3)
        campaign.save()
        (item,) = [
            r for r in reminders.reminders_for(tieu_can, today=today) if r.kind == "nomination_closing"
        ]
        assert campaign.title in item.text and "1" in item.text  # quota 2, one submitted: one place left
        assert item.url == campaign.get_absolute_url()

    def test_assessment_period_closing(self, world, officers, tra_vinh_staff, monkeypatch):
        from assessments import reminders as assessment_reminders

        framework = world["tieu_can_assessment"].framework
        monkeypatch.setattr(
            assessment_reminders, "current_framework", lambda user: framework
        )  # after `officers`
        tieu_can, cang_long = officers
        december = D(framework.year, 12, 10)
        (item,) = assessment_reminders.assessment_period(tieu_can, december)
        assert "31/12" in item.text
        assert assessment_reminders.assessment_period(cang_long, december) == []  # no draft there
        assert assessment_reminders.assessment_period(tieu_can, D(framework.year, 10, 1)) == []
        assert assessment_reminders.assessment_period(tra_vinh_staff, december)

    def test_staff_of_another_province_hear_nothing_of_tra_vinh(self, world, vinh_long_staff, today):
        ending(world["tieu_can_term"], today)
        assert reminders.reminders_for(vinh_long_staff, today=today) == []


class TestDigest:
    def test_the_command_queues_one_job_per_user(self, world, officers, monkeypatch, today):
        queued = []
        monkeypatch.setattr("core.jobs.enqueue", lambda func, *args, **kw: queued.append((func, args)))
        call_command("send_reminders", stdout=io.StringIO())
        expected = [
            u.pk for u in User.objects.exclude(email="").order_by("pk") if reminders.may_be_reminded(u)
        ]
        assert [args[0] for _f, args in queued] == expected
        assert {u.pk for u in officers} <= set(expected)
        assert {func for func, _a in queued} == {reminders.send_digest}
        assert {args[1] for _f, args in queued} == {today.isoformat()}
        assert mail.outbox == []

    def test_digest_content_links_and_no_repeat(self, world, officers, today, settings):
        settings.PORTAL_URL = "https://bithu.example.vn/"
        tieu_can, cang_long = officers
        ending(world["tieu_can_term"], today)
        call_command("send_reminders", stdout=io.StringIO())
        (message,) = mail_to(tieu_can.email)
        assert "sắp đến hạn" in message.subject.lower() or "hạn" in message.subject
        assert "Nguyễn Văn Tèo" in message.body and "Tập huấn kỹ năng điều hành" in message.body
        assert "https://bithu.example.vn/secretaries/" in message.body
        assert "Lê Thị Hồng Nhung" not in message.body
        assert "Nguyễn Văn Tèo" in html_of(message)
        assert len(re.findall(r"/reminders/unsubscribe/[^/\s\"]+/", message.body)) == 2  # one per kind
        assert mail_to(cang_long.email) == []  # nothing of Càng Long is due
        assert ReminderSent.objects.filter(user=tieu_can).count() == 2
        # The next day: nothing new, no mail.
        mail.outbox.clear()
        call_command("send_reminders", stdout=io.StringIO())
        assert mail.outbox == []
        # A new item: only it is mailed.
        Proposal.objects.create(
            seminar=world["tieu_can_seminar"],
            text="Thành lập câu lạc bộ kỹ năng",
            responsible="Huyện đoàn",
            due_on=today + datetime.timedelta(days=2),
        )
        call_command("send_reminders", stdout=io.StringIO())
        (message,) = mail_to(tieu_can.email)
        assert "Thành lập câu lạc bộ kỹ năng" in message.body
        assert "Nguyễn Văn Tèo" not in message.body and "Tập huấn kỹ năng điều hành" not in message.body

    def test_an_item_coming_due_is_mailed_again_once_overdue(self, world, officers, today):
        tieu_can, _ = officers
        proposal = Proposal.objects.create(
            seminar=world["tieu_can_seminar"], text="Sổ tay bí thư", responsible="Huyện đoàn", due_on=today
        )
        reminders.send_digest(tieu_can.pk, today.isoformat())
        mail.outbox.clear()
        reminders.send_digest(tieu_can.pk, (today + datetime.timedelta(days=1)).isoformat())
        (message,) = mail.outbox
        assert "Sổ tay bí thư" in message.body and proposal.text in message.body

    def test_no_mail_without_an_address(self, world, officers, today):
        tieu_can_officer, _ = officers
        tieu_can_officer.email = ""
        tieu_can_officer.save(update_fields=["email"])
        ending(world["tieu_can_term"], today)
        assert reminders.send_digest(tieu_can_officer.pk) == 0
        assert mail.outbox == []


class TestUnsubscribe:
    def test_the_signed_link_turns_one_kind_off(self, client, world, officers, today):
        tieu_can, _ = officers
        ending(world["tieu_can_term"], today)
        url = reverse("reminders:unsubscribe", args=[reminders.unsubscribe_token(tieu_can, "proposals_due")])
        response = client.get(url)  # no login
        assert response.status_code == 200
        assert "Đề xuất" in response.content.decode() or "đề xuất" in response.content.decode()
        assert not ReminderOptOut.objects.filter(user=tieu_can).exists()  # a GET changes nothing
        response = client.post(url)
        assert response.status_code == 302
        assert list(ReminderOptOut.objects.filter(user=tieu_can).values_list("kind", flat=True)) == [
            "proposals_due"
        ]
        assert "data-done" in client.get(url).content.decode()
        reminders.send_digest(tieu_can.pk, today.isoformat())
        (message,) = mail.outbox
        assert "Nguyễn Văn Tèo" in message.body and "Tập huấn kỹ năng điều hành" not in message.body

    def test_a_tampered_link_is_refused(self, client, world, officers):
        tieu_can, cang_long = officers
        token = reminders.unsubscribe_token(tieu_can, "proposals_due")
        forged = token.replace(token.split(":")[0], reminders.unsubscribe_token(cang_long, "x").split(":")[0])
        for bad in (token[:-2] + "xx", forged, "abc", reminders.unsubscribe_token(tieu_can, "no_such_kind")):
            assert client.get(reverse("reminders:unsubscribe", args=[bad])).status_code == 404
            assert client.post(reverse("reminders:unsubscribe", args=[bad])).status_code == 404
        assert not ReminderOptOut.objects.exists()


class TestSettingsPage:
    def test_turn_kinds_off_and_on(self, client, world, officers):
        tieu_can, _ = officers
        login_verified(client, tieu_can)
        url = reverse("reminders:settings")
        html = client.get(url).content.decode()
        assert "tieucan@example.vn" in html and 'value="terms_ending"' in html
        response = client.post(url, {"kinds": ["terms_ending", "nomination_closing"]})
        assert response.status_code == 302
        assert set(ReminderOptOut.objects.filter(user=tieu_can).values_list("kind", flat=True)) == {
            "assessment_period",
            "proposals_due",
        }
        client.post(
            url, {"kinds": ["terms_ending", "proposals_due", "nomination_closing", "assessment_period"]}
        )
        assert not ReminderOptOut.objects.filter(user=tieu_can).exists()

    def test_query_count_does_not_grow(self, client, world, officers, today, count_queries):
        tieu_can, _ = officers
        login_verified(client, tieu_can)
        url = reverse("reminders:settings")
        client.get(url)
        with count_queries() as small:
            assert client.get(url).status_code == 200
        ending(world["tieu_can_term"], today)
        for index in range(4):
            Proposal.objects.create(
                seminar=world["tieu_can_seminar"],
                text=f"Đề xuất {index}",
                responsible="Huyện đoàn",
                due_on=today + datetime.timedelta(days=index),
            )
        ReminderOptOut.objects.create(user=tieu_can, kind="terms_ending")
        with count_queries() as large:
            assert client.get(url).status_code == 200
        assert len(large) == len(small)


class TestFirstScreen:
    def test_the_seminar_panel_counts_proposals_coming_due(self, client, world, officers, today):
        tieu_can, cang_long = officers
        Proposal.objects.create(
            seminar=world["tieu_can_seminar"],
            text="Tổ chức hội thi bí thư giỏi",
            responsible="Huyện đoàn",
            due_on=today + datetime.timedelta(days=3),
        )
        login_verified(client, tieu_can)
        html = client.get(reverse("home")).content.decode()
        assert "Thêm 1 đề xuất đến hạn trong 7 ngày tới" in html
        assert re.search(r'data-stat="overdue-proposals">1<', html)  # the 2021 one, still counted apart
        client.logout()
        login_verified(client, cang_long)
        assert 'data-stat="proposals-due-soon"' not in client.get(reverse("home")).content.decode()

    def test_the_assessment_panel_says_when_the_period_closes(self, client, world, officers, monkeypatch):
        tieu_can, cang_long = officers
        year = world["tieu_can_assessment"].framework.year
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: D(year, 12, 10))
        login_verified(client, tieu_can)
        html = client.get(reverse("home")).content.decode()
        assert "data-period-closing" in html and f"31/12/{year}" in html and "còn 21 ngày" in html
        client.logout()
        login_verified(client, cang_long)  # no draft in Càng Long: nothing to close
        assert "data-period-closing" not in client.get(reverse("home")).content.decode()
        monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: D(year, 10, 1))
        client.logout()
        login_verified(client, tieu_can)
        assert "data-period-closing" not in client.get(reverse("home")).content.decode()
