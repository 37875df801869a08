"""The second factor: who must have one, enrolment, checking a code, recovery codes, reset.

Built on django-otp: one TOTP device per user (an authenticator app) and one static device holding the
recovery codes. A session counts as verified once `django_otp.login` has put the device in it; the
middleware (accounts/middleware.py) keeps every page behind that for the users it applies to.
"""

import base64
from dataclasses import dataclass
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"


def mfa_required(user: User) -> bool:
    """Administrators (superusers and anyone who can open Django admin) and provincial staff must use a
    second factor; district officers may."""
    return user.is_administrator or user.is_staff or user.is_provincial_staff


def totp_device(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_base32(key: str) -> str:
    """A device's key (hex) as an authenticator app asks for it when typed in: base32, in groups of four."""
    text = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The otpauth:// URL as an inline <svg> element: no script, no inline style, nothing fetched."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    # Drop the XML declaration and the fixed size in mm: the page's stylesheet sizes the element.
    svg = svg[svg.index("<svg") :]
    svg = svg.replace("<svg ", '<svg class="mfa-qr" role="img" ', 1)
    # Built by qrcode from the device's own URL, never from request data.
    return mark_safe(svg)


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator this enrolment shows; the same one on every visit until confirmed,
    so a reload does not invalidate what the person has just scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False, name=TOTP_DEVICE_NAME).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)


@dataclass
class CodeCheck:
    device: TOTPDevice | StaticDevice | None = None
    #: seconds to wait when the device is throttled after wrong codes
    wait: int = 0
    failures: int = 0

    @property
    def ok(self) -> bool:
        return self.device is not None


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _check(device, code: str) -> CodeCheck:
    from django.utils import timezone

    allowed, info = device.verify_is_allowed()
    if not allowed:
        locked_until = (info or {}).get("locked_until")
        wait = max(1, int((locked_until - timezone.now()).total_seconds()) + 1) if locked_until else 1
        return CodeCheck(wait=wait, failures=device.throttling_failure_count)
    if device.verify_token(code):
        return CodeCheck(device=device)
    return CodeCheck(failures=device.throttling_failure_count)


@transaction.atomic
def second_factor_check(*, user: User, code: str) -> CodeCheck:
    """Check a code from the authenticator (six digits) or a recovery code (used up by this check).

    Devices are locked for the check, so two requests cannot both use one code; each device throttles its
    own wrong codes (django-otp: a wait of 1, 2, 4… seconds after each failure)."""
    code = normalise_code(code)
    if code.isdigit():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    else:
        device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
    if device is None:
        return CodeCheck()
    return _check(device, code)


@transaction.atomic
def totp_enrolment_confirm(*, device: TOTPDevice, code: str) -> tuple[CodeCheck, list[str]]:
    """Confirm a new authenticator with a code it shows; on success it replaces any earlier second factor
    of the user, and the new recovery codes are returned (to be shown once)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, confirmed=False)
    check = _check(device, normalise_code(code))
    if not check.ok:
        return check, []
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return check, recovery_codes_regenerate(user=device.user)


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """A fresh set of recovery codes; the earlier ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    StaticDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def second_factor_remove(*, user: User) -> bool:
    """Remove every second factor of the user (their own choice when optional, or an administrator's
    reset); True if there was one. Their verified sessions lose the verification at once, since
    django-otp reloads the device on every request."""
    had = has_second_factor(user)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return had


def format_code(code: str) -> str:
    """A recovery code as shown: two groups of four."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code
