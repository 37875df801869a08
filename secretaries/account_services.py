"""The secretary in the loop: invitations to an account bound to one's Person record, the account's
disabling, corrections proposed by the secretary and decided by the unit's officers, and consent.

Each write is atomic and audited: invitations and accounts by security events (core.security_log), the
person's record by its change history with the reason of the change.
"""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from core.jobs import enqueue
from core.security_log import security_event
from core.sessions import sessions_end

from .choices import PublicConsent
from .models import Correction, Invitation, Person, check_party_date, json_value
from .sensitive import SENSITIVE_FIELDS

#: days an invitation stays valid (settings.INVITATION_VALID_DAYS overrides)
INVITATION_VALID_DAYS = 14
#: the code's alphabet: no 0/O, 1/I/L, so it is read off paper without doubt; 12 characters ≈ 60 bits
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12

#: the fields a secretary may propose to correct, in the order the form shows them
CORRECTABLE_FIELDS = (
    "full_name",
    "date_of_birth",
    "gender",
    "ethnicity",
    "religion",
    "education_level",
    "political_theory_level",
    "is_party_member",
    "party_joined_on",
    "occupation",
    "phone",
    "email",
)
#: fields that keep each other's rule (a date of joining the Party only for a party member,
#: models.check_party_date): one request at a time for either, and checked together
PARTY_FIELDS = frozenset({"is_party_member", "party_joined_on"})
#: fields whose empty value (None) is a value the person may propose: a date of joining removed
CLEARABLE_FIELDS = frozenset({"party_joined_on"})
#: the proposed values kept as ISO text, read back as dates
DATE_FIELDS = frozenset({"date_of_birth", "party_joined_on"})

# The reasons these services write in a person's history: stored in the writer's language, shown in the
# reader's (core.history.register_reason, in SecretariesConfig.ready()).
CORRECTED = gettext_noop("Correction requested by the person")
CONSENTED = gettext_noop("Consent answered by the person")
REASONS = (CORRECTED, CONSENTED)


