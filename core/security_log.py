"""The one way the portal records a security event (OWASP ASVS chapter 16).

Every event is one line on the ``bithu.security`` logger, in the portal's one log format (time, level,
logger, user id, client address; LOGGING in config/settings/base.py), and one `SecurityEvent` row that
Django admin and `manage.py security_events` read. The line carries the event name plus a few ids, counts or
short codes. Never a password, token, or personal data beyond ids.
"""

import logging

from .client import client_address
from .log_context import current_request, user_id_of

logger = logging.getLogger("bithu.security")

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
