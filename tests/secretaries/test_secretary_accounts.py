"""The secretary in the loop: invitations and activation, the secretary's own pages, corrections, consent,
the data-subject export, and the sensitive-data policy with its access log."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import SecurityEvent, SensitiveDataAccess
from secretaries import account_services as services
from secretaries.choices import PublicConsent, Religion
from secretaries.models import Correction, Invitation, Person
from tests.excel import read_export
from tests.factories import BranchFactory, UserFactory, person_with_term
from tests.login import login_verified

pytestmark = pytest.mark.usefixtures("world_once")

NEW_PASSWORD = "Cay-xoai-truoc-ngo-7"


def _secretary(person: Person, username: str = "bithu.teo") -> User:
    return UserFactory(username=username, role="secretary", person=person, email="")


def _invite(client, person, channel="printed") -> str:
    """The officer's client invites `person`; returns the code shown on the slip."""
    response = client.post(reverse("secretaries:person_invite", args=[person.pk]), {"channel": channel})
    assert response.status_code == 302
    slip = client.get(response["Location"])
    assert slip.status_code == 200
    return re.search(r"data-code>([A-Z0-9-]+)<", slip.content.decode()).group(1)


def _activate(client, code: str, username: str = "nguyenvanteo"):
    response = client.post(reverse("own:activate"), {"code": code})
    if response.status_code != 302:
        return response
    assert response["Location"] == reverse("own:activate_account")
    return client.post(
        reverse("own:activate_account"),
        {"username": username, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )


# Invitations and activation.


def test_printed_invitation_gives_an_account_bound_to_the_person(client, tieu_can_officer, world):
    person = world["tieu_can_person"]
    client.force_login(tieu_can_officer)
    code = _invite(client, person)
    # The slip shows the code once; the record keeps only its hash.
    invitation = Invitation.objects.get(person=person)
    assert invitation.token_hash == services.code_hash(code) and code not in invitation.token_hash
    assert client.get(reverse("secretaries:invitation_slip", args=[invitation.pk])).status_code == 302
    client.logout()

    response = _activate(client, code.lower())  # typed in lower case, still the code
    assert response.status_code == 302 and response["Location"] == reverse("login")
    account = User.objects.get(username="nguyenvanteo")
    assert account.is_secretary and account.person_id == person.pk and account.check_password(NEW_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    assert SecurityEvent.objects.filter(event="invitation.create", details__person=person.pk).exists()
    assert SecurityEvent.objects.filter(event="invitation.redeem", user=account).exists()

    # After logging in, a secretary lands on their own page.
    client.force_login(account)
    assert client.get(reverse("home"))["Location"] == reverse("own:home")
    page = client.get(reverse("own:home"))
    assert page.status_code == 200 and person.full_name in page.content.decode()


def test_email_invitation_is_sent_through_the_job_queue_and_its_link_works(client, tieu_can_officer, world):
    person = world["tieu_can_person"]
    Person.objects.filter(pk=person.pk).update(email="teo@example.vn")
    client.force_login(tieu_can_officer)
    response = client.post(reverse("secretaries:person_invite", args=[person.pk]), {"channel": "email"})
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["teo@example.vn"]
    link = re.search(r"http://testserver(/toi/kich-hoat/ma/[A-Z0-9-]+/)", mail.outbox[0].body).group(1)
    client.logout()
    assert client.get(link)["Location"] == reverse("own:activate_account")
    response = client.post(
        reverse("own:activate_account"),
        {"username": "teo2026", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert User.objects.get(username="teo2026").person_id == person.pk


def test_a_record_without_email_is_only_printed(client, tieu_can_officer, world):
    person = world["tieu_can_person"]
    client.force_login(tieu_can_officer)
    response = client.post(reverse("secretaries:person_invite", args=[person.pk]), {"channel": "email"})
    assert response.status_code == 200 and not Invitation.objects.exists()


def test_an_expired_code_is_refused(client, tieu_can_officer, world):
    invitation, code = services.invitation_create(
        person=world["tieu_can_person"], invited_by=tieu_can_officer, channel="printed"
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = _activate(client, code)
    assert response.status_code == 200
    assert "hết hạn" in response.content.decode()
    assert not User.objects.filter(role="secretary").exists()


def test_a_used_code_is_refused(client, tieu_can_officer, world):
    _invitation, code = services.invitation_create(
        person=world["tieu_can_person"], invited_by=tieu_can_officer, channel="printed"
    )
    assert _activate(client, code).status_code == 302
    response = _activate(client, code, username="nguoikhac")
    assert response.status_code == 200 and "đã được dùng" in response.content.decode()
    assert User.objects.filter(role="secretary").count() == 1


def test_inviting_again_revokes_the_earlier_code(client, tieu_can_officer, world):
    person = world["tieu_can_person"]
    first, old_code = services.invitation_create(
        person=person, invited_by=tieu_can_officer, channel="printed"
    )
    _second, new_code = services.invitation_create(
        person=person, invited_by=tieu_can_officer, channel="printed"
    )
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert _activate(client, old_code).status_code == 200
    assert _activate(client, new_code).status_code == 302


def test_a_withdrawn_invitation_cannot_be_used(client, tieu_can_officer, world):
    invitation, code = services.invitation_create(
        person=world["tieu_can_person"], invited_by=tieu_can_officer, channel="printed"
    )
    client.force_login(tieu_can_officer)
    assert client.post(reverse("secretaries:invitation_revoke", args=[invitation.pk])).status_code == 302
    client.logout()
    assert _activate(client, code).status_code == 200
    assert not User.objects.filter(role="secretary").exists()


def test_guessing_codes_is_throttled(client, settings, tieu_can_officer, world):
    settings.ACTIVATION_FAILURE_LIMIT = 3
    _invitation, code = services.invitation_create(
        person=world["tieu_can_person"], invited_by=tieu_can_officer, channel="printed"
    )
    for _ in range(3):
        assert client.post(reverse("own:activate"), {"code": "AAAA-BBBB-CCCC"}).status_code == 200
    # Locked now, even with the right code.
    assert client.post(reverse("own:activate"), {"code": code}).status_code == 429
    assert SecurityEvent.objects.filter(event="invitation.failure").count() == 3


def test_one_account_per_person(tieu_can_officer, world):
    person = world["tieu_can_person"]
    _secretary(person)
    with pytest.raises(Exception, match=r"tài khoản|account"):
        services.invitation_create(person=person, invited_by=tieu_can_officer, channel="printed")


def test_the_officer_disables_the_account(client, tieu_can_officer, world):
    person = world["tieu_can_person"]
    account = _secretary(person)
    secretary_client = type(client)()
    secretary_client.force_login(account)
    assert secretary_client.get(reverse("own:home")).status_code == 200
    client.force_login(tieu_can_officer)
    response = client.post(reverse("secretaries:person_account_active", args=[person.pk]), {"active": "0"})
    assert response.status_code == 302
    account.refresh_from_db()
    assert not account.is_active
    assert secretary_client.get(reverse("own:home")).status_code == 302  # signed out
    assert SecurityEvent.objects.filter(event="user.rights_change", details__target=account.pk).exists()


def test_disabling_an_account_asks_first_and_enabling_it_does_not(client, tieu_can_officer, world):
    """Disabling signs the secretary out of every device: the button asks first (static/js/portal.js)."""
    person = world["tieu_can_person"]
    account = _secretary(person)
    client.force_login(tieu_can_officer)
    page = client.get(person.get_absolute_url()).content.decode()
    button = re.search(r"<button[^>]*>\s*Khóa tài khoản\s*</button>", page, re.S).group(0)
    assert f'data-confirm="Khóa tài khoản của {person.full_name}?' in button
    assert "đăng xuất khỏi mọi thiết bị" in button
    account.is_active = False
    account.save(update_fields=["is_active"])
    page = client.get(person.get_absolute_url()).content.decode()
    assert "data-confirm" not in re.search(r"<button[^>]*>\s*Mở lại tài khoản\s*</button>", page, re.S).group(
        0
    )


def test_an_officer_of_an_ended_unit_cannot_invite(client, tieu_can_officer, world):
    tieu_can = tieu_can_officer.district
    type(tieu_can).objects.filter(pk=tieu_can.pk).update(ended_on=datetime.date(2025, 6, 30))
    client.force_login(tieu_can_officer)
    url = reverse("secretaries:person_invite", args=[world["tieu_can_person"].pk])
    assert client.get(url).status_code == 403


# The secretary's own pages.


def test_the_own_page_shows_the_record_and_nothing_of_others(client, world):
    person = world["tieu_can_person"]
    client.force_login(_secretary(person))
    page = client.get(reverse("own:home")).content.decode()
    assert person.full_name in page
    assert "Nâng cao chất lượng Bí thư Chi đoàn" in page  # the seminar attended
    assert world["cang_long_person"].full_name not in page
    # Their own staff page is not theirs to use, nor anyone else's.
    assert client.get(person.get_absolute_url()).status_code == 404
    assert client.get(world["cang_long_person"].get_absolute_url()).status_code == 404


def test_the_own_pages_menu_offers_only_what_a_secretary_may_open(client, world):
    """The staff's menu is not shown to a secretary (it is in the page, hidden, for the layout), and the
    account menu holds only what their account may open: no reminder settings (a portal role's)."""
    import re

    client.force_login(_secretary(world["tieu_can_person"]))
    page = client.get(reverse("own:home")).content.decode()
    menu = page[page.index('class="dropdown-menu') : page.index("</ul>", page.index('class="dropdown-menu'))]
    assert reverse("reminders:settings") not in menu
    for href in re.findall(r'href="(/[^"#]*)"', menu):
        assert client.get(href).status_code == 200, href
    assert client.get(reverse("reminders:settings")).status_code == 404


def test_own_certificate_download(client, world):
    from awards.models import Commendation

    commendation = Commendation.objects.filter(revoked_on__isnull=True).select_related("person").first()
    account = _secretary(commendation.person, username="bithu.khen")
    client.force_login(account)
    page = client.get(reverse("own:home")).content.decode()
    url = reverse("awards:own_certificate", args=[commendation.pk])
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    other = Commendation.objects.exclude(person=commendation.person).first()
    if other is not None:
        assert client.get(reverse("awards:own_certificate", args=[other.pk])).status_code == 404


def test_the_migration_splits_a_waiting_correction_of_religion_and_more(client, tieu_can_officer, world):
    """secretaries/migrations/0012: a request kept before religion went apart is split as a new one is;
    the unit then sees and decides the rest."""
    import importlib

    from django.apps import apps

    person = world["tieu_can_person"]
    account = _secretary(person)
    mixed = Correction.objects.create(
        person=person,
        changes={"religion": "phat_giao", "email": "moi@example.vn"},
        previous={"religion": person.religion, "email": person.email},
        sensitive=True,
        proposed_by=account,
        person_version=person.version,
    )
    importlib.import_module("secretaries.migrations.0012_split_pending_sensitive_corrections").split(
        apps, None
    )
    mixed.refresh_from_db()
    assert mixed.changes == {"religion": "phat_giao"} and mixed.sensitive
    rest = Correction.objects.exclude(pk=mixed.pk).get(person=person)
    assert rest.changes == {"email": "moi@example.vn"} and not rest.sensitive and rest.status == "pending"
    client.force_login(tieu_can_officer)
    assert client.get(rest.get_absolute_url()).status_code == 200
    # The secretary's page says who answers each.
    secretary = type(client)()
    secretary.force_login(account)
    own = " ".join(secretary.get(reverse("own:home")).content.decode().split())
    assert own.count("data-answered-by") == 2 and "Tỉnh đoàn xem xét" in own


def test_consent_sent_without_an_answer_is_said_beside_the_question(client, world):
    """The page comes back with the message under the question (portal.js brings it into view), not at the
    top of a page whose question is five screens further down on a phone."""
    person = world["tieu_can_person"]
    client.force_login(_secretary(person))
    response = client.post(reverse("own:consent"), {})
    assert response.status_code == 200
    section = response.content.decode().split('id="own-consent"')[1].split("</section>")[0]
    assert "Hãy chọn đồng ý hoặc không đồng ý." in section and "is-invalid" in section
    person.refresh_from_db()
    assert person.public_consent_on is None


def test_consent_is_dated_today_and_its_history_kept(client, world):
    person = world["tieu_can_person"]
    client.force_login(_secretary(person))
    assert client.post(reverse("own:consent"), {"answer": "given"}).status_code == 302
    person.refresh_from_db()
    assert person.public_consent == PublicConsent.GIVEN and person.public_consent_on == timezone.localdate()
    client.post(reverse("own:consent"), {"answer": "refused"})
    person.refresh_from_db()
    assert person.public_consent == PublicConsent.REFUSED and not person.may_be_shown_publicly
    page = client.get(reverse("own:home"))
    history = page.context["consents"]
    assert [row["answer"] for row in history] == ["refused", "given"]
    # The form shows the answer they gave.
    assert page.context["consent_form"]["answer"].value() == "refused"


# Corrections.


def _propose(client, person, **changes):
    data = {
        "full_name": person.full_name,
        "date_of_birth": person.date_of_birth.strftime("%d/%m/%Y"),
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "religion": person.religion,
        "education_level": person.education_level,
        "political_theory_level": person.political_theory_level,
        "occupation": person.occupation,
        "phone": person.phone,
        "email": person.email,
        "note": "Số mới từ tháng 10",
        # As the browser sends the form: the box only when ticked.
        **({"is_party_member": "on"} if person.is_party_member else {}),
        "party_joined_on": person.party_joined_on.strftime("%d/%m/%Y") if person.party_joined_on else "",
        **changes,
    }
    data = {name: value for name, value in data.items() if value is not None}
    return client.post(reverse("own:correction"), data)


def test_a_correction_accepted_is_applied_with_its_reason_in_the_history(client, tieu_can_officer, world):
    person = world["tieu_can_person"]
    secretary = type(client)()
    secretary.force_login(_secretary(person))
    assert _propose(secretary, person, phone="0987 654 321").status_code == 302
    correction = Correction.objects.get()
    assert correction.changes == {"phone": "0987 654 321"} and correction.previous == {
        "phone": "0912 345 678"
    }

    client.force_login(tieu_can_officer)
    listing = client.get(reverse("secretaries:correction_list")).content.decode()
    assert "0987 654 321" in listing
    assert client.get(reverse("home")).context["panels"]  # the first screen says so
    heading = re.compile(r'<table[^>]*id="correction-changes">.*?</thead>', re.S)
    waiting = heading.search(client.get(correction.get_absolute_url()).content.decode()).group()
    assert "Trong hồ sơ" in waiting and "Giá trị cũ" not in waiting
    response = client.post(correction.get_absolute_url(), {"action": "accept"})
    assert response.status_code == 302
    # Decided, the record holds the proposed value: the first column is the old one, as the export says.
    decided = heading.search(client.get(correction.get_absolute_url()).content.decode()).group()
    assert "Giá trị cũ" in decided and "Trong hồ sơ" not in decided
    person.refresh_from_db()
    assert person.phone == "0987 654 321"
    latest = person.history.first()
    assert latest.history_change_reason == "Sửa theo đề nghị của chính người đó"
    assert latest.history_user_id == tieu_can_officer.pk
    correction.refresh_from_db()
    assert correction.is_accepted and correction.decided_by == tieu_can_officer
    own = secretary.get(reverse("own:home")).content.decode()
    assert "Đã chấp nhận" in own


def test_party_membership_is_shown_corrected_and_accepted_into_the_history(client, tieu_can_officer, world):
    """Party membership and the date of joining: on /toi/, in a correction, and in the record's history
    once the unit accepts it (QA2, item 5); the note sent with it stays under "My corrections" (item 13)."""
    person = world["tieu_can_person"]
    assert not person.is_party_member and person.party_joined_on is None
    joined = person.date_of_birth.replace(year=person.date_of_birth.year + 20)
    secretary = type(client)()
    secretary.force_login(_secretary(person))
    assert "data-own-party-joined" not in secretary.get(reverse("own:home")).text
    form = secretary.get(reverse("own:correction")).text
    assert 'name="is_party_member"' in form and 'name="party_joined_on"' in form
    sent = _propose(secretary, person, is_party_member="on", party_joined_on=joined.strftime("%d/%m/%Y"))
    assert sent.status_code == 302
    correction = Correction.objects.get()
    assert correction.changes == {"is_party_member": True, "party_joined_on": joined.isoformat()}
    own = " ".join(secretary.get(reverse("own:home")).text.split())
    assert 'Đảng viên: <span class="text-muted">Không</span> → <strong>Có</strong>' in own
    assert f'Ngày vào Đảng: <span class="text-muted">—</span> → <strong>{joined:%d/%m/%Y}</strong>' in own
    assert "Ghi chú gửi đơn vị: Số mới từ tháng 10" in own

    client.force_login(tieu_can_officer)
    assert client.post(correction.get_absolute_url(), {"action": "accept"}).status_code == 302
    person.refresh_from_db()
    assert person.is_party_member and person.party_joined_on == joined
    latest = person.history.first()
    assert (latest.is_party_member, latest.party_joined_on) == (True, joined)
    assert latest.history_change_reason == "Sửa theo đề nghị của chính người đó"
    assert latest.history_user_id == tieu_can_officer.pk
    own = " ".join(secretary.get(reverse("own:home")).text.split())
    assert f"data-own-party-joined> {joined:%d/%m/%Y} </dd>" in own


def test_a_date_of_joining_only_with_party_member_yes(client, tieu_can_officer, world):
    person = world["tieu_can_person"]
    joined = person.date_of_birth.replace(year=person.date_of_birth.year + 20)
    later = joined.replace(year=joined.year + 1)
    Person.objects.filter(pk=person.pk).update(is_party_member=True, party_joined_on=joined)
    person.refresh_from_db()
    account = _secretary(person)
    client.force_login(account)
    # Unticked with the date left: refused beside the date.
    refused = _propose(client, person, is_party_member=None)
    assert refused.status_code == 200 and not Correction.objects.exists()
    assert refused.context["form"].errors["party_joined_on"] == ["Chỉ đảng viên mới có ngày vào Đảng."]
    # Too young, as the officer's form says.
    early = _propose(client, person, party_joined_on=person.date_of_birth.strftime("%d/%m/%Y"))
    assert early.status_code == 200 and "party_joined_on" in early.context["form"].errors
    # Unticked and the date cleared: both go, together.
    assert _propose(client, person, is_party_member=None, party_joined_on="").status_code == 302
    assert Correction.objects.get().changes == {"is_party_member": False, "party_joined_on": None}
    # One request at a time for either: the date waits for the membership's answer.
    with pytest.raises(ValidationError) as waiting:
        services.correction_propose(person=person, user=account, changes={"party_joined_on": later})
    assert waiting.value.code == "pending_same_field"
    Correction.objects.all().delete()
    # The service alone: "not a member" takes the date with it.
    (correction,) = services.correction_propose(
        person=person, user=account, changes={"is_party_member": False}
    )
    assert correction.changes == {"is_party_member": False, "party_joined_on": None}
    correction.delete()
    # A date accepted after the record stopped being a member's: refused in words, never a database error.
    Person.objects.filter(pk=person.pk).update(party_joined_on=None)
    person.refresh_from_db()
    (correction,) = services.correction_propose(
        person=person, user=account, changes={"party_joined_on": later}
    )
    Person.objects.filter(pk=person.pk).update(is_party_member=False)
    with pytest.raises(ValidationError) as refusal:
        services.correction_accept(correction=correction, by=tieu_can_officer)
    assert getattr(refusal.value, "code", None) == "invalid_values"
    assert "Chỉ đảng viên mới có ngày vào Đảng." in str(refusal.value)


def test_a_correction_refused_needs_a_reason_the_person_then_reads(client, tieu_can_officer, world):
    person = world["tieu_can_person"]
    secretary = type(client)()
    secretary.force_login(_secretary(person))
    _propose(secretary, person, occupation="Giáo viên")
    correction = Correction.objects.get()
    client.force_login(tieu_can_officer)
    assert client.post(correction.get_absolute_url(), {"action": "refuse", "reason": ""}).status_code == 200
    correction.refresh_from_db()
    assert correction.is_pending
    client.post(correction.get_absolute_url(), {"action": "refuse", "reason": "Chưa có giấy tờ chứng minh"})
    correction.refresh_from_db()
    assert correction.is_refused
    person.refresh_from_db()
    assert person.occupation != "Giáo viên"
    assert "Chưa có giấy tờ chứng minh" in secretary.get(reverse("own:home")).content.decode()


def test_a_correction_is_refused_if_the_record_changed_since(client, tieu_can_officer, world):
    person = world["tieu_can_person"]
    secretary = type(client)()
    secretary.force_login(_secretary(person))
    _propose(secretary, person, phone="0987 654 321")
    Person.objects.filter(pk=person.pk).update(phone="0900 000 000")
    client.force_login(tieu_can_officer)
    correction = Correction.objects.get()
    # The review says so before anyone clicks: the record's value now, beside the one proposed against.
    page = client.get(correction.get_absolute_url()).content.decode()
    assert "Nay là “0900 000 000”: đã thay đổi từ khi gửi đề nghị." in page
    response = client.post(correction.get_absolute_url(), {"action": "accept"}, follow=True)
    # In plain words: refuse this one ("hãy không chấp nhận đề nghị này" read awkwardly).
    said = " ".join(response.content.decode().split())
    assert "(số điện thoại): hãy bấm “Không chấp nhận” và đề nghị người đó gửi lại." in said, said[-3000:]
    correction.refresh_from_db()
    person.refresh_from_db()
    assert correction.is_pending and person.phone == "0900 000 000"
    # Decided twice (two officers at once): the second is refused.
    services.correction_refuse(correction=correction, by=tieu_can_officer, reason="Đã đổi số")
    with pytest.raises(Exception, match=r"already decided|đã được"):
        services.correction_refuse(correction=correction, by=tieu_can_officer, reason="Lần hai")


def test_the_form_says_what_is_still_waiting(client, world):
    person = world["tieu_can_person"]
    client.force_login(_secretary(person))
    _propose(client, person, phone="0987 654 321")
    page = client.get(reverse("own:correction")).content.decode()
    assert "Đơn vị chưa trả lời 1 đề nghị" in page and "0987 654 321" in page


def test_a_field_already_waiting_is_not_proposed_again_and_the_form_warns_before_leaving(client, world):
    """A second phone number while the first waits would be decided against a record the first changes:
    refused, saying why; another field may be proposed meanwhile."""
    person = world["tieu_can_person"]
    client.force_login(_secretary(person))
    _propose(client, person, phone="0987 654 321")
    again = _propose(client, person, phone="0911 222 333")
    assert again.status_code == 200 and Correction.objects.count() == 1
    page = again.content.decode()
    assert "Đơn vị chưa trả lời đề nghị sửa số điện thoại của bạn" in page
    assert 'value="0911 222 333"' in page  # what was typed is kept
    assert "data-warn-unsaved" in page
    assert _propose(client, person, occupation="Giáo viên").status_code == 302
    assert Correction.objects.count() == 2


def test_nothing_changed_is_not_a_correction(client, world):
    person = world["tieu_can_person"]
    client.force_login(_secretary(person))
    assert _propose(client, person).status_code == 200
    assert not Correction.objects.exists()


def test_a_refused_correction_says_what_to_fix_at_the_top_too(client, world):
    """QA: on a phone the errors were only beside the fields, far below; the other long forms list them
    at the top, each linked to its field."""
    person = world["tieu_can_person"]
    client.force_login(_secretary(person))
    response = _propose(client, person, date_of_birth="31/02/1990")
    assert response.status_code == 200 and not Correction.objects.exists()
    summary = response.content.decode().split('id="form-errors"')[1].split("</div>")[0]
    # The day does not exist: said so, not only how to write a date (QA3 m8).
    assert 'href="#id_date_of_birth"' in summary and "Không có ngày này" in summary


def test_the_correction_form_prompts_as_the_officers_form_does(client, world, tieu_can_officer):
    person = world["tieu_can_person"]
    client.force_login(_secretary(person))
    own = client.get(reverse("own:correction")).content.decode()
    client.force_login(tieu_can_officer)
    officers = client.get(reverse("secretaries:person_update", args=[person.pk])).content.decode()
    for page in (own, officers):
        assert "— Chọn —" in page and "---------" not in page


def test_a_religion_correction_goes_to_provincial_staff_only(client, tieu_can_officer, tra_vinh_staff, world):
    person = world["tieu_can_person"]
    secretary = type(client)()
    secretary.force_login(_secretary(person))
    _propose(secretary, person, religion=Religion.BUDDHISM)
    correction = Correction.objects.get()
    assert correction.sensitive
    client.force_login(tieu_can_officer)
    assert client.get(correction.get_absolute_url()).status_code == 404
    login_verified(client, tra_vinh_staff)
    assert client.get(correction.get_absolute_url()).status_code == 200


def test_religion_with_other_fields_goes_apart_so_the_unit_decides_the_rest(client, tieu_can_officer, world):
    """The unit decides a new e-mail without waiting for the province's answer on religion, and the
    secretary is told who answers what."""
    person = world["tieu_can_person"]
    secretary = type(client)()
    secretary.force_login(_secretary(person))
    response = _propose(secretary, person, religion=Religion.BUDDHISM, email="moi@example.vn")
    said = " ".join(secretary.get(response["Location"]).content.decode().split())
    assert "tôn giáo gửi Tỉnh đoàn" in said and "các thông tin khác gửi đơn vị của bạn" in said
    religion, email = sorted(Correction.objects.all(), key=lambda c: c.sensitive, reverse=True)
    assert (religion.sensitive, set(religion.changes)) == (True, {"religion"})
    assert (email.sensitive, set(email.changes)) == (False, {"email"})
    client.force_login(tieu_can_officer)
    assert client.get(email.get_absolute_url()).status_code == 200
    assert client.get(religion.get_absolute_url()).status_code == 404


# The data-subject export.


def test_the_data_subject_export_holds_everything_about_the_person(client, world):
    person = world["tieu_can_person"]
    account = _secretary(person)
    client.force_login(account)
    _propose(client, person, phone="0987 654 321")
    client.post(reverse("own:consent"), {"answer": "given"})
    response = client.get(reverse("own:export"))
    assert response.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    names = workbook.sheetnames
    for expected in ("Dữ liệu cá nhân", "Nhiệm kỳ", "Đồng ý", "Đề nghị sửa", "Đánh giá", "Tọa đàm"):
        assert any(expected.lower() in name.lower() for name in names), (expected, names)
    text = " ".join(
        str(cell)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    )
    assert "0912 345 678" in text and "0987 654 321" in text
    assert person.get_religion_display() in text
    # The line under the title names the unit that keeps the record, not the person again; the access log
    # says what happened in words, not by the events' names.
    commune = person.terms.get().branch.commune
    assert workbook.worksheets[0]["A2"].value.startswith(f"Đơn vị: {commune.name}, ")
    # The second download lists the first, in words.
    again = load_workbook(BytesIO(b"".join(client.get(reverse("own:export")).streaming_content)))
    log = next(sheet for sheet in again.worksheets if sheet.title == "Nhật ký truy cập")
    events = [row[2] for row in log.iter_rows(min_row=5, values_only=True)]
    assert "Bạn đã tải dữ liệu của mình" in events and "Đăng nhập" in events, events
    assert not any(str(event).startswith(("sensitive_data.", "login.", "data.")) for event in events), events
    access = SensitiveDataAccess.objects.filter(subject_id=person.pk).earliest("pk")
    assert access.user_id == account.pk and access.fields == ["religion"] and access.rows > 0


# The sensitive-data policy.


def test_religion_is_hidden_from_officers_and_shown_to_provincial_staff(
    client, tieu_can_officer, tra_vinh_staff, world
):
    person = world["tieu_can_person"]
    Person.objects.filter(pk=person.pk).update(religion=Religion.CATHOLICISM)
    client.force_login(tieu_can_officer)
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Công giáo" not in page and "Tôn giáo" not in page
    form = client.get(reverse("secretaries:person_update", args=[person.pk])).context["form"]
    assert "religion" not in form.fields
    login_verified(client, tra_vinh_staff)
    assert "Công giáo" in client.get(person.get_absolute_url()).content.decode()


def test_exports_with_religion_are_logged_and_officers_get_none(
    client, tieu_can_officer, tra_vinh_staff, world
):
    client.force_login(tieu_can_officer)
    export = read_export(client.get(reverse("secretaries:person_export")))
    assert "Tôn giáo" not in export.header
    assert not SensitiveDataAccess.objects.exists()
    login_verified(client, tra_vinh_staff)
    export = read_export(client.get(reverse("secretaries:person_export") + "?q=teo"))
    assert "Tôn giáo" in export.header
    access = SensitiveDataAccess.objects.get()
    assert access.user_id == tra_vinh_staff.pk and access.fields == ["religion"]
    assert access.filters == {"q": "teo"} and access.rows == len(export.rows)


def test_an_officer_import_ignores_religion(tieu_can_officer, tra_vinh_staff, world):
    from core.importing.engine import ParsedRow
    from secretaries.imports import drop_hidden

    def row():
        return ParsedRow(number=5, values={"full_name": "Thạch Thị Sa", "religion": Religion.ISLAM}, shown={})

    officer_row, staff_row = row(), row()
    drop_hidden([officer_row], tieu_can_officer)
    drop_hidden([staff_row], tra_vinh_staff)
    assert "religion" not in officer_row.values and staff_row.values["religion"] == Religion.ISLAM


def test_the_access_log_is_read_only_in_admin(client, administrator):
    SensitiveDataAccess.objects.create(what="bi-thu-chi-doan.xlsx", fields=["religion"], rows=3)
    login_verified(client, administrator)
    assert client.get(reverse("admin:core_sensitivedataaccess_changelist")).status_code == 200
    assert client.get(reverse("admin:core_sensitivedataaccess_add")).status_code == 403


# Query counts.


def test_own_page_queries_do_not_grow(client, world, count_queries, tieu_can_officer):
    person = world["tieu_can_person"]
    client.force_login(_secretary(person))
    with count_queries() as small:
        assert client.get(reverse("own:home")).status_code == 200
    # Three requests waiting (one field each: a field waits for one answer at a time).
    for changes in ({"phone": "0900 000 001"}, {"occupation": "Giáo viên"}, {"email": "teo@example.vn"}):
        services.correction_propose(person=person, user=person.account, changes=changes)
    services.consent_answer(person=person, answer="given", user=person.account)
    with count_queries() as large:
        assert client.get(reverse("own:home")).status_code == 200
    assert len(large) == len(small)


def test_correction_list_names_the_branch_and_day_the_longest_waiting_first(client, world, tieu_can_officer):
    """The officers' list is a work list: the requests waiting, the one sent first at the top, each with the
    branch of its secretary and the day it was sent; sortable by name and day (QA3 m4)."""
    person = world["tieu_can_person"]
    other = person_with_term(branch=BranchFactory(commune=person.terms.get().branch.commune, name="Ấp Mới"))
    [first] = services.correction_propose(
        person=person, user=_secretary(person), changes={"phone": "0900 000 001"}
    )
    [second] = services.correction_propose(
        person=other, user=_secretary(other, "bithu.moi"), changes={"occupation": "Giáo viên"}
    )
    Correction.objects.filter(pk=first.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    client.force_login(tieu_can_officer)
    url = reverse("secretaries:correction_list")

    response = client.get(url)
    assert [row.correction for row in response.context["rows"]] == [first, second]
    html = response.content.decode()
    sent = timezone.localtime(first.created_at - datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    row = html.split(f'data-correction="{first.pk}"')[1].split("</tr>")[0]
    assert person.terms.get().branch.name in row and sent in row
    assert "Ấp Mới" in html.split(f'data-correction="{second.pk}"')[1].split("</tr>")[0]

    # The headers sort it; the newest first, asked for.
    assert [r.correction for r in client.get(url, {"o": "-proposed"}).context["rows"]] == [second, first]
    assert "?o=-proposed" not in html and "?o=proposed" in html


def test_correction_list_queries_do_not_grow(client, world, count_queries, tieu_can_officer):
    person = world["tieu_can_person"]
    account = _secretary(person)
    services.correction_propose(person=person, user=account, changes={"phone": "0900 000 001"})
    client.force_login(tieu_can_officer)
    with count_queries() as small:
        assert client.get(reverse("secretaries:correction_list")).status_code == 200
    for changes in (
        {"occupation": "Giáo viên"},
        {"email": "teo@example.vn"},
        {"full_name": "Nguyễn Văn Tẻo"},
    ):
        services.correction_propose(person=person, user=account, changes=changes)
    # Another secretary's: each row's branch is read with the others'.
    other = person_with_term(branch=BranchFactory(commune=person.terms.get().branch.commune))
    services.correction_propose(
        person=other, user=_secretary(other, "bithu.khac"), changes={"email": "a@b.vn"}
    )
    with count_queries() as large:
        assert client.get(reverse("secretaries:correction_list")).status_code == 200
    assert len(large) == len(small)


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("administrator", True),
        ("provincial_staff", True),
        ("district_officer", False),
        ("commune_officer", False),
        ("secretary", False),  # on staff pages; their own record always shows them their religion
        ("", False),
    ],
)
def test_the_sensitive_data_policy_per_role(role, sees):
    from secretaries.sensitive import hidden_fields, sees_sensitive

    user = User(role=role)
    assert sees_sensitive(user) is sees
    assert (hidden_fields(user) == frozenset()) is sees


def test_a_refused_correction_does_not_read_like_a_refused_consent():
    """Vietnamese: the officers "Không chấp nhận" a correction (the word of its button and its reason); a
    person "Không đồng ý" to be shown publicly."""
    from django.utils import translation

    from secretaries.choices import PublicConsent
    from secretaries.models import Correction

    with translation.override("vi"):
        assert str(Correction.Status.REFUSED.label) == "Không chấp nhận"
        assert str(PublicConsent.REFUSED.label) == "Không đồng ý"


def test_the_own_page_says_when_the_current_term_is_due_to_end(client, world):
    """As the officers' list and export do ("dự kiến hết ngày …"), for the secretary's own current term."""
    person = world["tieu_can_person"]
    person.terms.update(expected_end_on=datetime.date(2028, 12, 13))
    client.force_login(_secretary(person))
    page = " ".join(client.get(reverse("own:home")).content.decode().split())
    assert "(dự kiến hết ngày 13/12/2028)" in page
