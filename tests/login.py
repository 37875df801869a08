"""Logging test clients in as after a full login: password and second factor.

Administrators and provincial staff cannot open a page before the second factor (accounts/middleware.py),
and the settings have no way around it. So a test that means "this person, logged in" uses
`login_verified`: it gives the user an authenticator and marks the session verified the way
`django_otp.login` does after a correct code (the device's persistent id in the session).
"""

from importlib import import_module
from types import SimpleNamespace

from django.conf import settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import TOTP_DEVICE_NAME, mfa_required
from core.sessions import note_login, now_ts


def totp_device(user) -> TOTPDevice:
    """The user's confirmed authenticator, made when missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=True)


def totp_code(device: TOTPDevice, offset_steps: int = 0) -> str:
    """The code the person's phone shows now (or `offset_steps` steps later), from the device's key."""
    import time

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset_steps * device.step
    return f"{totp.token():0{device.digits}d}"


def login_verified(client, user):
    """The client logged in as `user` with the second factor passed, as after the login page and the code
    step: the session those leave behind, written at once. Unlike client.force_login it sends no login
    signal (last_login, django-axes' access log, the security event): the tests of logging in go through
    the login page itself. A test runs this for most of its requests' personas, so it is kept to three
    queries (force_login and a session update cost twelve), and none in a module whose world is built once
    (`keep_sessions`)."""
    backend = client._get_backend()
    session = _kept_session(user, backend) or verified_session(user, backend)
    client._set_login_cookies(SimpleNamespace(session=session))
    return client


#: user pk → (session, backend, the user's session hash then, when it was made): see keep_sessions
_kept: dict[int, tuple] = {}
#: a kept session serves a test only this close to when it was made (a test that travels in time or waits
#: past the idle timeout logs in afresh)
KEPT_FOR_SECONDS = 300


def keep_sessions(users, backend: str) -> None:
    """Verified sessions of `users`, made now and handed out by login_verified until `forget_sessions`. For
    tests.conftest.world_once: made inside the module's transaction, they outlive each test's savepoint, so
    the matrices' thousands of logins cost no query (a session made inside a test is undone with it).
    Those who must pass the second factor get an authenticator now; officers get none."""
    for user in users:
        # An officer needs no second factor and is not given an authenticator: a test that signs one in
        # with force_login (no device, nothing to verify) finds it as it was.
        session = verified_session(user, backend, second_factor=mfa_required(user))
        _kept[user.pk] = (session, backend, user.get_session_auth_hash(), now_ts())


def forget_sessions() -> None:
    _kept.clear()


def _kept_session(user, backend: str):
    kept = _kept.get(user.pk)
    if kept is None:
        return None
    session, kept_backend, auth_hash, made_at = kept
    fresh = abs(now_ts() - made_at) < KEPT_FOR_SECONDS
    if kept_backend != backend or auth_hash != user.get_session_auth_hash() or not fresh:
        return None
    return session


def verified_session(user, backend: str, *, second_factor: bool = True):
    """The saved session of `user` after the login page (through `backend`) and, with `second_factor`, the
    code step (an authenticator is made when the user has none)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    if second_factor:
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    note_login(session)
    session.save()
    return session