def valid_days() -> int:
    return getattr(settings, "INVITATION_VALID_DAYS", INVITATION_VALID_DAYS)


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    """What the secretary typed, as the code was issued: case, spaces and dashes do not matter."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def code_hash(code: str) -> str:
    # The code is random and long enough that a plain SHA-256 is safe to keep; the code itself is not kept.
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def invitation_by_code(code: str) -> Invitation | None:
    if len(normalise_code(code)) != CODE_LENGTH:
        return None
    return Invitation.objects.select_related("person").filter(token_hash=code_hash(code)).first()


def may_manage_accounts(user) -> bool:
    """Invite, disable: an officer of a unit that still works (an ended Huyện đoàn only reads)."""
    return bool(user.has_portal_role and user.unit_ended_on is None)


@transaction.atomic
def invitation_create(
    *, person: Person, invited_by: User, channel: str, link_base: str = ""
) -> tuple[Invitation, str]:
    """A new invitation for `person` (the previous open one is revoked), and its code, returned once.
    By e-mail the message is sent by the job queue, with a link on the site `link_base` (scheme and host)."""
    if not may_manage_accounts(invited_by):
        raise ValidationError(_("Your unit has ended: it can no longer invite."), code="unit_ended")
    Person.objects.select_for_update().filter(pk=person.pk).first()
    if User.objects.filter(person=person).exists():
        raise ValidationError(
            _("%(name)s already has an account.") % {"name": person.full_name}, code="has_account"
        )
    if channel == Invitation.Channel.EMAIL and not person.email:
        raise ValidationError(_("The record has no e-mail address: print a slip instead."), code="no_email")
    now = timezone.now()
    revoked = Invitation.objects.filter(person=person).open().update(revoked_at=now)
    code = new_code()
    invitation = Invitation.objects.create(
        person=person,
        invited_by=invited_by,
        channel=channel,
        email=person.email if channel == Invitation.Channel.EMAIL else "",
        token_hash=code_hash(code),
        expires_at=now + datetime.timedelta(days=valid_days()),
    )
    security_event(
        "invitation.create",
        user=invited_by,
        person=person.pk,
        invitation=invitation.pk,
        channel=channel,
        revoked=revoked,
    )
    if channel == Invitation.Channel.EMAIL:
        # The job gets the code as an argument (it is not stored): it exists only in the message.
        enqueue(send_invitation_email, invitation.pk, code, link_base)
    return invitation, code


def send_invitation_email(invitation_id: int, code: str, link_base: str) -> None:
    """The job: the invitation e-mail, in Vietnamese (the secretary has no language of their own yet)."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.utils import translation

    invitation = Invitation.objects.select_related("person").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return
    with translation.override("vi"):
        context = {
            "invitation": invitation,
            "code": code,
            "link": f"{link_base}{reverse('own:activate_start', kwargs={'code': code})}" if link_base else "",
            "days": valid_days(),
        }
        subject = render_to_string("secretaries/email/invitation_subject.txt", context).strip()
        body = render_to_string("secretaries/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    Invitation.objects.filter(pk=invitation.pk).open().update(revoked_at=timezone.now())
    security_event("invitation.revoke", user=by, invitation=invitation.pk, person=invitation.person_id)


@transaction.atomic
def invitation_redeem(*, code: str, username: str, password: str) -> User:
    """The secretary's account, bound to the invitation's person. Refused (code "invalid", "expired",
    "used" or "revoked") unless the invitation is open; the password is validated by the form."""
    found = invitation_by_code(code)
    if found is None:
        raise ValidationError(_("This code is not valid."), code="invalid")
    invitation = Invitation.objects.select_for_update().select_related("person").get(pk=found.pk)
    if invitation.used_at is not None:
        raise ValidationError(_("This code has already been used."), code="used")
    if invitation.revoked_at is not None:
        raise ValidationError(
            _("This code was replaced by a newer invitation or withdrawn. Ask your unit for a new one."),
            code="revoked",
        )
    if invitation.is_expired:
        raise ValidationError(_("This code has expired. Ask your unit for a new one."), code="expired")
    person = invitation.person
    if User.objects.filter(person=person).exists():
        raise ValidationError(_("This record already has an account."), code="has_account")
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(_("This username is taken: choose another."), code="username_taken")
    family, _sep, given = person.full_name.rpartition(" ")
    user = User(
        username=username,
        role=User.Role.SECRETARY,
        person=person,
        email=person.email,
        last_name=family[:150],
        first_name=given[:150],
    )
    user.set_password(password)
    user.save()
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    security_event("invitation.redeem", user=user, invitation=invitation.pk, person=person.pk)
    security_event("user.create", user=user, target=user.pk, role=user.role)
    return user


@transaction.atomic
def secretary_account_set_active(*, person: Person, active: bool, by: User) -> User:
    """Disable (or enable again) the secretary's account of `person`; disabling signs it out everywhere."""
    if not may_manage_accounts(by):
        raise ValidationError(_("Your unit has ended: it can no longer change accounts."), code="unit_ended")
    account = User.objects.select_for_update().filter(person=person, role=User.Role.SECRETARY).first()
    if account is None:
        raise ValidationError(_("%(name)s has no account.") % {"name": person.full_name}, code="no_account")
    if account.is_active != active:
        account.is_active = active
        account.save(update_fields=["is_active"])
        if not active:
            transaction.on_commit(lambda: sessions_end(user_ids=[account.pk]))
        security_event(
            "user.rights_change",
            user=by,
            level=logging.WARNING,
            target=account.pk,
            is_active=active,
            person=person.pk,
        )
    return account


# Corrections.


def _model_value(name: str, value):
    if name in DATE_FIELDS and isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


def _check_party(person: Person, values: dict) -> None:
    """The record's party rule (check_party_date, the database's person_party_date_only_for_members) on the
    record with `values` (model values) applied: a date of joining only with party member yes."""
    merged = {name: values.get(name, getattr(person, name)) for name in (*PARTY_FIELDS, "date_of_birth")}
    check_party_date(**merged)


@transaction.atomic
def correction_propose(*, person: Person, user: User, changes: dict, note: str = "") -> list[Correction]:
    """The secretary's proposal: only the fields that differ from the record are kept. A sensitive field
    (religion) is decided by provincial staff only (secretaries/sensitive.py): it goes as a request of its
    own, so the rest (a phone, an e-mail) is decided by the unit without waiting for the province."""
    if user.person_id != person.pk:
        raise ValidationError(_("Only the person may propose corrections to their record."), code="not_own")
    kept = {
        name: value
        for name, value in changes.items()
        if name in CORRECTABLE_FIELDS
        and (value is not None or name in CLEARABLE_FIELDS)
        and value != getattr(person, name)
    }
    # No longer a party member: the date of joining goes with it (the record would keep one otherwise).
    if kept.get("is_party_member") is False and person.party_joined_on and "party_joined_on" not in changes:
        kept["party_joined_on"] = None
    if PARTY_FIELDS & set(kept):
        try:
            _check_party(person, kept)
        except ValidationError as error:
            raise ValidationError(error.messages, code="party_date") from error
    kept = {name: json_value(value) for name, value in kept.items()}
    if not kept:
        raise ValidationError(
            _("Nothing differs from your record: change a value first."), code="nothing_changed"
        )
    # One request at a time for a field: a second would be decided against the record the first changes.
    waiting = {name for pending in person.corrections.pending() for name in pending.changes}
    if PARTY_FIELDS & waiting:
        waiting |= PARTY_FIELDS  # decided against the record the other one changes
    if clash := sorted(set(kept) & waiting):
        labels = _field_names(clash)
        raise ValidationError(
            _(
                "Your unit has not yet answered your request to correct %(fields)s: wait for its answer "
                "before proposing another value."
            )
            % {"fields": labels},
            code="pending_same_field",
        )
    parts = {
        sensitive: {name: value for name, value in kept.items() if (name in SENSITIVE_FIELDS) == sensitive}
        for sensitive in (False, True)
    }
    return [
        Correction.objects.create(
            person=person,
            changes=part,
            previous={name: json_value(getattr(person, name)) for name in part},
            sensitive=sensitive,
            note=note,
            proposed_by=user,
            person_version=person.version,
        )
        for sensitive, part in parts.items()
        if part
    ]


def _field_names(names) -> str:
    """Fields of the record as its form names them ("số điện thoại, nghề nghiệp"), for a message."""
    return ", ".join(str(Person._meta.get_field(name).verbose_name) for name in names)


def _lock_pending(correction: Correction) -> Correction:
    current = Correction.objects.select_for_update().get(pk=correction.pk)
    if not current.is_pending:
        who = str(current.decided_by) if current.decided_by_id else _("someone")
        raise ValidationError(
            _("This correction was already decided by %(who)s.") % {"who": who}, code="already_decided"
        )
    return current


@transaction.atomic
def correction_accept(*, correction: Correction, by: User) -> Correction:
    """Apply the proposed values to the record; its history says why. Refused if a proposed field has
    changed on the record since the proposal (the officer would overwrite someone else's change)."""
    correction = _lock_pending(correction)
    person = Person.objects.select_for_update().get(pk=correction.person_id)
    changed = correction.changed_on_record(person)
    if changed:
        labels = _field_names(changed)
        raise ValidationError(
            _(
                "The record changed since the proposal (%(fields)s): refuse this correction and ask the "
                "person to propose it again."
            )
            % {"fields": labels},
            code="record_changed",
        )
    for name, value in correction.changes.items():
        setattr(person, name, _model_value(name, value))
    # The proposal was checked when it was sent; a rule may have changed since, or the values come from an
    # older version of the form: the record never takes what its own form would refuse.
    unchanged = [field.name for field in Person._meta.concrete_fields if field.name not in correction.changes]
    try:
        person.clean_fields(exclude=unchanged)
        if PARTY_FIELDS & set(correction.changes):
            try:
                _check_party(person, {})
            except ValidationError as error:
                raise ValidationError({"party_joined_on": error.messages}) from error
    except ValidationError as error:
        problems = "; ".join(
            f"{capfirst(Person._meta.get_field(name).verbose_name)}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
        raise ValidationError(
            _("The proposed values cannot be saved (%(problems)s): refuse the correction, saying why.")
            % {"problems": problems},
            code="invalid_values",
        ) from error
    person._change_reason = _(CORRECTED)
    person._history_user = by
    person.save()
    correction.status = Correction.Status.ACCEPTED
    correction.decided_by, correction.decided_at = by, timezone.now()
    correction.save()
    return correction


@transaction.atomic
def correction_refuse(*, correction: Correction, by: User, reason: str) -> Correction:
    if not reason.strip():
        raise ValidationError({"reason": _("A refusal needs its reason.")}, code="reason_missing")
    correction = _lock_pending(correction)
    correction.status = Correction.Status.REFUSED
    correction.reason = reason.strip()
    correction.decided_by, correction.decided_at = by, timezone.now()
    correction.save()
    return correction


# Consent to public showing.


@transaction.atomic
def consent_answer(*, person: Person, answer: str, user: User) -> Person:
    """The person's own answer, dated today; the change history keeps every earlier one."""
    if user.person_id != person.pk:
        raise ValidationError(_("Only the person may answer for themselves."), code="not_own")
    if answer not in (PublicConsent.GIVEN, PublicConsent.REFUSED):
        raise ValidationError(_("Choose to agree or to refuse."), code="invalid_answer")
    person = Person.objects.select_for_update().get(pk=person.pk)
    person.public_consent = answer
    person.public_consent_on = timezone.localdate()
    person._change_reason = _(CONSENTED)
    person._history_user = user
    person.save()
    return person


# Guessing codes is throttled per client address: the failures are the security events themselves, so the
# count holds across processes (gunicorn's workers share no memory) and an administrator sees them.

ACTIVATION_FAILURE_LIMIT = 10
ACTIVATION_LOCK_MINUTES = 15


def activation_locked(request) -> bool:
    from core.client import client_address
    from core.models import SecurityEvent

    since = timezone.now() - datetime.timedelta(minutes=ACTIVATION_LOCK_MINUTES)
    failures = SecurityEvent.objects.filter(
        event="invitation.failure", address=(client_address(request) or "")[:45], created_at__gte=since
    )
    return failures.count() >= getattr(settings, "ACTIVATION_FAILURE_LIMIT", ACTIVATION_FAILURE_LIMIT)


def activation_failed(request, reason: str) -> None:
    security_event("invitation.failure", request=request, level=logging.WARNING, reason=reason)
