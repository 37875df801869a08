"""The one way the portal records a security event (OWASP ASVS chapter 16).

Every event is one line on the ``bithu.security`` logger, in the portal's one log format (time, level,
logger, user id, client address; LOGGING in config/settings/base.py), and one `SecurityEvent` row that
Django admin and `manage.py security_events` read. The line carries the event name plus a few ids, counts or
short codes. Never a password, token, or personal data beyond ids.
"""

import logging

from django.utils.translation import gettext_lazy as _

from .client import client_address
from .log_context import current_request, user_id_of

logger = logging.getLogger("bithu.security")

#: what each event is, in words, for the people it concerns (a secretary's download of their data shows
#: their access log): an event not listed is shown by its name
EVENT_LABELS = {
    "login.success": _("Signed in"),
    "login.failure": _("Sign-in refused (wrong password or locked)"),
    "logout": _("Signed out"),
    "session.expired": _("Signed out after inactivity or the session's time limit"),
    "session.end_all": _("Sessions ended by an administrator"),
    "mfa.verified": _("Two-step verification passed"),
    "mfa.enrolled": _("Two-step verification set up"),
    "mfa.removed": _("Two-step verification removed"),
    "mfa.reset": _("Two-step verification reset by an administrator"),
    "mfa.recovery_codes_regenerated": _("New recovery codes created"),
    "invitation.redeem": _("Account created with an invitation"),
    "invitation.failure": _("Invitation code refused"),
    "invitation.revoke": _("Invitation revoked"),
    "user.create": _("Account created"),
    "data.export": _("Data exported to Excel"),
    "data.export_download": _("Exported file downloaded"),
    "data.import": _("Data imported from Excel"),
    "data.import_file": _("Excel file uploaded for import"),
    "data.import_preview": _("Import previewed"),
    "data.import_refused": _("Import refused"),
    "access.not_found": _("Page not found, or outside the account's scope"),
    "access.denied": _("Access refused"),
    "access.csrf_failure": _("Form refused by the security check"),
    "request.nul_byte": _("Malformed request refused"),
    "commendation.revoke": _("Commendation revoked"),
    "campaign.decision_correct": _("Commendation decision corrected"),
    "login.lockout": _("Signing in blocked after repeated wrong passwords"),
    "mfa.failure": _("Two-step verification code refused"),
    "invitation.create": _("Invitation created"),
    "user.rights_change": _("Account's role, unit or rights changed"),
}


def event_label(event: str) -> str:
    return str(EVENT_LABELS.get(event, event))


#: the longest value kept for one field: ids, counts and codes are short, anything longer is a mistake
MAX_FIELD_LENGTH = 200


def security_event(event: str, *, request=None, user=None, level: int = logging.INFO, **fields) -> None:
    """Record `event` (a short dotted name such as ``login.failure`` or ``data.export``).

    `request` defaults to the request being served; `user` to the request's user; `fields` are ids,
    counts or short codes only."""
    if request is None:
        request = current_request()
    if user is None and request is not None:
        user = getattr(request, "user", None)
    user_id = user_id_of(user)
    address = client_address(request) if request is not None else None
    details = {key: _clean(value) for key, value in fields.items()}
    text = " ".join(f"{key}={value}" for key, value in sorted(details.items()))
    logger.log(
        level,
        "%s",
        f"{event} {text}" if text else event,
        extra={"user_id": user_id if user_id is not None else "-", "client_address": address or "-"},
    )
    _store(event=event, level=level, user_id=user_id, address=(address or "")[:45], details=details)


def _clean(value):
    if value is None or isinstance(value, bool | int | float):
        return value
    # Control characters (a newline in a path) escaped, so no value can forge a log line (ASVS 16.4.1).
    text = str(value)[:MAX_FIELD_LENGTH]
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _store(**values) -> None:
    from django.db import connection, transaction

    from .models import SecurityEvent

    try:
        if connection.in_atomic_block:
            # A savepoint: a failed insert must not break the transaction of the work being recorded.
            with transaction.atomic():
                SecurityEvent.objects.create(**values)
        else:
            SecurityEvent.objects.create(**values)
    except Exception:  # the log line above is the record of last resort; never break the request
        logger.warning("%s not stored in the database", values["event"], exc_info=True)
