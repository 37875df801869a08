"""Sessions: their store, and their lifetimes (ASVS V7): an idle timeout, an absolute lifetime, and ending
every session of a user.

The login time and the last activity are kept in the session itself (set at login by `note_login`, read by
`core.middleware.SessionTimeoutMiddleware`), so nothing is added to the user model.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils import timezone

from core.compiled import by_pk


class SessionStore(DatabaseSessionStore):
    """Django's sessions in the database (SESSION_ENGINE = "core.sessions"), each request's session read by
    a statement compiled once per process (core.compiled.by_pk) instead of the ORM's get()."""

    def _get_session_from_db(self):
        session = by_pk(self.model, self.session_key)
        if session is None or session.expire_date <= timezone.now():
            self._session_key = None
            return None
        return session


LOGIN_AT = "_bithu_login_at"
SEEN_AT = "_bithu_seen_at"
#: the last activity is written back at most this often, so a page view does not always write the session
SEEN_RESOLUTION_SECONDS = 60


def now_ts() -> float:
    # timezone.now, not time.time: tests travel in time by patching one function.
    return timezone.now().timestamp()


def note_login(session) -> None:
    now = now_ts()
    session[LOGIN_AT] = now
    session[SEEN_AT] = now


def expiry_reason(session) -> str | None:
    """Why the session must end now ("idle" or "lifetime"), or None; notes the activity on the way."""
    now = now_ts()
    login_at = session.get(LOGIN_AT)
    seen_at = session.get(SEEN_AT)
    if login_at is None:
        # A session from before this check existed: its lifetime counts from now.
        note_login(session)
        return None
    if now - login_at > settings.SESSION_MAX_HOURS * 3600:
        return "lifetime"
    if seen_at is not None and now - seen_at > settings.SESSION_IDLE_MINUTES * 60:
        return "idle"
    if seen_at is None or now - seen_at >= SEEN_RESOLUTION_SECONDS:
        session[SEEN_AT] = now
    return None


def sessions_end(*, user_ids) -> int:
    """End every live session of these users (an administrator's action); returns how many ended.

    The session store is not indexed by user, so the live sessions are read once; a provincial portal has
    a few thousand at most, and the idle timeout keeps them few."""
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    wanted = {str(pk) for pk in user_ids}
    model = store_class.get_model_class()
    ended = 0
    for session in model.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = store_class().decode(session.session_data)
        if data.get("_auth_user_id") in wanted:
            store_class(session_key=session.session_key).delete()
            ended += 1
    return ended
