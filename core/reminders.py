"""Reminders (nhắc việc): deadlines that matter, brought to the people who act on them.

Each app registers the kinds it knows in its AppConfig.ready() (like the first screen's panels, core/home.py):
a code, a label and a function (user, today) → [Reminder] that reads only what the user's scope holds
(`visible_to(user)`), so an officer of one commune never hears of another's deadlines. The kinds today:
the assessment period closing (assessments), a nomination window closing (awards), seminar proposals due
(seminars), terms ending within 60 days (secretaries). A new kind is one more `register_reminder` call.

Two ways out:
- the first screen: each app's own panel shows its deadlines closing soon, from the counts it reads anyway
  (the assessment period's close, proposals coming due, the nomination deadline, terms ending);
- e-mail: `send_reminders` (run daily, see docs) queues one `send_digest(user_id, day)` per user with an
  address; the job mails the items the user was not told about yet (its `key` is not in ReminderSent: a
  key names an item and its stage, so "due in 5 days" and then "overdue" are two reminders, the same item
  tomorrow none) and logs what it sent. A user turns a kind off on the settings page or with the signed
  one-click link in the mail (ReminderOptOut).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation


@dataclass(frozen=True)
class Reminder:
    kind: str
    # Names the item and its stage ("proposal:12:overdue:2026-01-10"): a new key is a new reminder.
    key: str
    text: str
    url: str
    due_on: datetime.date | None = None


@dataclass(frozen=True)
class ReminderKind:
    code: str
    label: object  # a lazy translation
    collect: Callable  # (user, today) → list[Reminder]


KINDS: dict[str, ReminderKind] = {}


def register_reminder(code: str, label, collect: Callable) -> None:
    KINDS.setdefault(code, ReminderKind(code, label, collect))


def kind_choices() -> list[tuple[str, object]]:
    return [(kind.code, kind.label) for kind in KINDS.values()]


def may_be_reminded(user) -> bool:
    """Staff of a unit that still exists: an ended Huyện đoàn reads its past and has no deadline left."""
    if not (user.is_active and user.has_portal_role):
        return False
    return user.unit_ended_on is None


def reminders_for(user, *, today: datetime.date | None = None, kinds=None) -> list[Reminder]:
    """Every reminder of the user's scope, of `kinds` (default: all), soonest first."""
    if not may_be_reminded(user):
        return []
    today = today or timezone.localdate()
    items: list[Reminder] = []
    for kind in KINDS.values():
        if kinds is None or kind.code in kinds:
            items.extend(kind.collect(user, today))
    return sorted(items, key=lambda r: (r.due_on or datetime.date.max, r.kind, r.key))


# ---------------------------------------------------------------------------------------------------
# Unsubscribing by a signed link

SALT = "core.reminders.unsubscribe"


def unsubscribe_token(user, kind: str) -> str:
    return signing.dumps({"u": user.pk, "k": kind}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str):
    """(user, kind) named by a link from a digest, or None when it was altered or names nothing known."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    kind = data.get("k") if isinstance(data, dict) else None
    if kind not in KINDS:
        return None
    user = get_user_model().objects.filter(pk=data.get("u"), is_active=True).first()
    return (user, kind) if user is not None else None


def opted_out(user) -> set[str]:
    from .models import ReminderOptOut

    return set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))


@transaction.atomic
def reminder_opt_out(*, user, kind: str) -> None:
    from .models import ReminderOptOut

    ReminderOptOut.objects.get_or_create(user=user, kind=kind)


@transaction.atomic
def reminder_preferences_save(*, user, wanted: set[str]) -> None:
    """Keep the kinds in `wanted` coming by e-mail and turn the others off."""
    from .models import ReminderOptOut

    ReminderOptOut.objects.filter(user=user, kind__in=wanted).delete()
    existing = opted_out(user)
    ReminderOptOut.objects.bulk_create(
        [
            ReminderOptOut(user=user, kind=code)
            for code in KINDS
            if code not in wanted and code not in existing
        ]
    )


# ---------------------------------------------------------------------------------------------------
# The daily digest


def portal_link(path: str) -> str:
    return settings.PORTAL_URL.rstrip("/") + path


def send_digest(user_id: int, day: str | None = None) -> int:
    """The job: mail the user one digest of their reminders not mailed before (of the kinds they did not turn
    off), log them, and return how many. Nothing to say → no mail."""
    from .models import ReminderSent

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None or not user.email or not may_be_reminded(user):
        return 0
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    wanted = set(KINDS) - opted_out(user)
    items = reminders_for(user, today=today, kinds=wanted)
    told = set(
        ReminderSent.objects.filter(user=user, key__in=[r.key for r in items]).values_list("key", flat=True)
    )
    new = [r for r in items if r.key not in told]
    if not new:
        return 0
    # The mail is Vietnamese, whatever language the job runs in (the users read Vietnamese).
    with translation.override("vi"):
        sections = []
        for code in (c for c in KINDS if c in wanted):
            rows = [{"text": r.text, "url": portal_link(r.url)} for r in new if r.kind == code]
            if rows:
                unsubscribe = portal_link(
                    reverse("reminders:unsubscribe", args=[unsubscribe_token(user, code)])
                )
                sections.append({"label": str(KINDS[code].label), "rows": rows, "unsubscribe": unsubscribe})
        context = {
            "user": user,
            "sections": sections,
            "count": len(new),
            "day": today,
            "portal": portal_link("/"),
            "settings_url": portal_link(reverse("reminders:settings")),
        }
        subject = render_to_string("reminders/digest_subject.txt", context).strip()
        text = render_to_string("reminders/digest.txt", context)
        html = render_to_string("reminders/digest.html", context)
    send_mail(subject, text, None, [user.email], html_message=html)
    ReminderSent.objects.bulk_create(
        [ReminderSent(user=user, kind=r.kind, key=r.key, sent_on=today) for r in new], ignore_conflicts=True
    )
    return len(new)


def queue_digests(*, day: datetime.date) -> int:
    """Queue one digest job per user who may get one (an address, a staff role); returns how many."""
    from .jobs import enqueue

    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(email="")
        .select_related("province", "district", "commune")
        .order_by("pk")
    )
    count = 0
    for user in users.iterator():
        if may_be_reminded(user):
            enqueue(send_digest, user.pk, day.isoformat())
            count += 1
    return count
