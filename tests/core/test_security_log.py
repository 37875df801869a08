"""Security logging (ASVS V16): one log format with user and address; each kind of event is recorded, in
the log and in SecurityEvent, with ids and counts only."""

import datetime
import io
import logging
import re

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.log_context import RequestContextFilter, bind_request, unbind_request
from core.models import SecurityEvent
from core.security_log import security_event
from tests.conftest import PASSWORD
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")


def events(name):
    return list(SecurityEvent.objects.filter(event=name).order_by("pk"))


def login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


class TestLogFormat:
    def test_every_line_has_time_level_logger_user_and_address(self, tieu_can_officer):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        portal = django_settings.LOGGING["formatters"]["portal"]
        handler.setFormatter(logging.Formatter(portal["format"], portal["datefmt"]))
        handler.addFilter(RequestContextFilter())
        logger = logging.getLogger("tests.any_module")
        logger.addHandler(handler)
        request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
        request.user = tieu_can_officer
        try:
            bind_request(request)
            logger.warning("something happened")
            unbind_request()
            logger.warning("outside a request")
        finally:
            logger.removeHandler(handler)
        first, second = stream.getvalue().splitlines()
        stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}"  # with its offset from UTC
        who = f"user={tieu_can_officer.pk} address=10.1.2.3"
        assert re.fullmatch(rf"{stamp} WARNING tests.any_module {who} something happened", first)
        assert re.fullmatch(rf"{stamp} WARNING tests.any_module user=- address=- outside a request", second)

    def test_the_portal_handler_uses_that_format(self):
        handlers = logging.getLogger().handlers
        portal = [h for h in handlers if any(isinstance(f, RequestContextFilter) for f in h.filters)]
        assert portal and "user=%(user_id)s address=%(client_address)s" in portal[0].formatter._fmt

    def test_django_request_lines_say_whose_request_it_was(self, client, tieu_can_officer, caplog):
        client.force_login(tieu_can_officer)
        client.get("/khong-co-trang-nay/", REMOTE_ADDR="10.9.9.9")
        line = next(r for r in caplog.records if r.name == "django.request")
        RequestContextFilter().filter(line)
        assert line.user_id == tieu_can_officer.pk and line.client_address == "10.9.9.9"

    def test_the_address_behind_the_proxy_is_the_one_logged(self, client, tieu_can_officer, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        client.post(
            reverse("login"),
            {"username": "huyendoan.tieucan", "password": PASSWORD},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7",
        )
        assert events("login.success")[-1].address == "203.0.113.7"

    def test_no_value_can_forge_a_line(self, db, caplog):
        security_event("test.event", path="/a\n2026-12-01 INFO bithu.security login.success\r\x00")
        assert (
            events("test.event")[0].details["path"]
            == "/a\\n2026-12-01 INFO bithu.security login.success\\r\\x00"
        )
        assert "\n" not in caplog.records[-1].getMessage()

    def test_only_ids_and_short_values_are_kept(self, db):
        security_event("test.event", user=None, target=7, note="x" * 1000, flag=True)
        event = events("test.event")[0]
        assert event.details == {"target": 7, "note": "x" * 200, "flag": True}
        assert event.user_id is None and event.address == ""


class TestAuthentication:
    def test_success(self, client, tieu_can_officer, caplog):
        login(client, "huyendoan.tieucan", PASSWORD)
        [event] = events("login.success")
        assert (event.user_id, event.address, event.level) == (tieu_can_officer.pk, "10.0.0.1", logging.INFO)
        record = next(r for r in caplog.records if r.name == "bithu.security")
        assert record.user_id == tieu_can_officer.pk and record.client_address == "10.0.0.1"

    def test_failure_names_the_account_by_id_never_by_what_was_typed(self, client, tieu_can_officer, caplog):
        login(client, "huyendoan.tieucan", "sai-mat-khau")
        login(client, "Bi-mat-go-nham-o", "sai-mat-khau")  # a password typed in the username box
        known, unknown = events("login.failure")
        assert (known.user_id, known.details) == (tieu_can_officer.pk, {"account": "known"})
        assert (unknown.user_id, unknown.details) == (None, {"account": "unknown"})
        assert known.level == logging.WARNING
        text = caplog.text
        assert "sai-mat-khau" not in text and "Bi-mat-go-nham-o" not in text and "huyendoan" not in text

    def test_lockout_replaces_axes_masked_lines(self, client, tieu_can_officer, caplog):
        for _ in range(5):
            login(client, "huyendoan.tieucan", "sai")
        assert len(events("login.failure")) == 5
        [lockout] = events("login.lockout")
        assert lockout.user_id == tieu_can_officer.pk and lockout.address == "10.0.0.1"
        assert not [r for r in caplog.records if r.name.startswith("axes")]
        assert "****" not in caplog.text

    def test_logout(self, client, tieu_can_officer):
        client.force_login(tieu_can_officer)
        client.post(reverse("logout"))
        assert events("logout")[0].user_id == tieu_can_officer.pk


class TestRefusals:
    def test_permission_denied(self, client, no_role_user):
        client.force_login(no_role_user)
        assert client.get(reverse("home")).status_code == 403
        [event] = events("access.denied")
        assert (event.user_id, event.details, event.level) == (
            no_role_user.pk,
            {"path": "/"},
            logging.WARNING,
        )

    def test_out_of_scope_not_found(self, client, tieu_can_officer, world):
        client.force_login(tieu_can_officer)
        url = world["cang_long"].get_absolute_url()
        assert client.get(url).status_code == 404
        [event] = events("access.not_found")
        assert (event.user_id, event.details) == (tieu_can_officer.pk, {"path": url})

    def test_csrf_failure(self, tieu_can_officer):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(tieu_can_officer)
        assert client.post(reverse("logout")).status_code == 403
        [event] = events("access.csrf_failure")
        assert event.user_id == tieu_can_officer.pk
        assert event.details["path"] == reverse("logout") and "CSRF" in event.details["reason"]

    def test_a_failing_store_does_not_break_the_transaction(self, db, tieu_can_officer, monkeypatch, caplog):
        from django.db import IntegrityError, transaction

        from accounts.models import User

        def broken(**values):
            raise IntegrityError("no table")

        monkeypatch.setattr(SecurityEvent.objects, "create", broken)
        with transaction.atomic():
            security_event("test.event", user=tieu_can_officer)
            assert User.objects.filter(pk=tieu_can_officer.pk).exists()  # the transaction still works
        assert "test.event not stored" in caplog.text

    def test_anonymous_not_found_is_not_recorded(self, client, db):
        client.get("/khong-co-trang-nay/")
        client.get(reverse("branches:branch_detail", args=[999999]))
        assert not SecurityEvent.objects.filter(event__startswith="access.").exists()


EXPORTS = [
    ("secretaries:person_export", None, "bi-thu"),
    ("branches:branch_export", None, "chi-doan"),
    ("seminars:seminar_export", None, "toa-dam"),
    ("seminars:initiative_export", None, "mo-hinh"),
    ("seminars:programme_export", None, "chuong-trinh"),
    ("seminars:report_export", None, "toa-dam-"),
    ("assessments:training_needs_export", None, ""),
    ("awards:commendation_export", "decided_campaign", ""),
]


class TestDataEvents:
    @pytest.mark.parametrize(("name", "key", "prefix"), EXPORTS, ids=[e[0] for e in EXPORTS])
    def test_every_export_says_who_what_and_how_many_rows(
        self, name, key, prefix, client, tra_vinh_staff, world
    ):
        login_verified(client, tra_vinh_staff)
        url = reverse(name, args=[world[key].pk] if key else [])
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)
        [event] = events("data.export")
        assert event.user_id == tra_vinh_staff.pk
        assert event.details["what"].endswith(".xlsx") and event.details["what"].startswith(prefix)
        assert isinstance(event.details["rows"], int)

    def test_person_export_counts_its_rows(self, client, tra_vinh_staff, world):
        login_verified(client, tra_vinh_staff)
        b"".join(client.get(reverse("secretaries:person_export")).streaming_content)
        assert events("data.export")[0].details["rows"] == 2  # Tèo and Nhung, both in Trà Vinh

    def test_admin_export(self, rf, administrator, world):
        from django.contrib import admin

        from branches.models import Branch

        request = rf.post("/admin/branches/branch/export/")
        request.user = administrator
        branch_admin = admin.site._registry[Branch]
        branch_admin.get_data_for_export(request, Branch.objects.all())
        [event] = events("data.export")
        assert event.details == {"what": "branches.branch", "rows": 3}
        assert event.user_id == administrator.pk

    def test_admin_import(self, rf, administrator, db):
        from core.admin import AuditedImportExportMixin

        class Base:
            def process_result(self, result, request):
                return "done"

        class Admin(AuditedImportExportMixin, Base):
            from branches.models import Branch as model

        class Result:
            total_rows = 4
            totals = {"new": 3, "update": 1, "skip": 0}

        request = rf.post("/admin/branches/branch/import/")
        request.user = administrator
        assert Admin().process_result(Result(), request) == "done"
        [event] = events("data.import")
        assert event.details == {"what": "branches.branch", "rows": 4, "rows_new": 3, "rows_update": 1}

    def test_every_import_export_admin_is_audited(self):
        from django.contrib import admin
        from import_export.admin import ExportMixin, ImportMixin

        from core.admin import AuditedImportExportMixin

        unaudited = [
            type(model_admin).__name__
            for model_admin in admin.site._registry.values()
            if isinstance(model_admin, ExportMixin | ImportMixin)
            and not isinstance(model_admin, AuditedImportExportMixin)
        ]
        assert not unaudited

    def test_revocation(self, client, tra_vinh_staff, world):
        commendation = world["tieu_can_commendation"]
        login_verified(client, tra_vinh_staff)
        response = client.post(
            reverse("awards:commendation_revoke", args=[commendation.pk]),
            {"revoked_on": "01/03/2021", "reason": "Kê khai thành tích không đúng sự thật."},
        )
        assert response.status_code == 302
        [event] = events("commendation.revoke")
        assert (event.user_id, event.details) == (tra_vinh_staff.pk, {"commendation": commendation.pk})


