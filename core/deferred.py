"""Work done after the response, for what must not make a request slower or reveal anything by its
timing (the password-reset mail). There is no job queue yet: a thread, started once the surrounding
transaction commits. DEFERRED_WORK_INLINE (the test settings) runs the work at once instead."""

import logging
import threading

from django.conf import settings
from django.db import connections, transaction
from django.utils import translation

logger = logging.getLogger(__name__)


def run_after_response(func, /, *args, **kwargs) -> None:
    language = translation.get_language()

    def work():
        try:
            with translation.override(language):
                func(*args, **kwargs)
        except Exception:
            logger.exception("Deferred work %s failed", getattr(func, "__qualname__", func))

    if getattr(settings, "DEFERRED_WORK_INLINE", False):
        work()
        return

    def in_thread():
        try:
            work()
        finally:
            # The thread's own database connections, if the work opened any.
            connections.close_all()

    # Not a daemon: a worker that restarts finishes sending first (EMAIL_TIMEOUT bounds the wait).
    transaction.on_commit(lambda: threading.Thread(target=in_thread, name="bithu-deferred").start())
