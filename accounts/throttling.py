"""Login throttling (django-axes) with two limits, which axes alone cannot hold.

AXES_LOCKOUT_PARAMETERS is ``[["username", "ip_address"], "ip_address"]``: one person guessing one
account's password from one address is locked after AXES_FAILURE_LIMIT failures; one address guessing
across many accounts is locked after AXES_ADDRESS_FAILURE_LIMIT, higher because a district office shares
one address among its officers. Axes compares every parameter with the same limit, so this handler scales
the counts: each parameter's failures are expressed as a fraction of its own limit.

A successful login forgives only that username from that address — not the whole address, or an attacker
holding one valid account could clear the address's count by logging into it now and then.
"""

import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop


class PortalAxesHandler(AxesDatabaseHandler):
    def _limits(self):
        return [
            settings.AXES_ADDRESS_FAILURE_LIMIT if parameter == "ip_address" else settings.AXES_FAILURE_LIMIT
            for parameter in settings.AXES_LOCKOUT_PARAMETERS
        ]

    def get_failures(self, request, credentials=None) -> int:
        base = settings.AXES_FAILURE_LIMIT
        scaled = 0
        for attempts, limit in zip(self.get_user_attempts(request, credentials), self._limits(), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if failures >= limit:
                return max(base, failures)
            # Below its own limit, a count stays below the common one.
            scaled = max(scaled, min(base - 1, math.floor(failures * base / limit)))
        return scaled

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return count


def name_login_records() -> None:
    """django-axes names its records in English with the moment in UTC ("Access Log for quantri @
    2026-12-01 21:00:00+00:00"), and its app has no name: admin shows them in Vietnamese, in Vietnam's time
    (issue 14). Neither is stored, so no migration follows."""

    def named(message):
        def __str__(self):
            when = formats.date_format(timezone.localtime(self.attempt_time), "SHORT_DATETIME_FORMAT")
            return gettext(message) % {"user": self.username or "—", "when": when}

        return __str__

    AccessLog.__str__ = named(gettext_noop("Login of %(user)s at %(when)s"))
    AccessAttempt.__str__ = named(gettext_noop("Failed logins of %(user)s, last at %(when)s"))
    AccessFailureLog.__str__ = named(gettext_noop("Failed login of %(user)s at %(when)s"))
    apps.get_app_config("axes").verbose_name = gettext_lazy("Login throttling")
    for label, name in (
        ("otp_totp", gettext_lazy("Two-step verification: authenticator apps")),
        ("otp_static", gettext_lazy("Two-step verification: recovery codes")),
    ):
        if apps.is_installed(f"django_otp.plugins.{label}"):
            apps.get_app_config(label).verbose_name = name