class TestRoleChanges:
    def change(self, client, user, **changes):
        url = reverse("admin:accounts_user_change", args=[user.pk])
        form = client.get(url).context["adminform"].form
        data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
        data.update({"date_joined_0": "01/01/2026", "date_joined_1": "08:00", **changes})
        data.pop("password", None)
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors
        return response

    def test_role_and_unit_change_is_recorded(self, client, administrator, tieu_can_officer, tra_vinh):
        login_verified(client, administrator)
        self.change(client, tieu_can_officer, role="provincial_staff", district="", province=tra_vinh.pk)
        [event] = events("user.rights_change")
        assert event.user_id == administrator.pk
        assert event.details["target"] == tieu_can_officer.pk
        assert event.details["fields"] == "role,province,district"
        assert (event.details["role"], event.details["province"], event.details["district"]) == (
            "provincial_staff",
            tra_vinh.pk,
            None,
        )

    def test_an_account_created_in_admin_is_recorded(self, client, administrator, tieu_can):
        login_verified(client, administrator)
        response = client.post(
            reverse("admin:accounts_user_add"),
            {
                "username": "huyendoan.moi",
                "password1": "Cay-dua-xanh-ben-song-2026",
                "password2": "Cay-dua-xanh-ben-song-2026",
                "role": "district_officer",
                "district": tieu_can.pk,
                "usable_password": "true",
            },
        )
        assert response.status_code == 302
        [event] = events("user.create")
        assert event.user_id == administrator.pk
        assert (event.details["role"], event.details["district"]) == ("district_officer", tieu_can.pk)
        assert "huyendoan.moi" not in str(event.details)

    def test_other_edits_are_not_rights_changes(self, client, administrator, tieu_can_officer):
        login_verified(client, administrator)
        self.change(client, tieu_can_officer, first_name="Tâm Minh")
        assert events("user.rights_change") == []

    def test_superuser_flag_is_recorded(self, client, administrator, tieu_can_officer):
        login_verified(client, administrator)
        self.change(client, tieu_can_officer, is_superuser="on")
        [event] = events("user.rights_change")
        assert event.details["fields"] == "is_superuser" and event.details["is_superuser"] is True


