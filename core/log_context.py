"""Who and where, for every log line: the request being served, kept in a context variable.

`RequestContextMiddleware` (core.middleware) sets it; `RequestContextFilter`, on the log handler, copies the
user id and the client address onto each record so the one log format (LOGGING in config/settings/base.py)
can print them, whichever logger wrote the line.
"""

import logging
from contextvars import ContextVar

from .client import client_address

_request: ContextVar = ContextVar("bithu_request", default=None)


def current_request():
    """The request this thread (or task) is serving, or None outside a request."""
    return _request.get()


def bind_request(request) -> None:
    _request.set(request)


def unbind_request(**kwargs) -> None:
    """On `request_finished`: after Django has written its own line about the response (4xx, 5xx)."""
    _request.set(None)


def user_id_of(user) -> int | None:
    return getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None


class RequestContextFilter(logging.Filter):
    """Adds ``user_id`` and ``client_address`` to a record (unless its caller already set them)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "user_id") or not hasattr(record, "client_address"):
            request = current_request()
            user_id = address = None
            if request is not None:
                try:
                    # The middleware has already loaded request.user, so this reads no database.
                    user_id = user_id_of(getattr(request, "user", None))
                    address = client_address(request)
                except Exception:  # a log line must never fail because of its context
                    pass
            if not hasattr(record, "user_id"):
                record.user_id = user_id if user_id is not None else "-"
            if not hasattr(record, "client_address"):
                record.client_address = address or "-"
        return True
