"""The one way the portal records a security event (OWASP ASVS chapter 16).

Every event is one line on the ``bithu.security`` logger with the event name, the acting user's id and the
client address, plus a few ids or counts. Never a password, token, or personal data beyond ids.
"""

import logging

logger = logging.getLogger("bithu.security")


def security_event(event: str, *, request=None, user=None, level: int = logging.INFO, **fields) -> None:
    """Record `event` (a short dotted name such as ``login.failure`` or ``export.personal_data``).

    `user` defaults to the request's user; `fields` are ids, counts or short codes only."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    user_id = (
        getattr(user, "pk", None) if user is not None and getattr(user, "is_authenticated", False) else None
    )
    address = request.META.get("REMOTE_ADDR") if request is not None else None
    details = " ".join(f"{key}={value}" for key, value in sorted(fields.items()))
    logger.log(level, "%s user=%s address=%s %s", event, user_id, address, details)