class TestReading:
    @pytest.fixture
    def recorded(self, db, tieu_can_officer):
        security_event("login.failure", user=tieu_can_officer, level=logging.WARNING, account="known")
        security_event("data.export", user=tieu_can_officer, what="bi-thu.xlsx", rows=12)
        old = SecurityEvent.objects.create(event="login.success", user_id=tieu_can_officer.pk)
        SecurityEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=2))

    def test_command_prints_recent_events_oldest_first(self, recorded, tieu_can_officer):
        out = io.StringIO()
        call_command("security_events", "--since", "24h", stdout=out, stderr=io.StringIO())
        lines = out.getvalue().splitlines()
        assert len(lines) == 2
        assert f"WARNING login.failure user={tieu_can_officer.pk} address=- account=known" in lines[0]
        assert "INFO data.export" in lines[1] and "rows=12 what=bi-thu.xlsx" in lines[1]
        out = io.StringIO()
        call_command(
            "security_events", "--since", "3d", "--event", "login.", stdout=out, stderr=io.StringIO()
        )
        assert len(out.getvalue().splitlines()) == 2

    def test_command_deletes_what_is_past_the_retention(self, recorded):
        call_command(
            "security_events", "--delete-older-than", "1d", stdout=io.StringIO(), stderr=io.StringIO()
        )
        assert sorted(SecurityEvent.objects.values_list("event", flat=True)) == [
            "data.export",
            "login.failure",
        ]

    def test_command_refuses_an_unreadable_span(self, db):
        with pytest.raises(CommandError):
            call_command("security_events", "--since", "yesterday")

    def test_admin_lists_newest_first_and_changes_nothing(self, client, administrator, recorded):
        login_verified(client, administrator)
        page = client.get(reverse("admin:core_securityevent_changelist"))
        assert page.status_code == 200
        shown = [event.event for event in page.context["cl"].result_list]
        # The two recorded, then the one of two days ago (login_verified writes the session without the
        # login's own event).
        assert shown == ["data.export", "login.failure", "login.success"]
        assert client.get(reverse("admin:core_securityevent_add")).status_code == 403
        event = SecurityEvent.objects.first()
        detail = client.post(reverse("admin:core_securityevent_change", args=[event.pk]), {"event": "x"})
        assert detail.status_code == 403
        filtered = client.get(reverse("admin:core_securityevent_changelist"), {"event": "data.export"})
        assert [e.event for e in filtered.context["cl"].result_list] == ["data.export"]

    def test_officers_cannot_read_them(self, client, tieu_can_officer, recorded):
        client.force_login(tieu_can_officer)
        response = client.get(reverse("admin:core_securityevent_changelist"))
        assert response.status_code == 302  # to the admin login: not staff
