"""Logging test clients in as after a full login: password and second factor.

Administrators and provincial staff cannot open a page before the second factor (accounts/middleware.py),
and the settings have no way around it. So a test that means "this person, logged in" uses
`login_verified`: it gives the user an authenticator and marks the session verified the way
`django_otp.login` does after a correct code (the device's persistent id in the session).
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import TOTP_DEVICE_NAME


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
    """client.force_login(user), and the second factor passed in that session."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()
    return client
