"""The second factor in front of every page, Django admin included."""

from urllib.parse import urlencode

from django.contrib.auth.middleware import get_user
from django.shortcuts import redirect
from django.urls import reverse
from django_otp.middleware import OTPMiddleware as DjangoOTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.compiled import by_pk

from .mfa import has_second_factor, mfa_required

#: pages a signed-in person may open before the second factor, besides the step they are sent to (only
#: that one: someone who has a device cannot enrol a new one instead of giving its code): logging out,
#: the language switch, and the password pages (anonymous anyway: a reset does not log in)
OPEN_VIEWS = {
    "login",
    "logout",
    "set_language",
    "healthz",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


class OTPMiddleware(DjangoOTPMiddleware):
    """django-otp's middleware (request.user.is_verified()), the session's authenticator read by a statement
    compiled once per process: every request of a logged-in user reads it. Other kinds of device (none
    today) as django-otp reads them.

    request.user is the account itself from here on, not django-otp's lazy object around Django's: the
    account is loaded by then (core.middleware.RequestContextMiddleware) and SecondFactorMiddleware asks
    is_verified() of every request, so nothing was left to put off, while each of the hundreds of reads of
    request.user in a page's view and templates went through both proxies (an exception caught in each):
    a millisecond of an officer's simplest page."""

    def _install_lazy_accessors(self, request):
        super()._install_lazy_accessors(request)  # request.auser, for async code
        if hasattr(request, "user"):
            request.user = self._verify_user_sync(request, get_user(request))

    def _device_from_persistent_id(self, persistent_id: str):
        label, _slash, pk = self._normalize_persistent_id(persistent_id).rpartition("/")
        if label == TOTPDevice.model_label() and pk.isdigit():
            return by_pk(TOTPDevice, int(pk))
        return super()._device_from_persistent_id(persistent_id)


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware. A signed-in user whose session has not passed the second factor
    is sent to the code step when they have a device, or to enrolment when their role requires one;
    until then no other page (nor /admin/) answers. Templates read `request.mfa_pending` to show only
    what those steps need."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.mfa_pending = False
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if has_second_factor(user):
            target = "mfa_verify"
        elif mfa_required(user):
            target = "mfa_enrol"
        else:
            return None
        request.mfa_pending = True
        match = request.resolver_match
        if match is not None and (match.view_name in OPEN_VIEWS or match.view_name == target):
            return None
        url = reverse(target)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)
