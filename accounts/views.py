"""The second factor's pages: the code step after the password, enrolment, recovery codes, and the
account security page. The rules and writes are in accounts/mfa.py."""

import logging

import django_otp
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from core.security_log import security_event

from . import mfa
from .forms import ConfirmForm, SecondFactorCodeForm

RECOVERY_CODES_KEY = "mfa_recovery_codes"
RECOVERY_NEXT_KEY = "mfa_recovery_next"


def _next(request) -> str:
    """Where to go after the step: the `next` the middleware passed on, if it is a page of this site."""
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _verified(request, device) -> None:
    # A new session key when the session gains the second factor, as at the password step.
    request.session.cycle_key()
    django_otp.login(request, device)


def _refuse(request, form, check: mfa.CodeCheck, step: str) -> None:
    if check.wait:
        # After one wrong code already (django-otp waits 1, 2, 4… seconds): not "too many".
        message = ngettext(
            "Please wait %(seconds)d second, then type the code again.",
            "Please wait %(seconds)d seconds, then type the code again.",
            check.wait,
        ) % {"seconds": check.wait}
    else:
        message = _("This code is not correct. Check the time on your phone and type the newest code.")
    form.add_error("code", message)
    security_event(
        "mfa.failure",
        request=request,
        level=logging.WARNING,
        step=step,
        failures=check.failures,
        throttled=int(bool(check.wait)),
    )


@never_cache
@login_required
def second_factor_verify(request):
    """The code step after the password, for everyone who has a second factor."""
    user = request.user
    if user.is_verified() or not mfa.has_second_factor(user):
        return redirect(_next(request))
    form = SecondFactorCodeForm(
        request.POST or None,
        submit_label=_("Continue"),
        help_text=_("The six digits your authenticator app shows now, or one of your recovery codes."),
        recovery_code=True,
    )
    if form.is_valid():
        check = mfa.second_factor_check(user=user, code=form.cleaned_data["code"])
        if check.ok:
            _verified(request, check.device)
            recovery = isinstance(check.device, StaticDevice)
            security_event("mfa.verified", request=request, method="recovery" if recovery else "totp")
            if recovery:
                left = mfa.recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; %(count)d is left. Create new ones on the account "
                        "security page.",
                        "You used a recovery code; %(count)d are left. Create new ones on the account "
                        "security page.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(_next(request))
        _refuse(request, form, check, step="login")
    return render(request, "accounts/mfa_verify.html", {"form": form})


@never_cache  # the key and the recovery codes must not stay in any cache
@login_required
def second_factor_enrol(request):
    """Set up an authenticator app: scan the QR code (or type the key), then confirm with a code."""
    user = request.user
    if mfa.has_second_factor(user) and not user.is_verified():
        return redirect("mfa_verify")
    device = mfa.totp_enrolment_start(user=user)
    form = SecondFactorCodeForm(
        request.POST or None,
        submit_label=_("Confirm and turn on"),
        help_text=_("The six digits the app shows for this account."),
    )
    if form.is_valid():
        check, codes = mfa.totp_enrolment_confirm(device=device, code=form.cleaned_data["code"])
        if check.ok:
            _verified(request, check.device)
            security_event("mfa.enrolled", request=request, device=check.device.pk)
            request.session[RECOVERY_CODES_KEY] = codes
            request.session[RECOVERY_NEXT_KEY] = _next(request)
            messages.success(request, _("Two-step verification is on."))
            return redirect("mfa_recovery_codes")
        _refuse(request, form, check, step="enrolment")
    return render(
        request,
        "accounts/mfa_enrol.html",
        {
            "form": form,
            "qr": mfa.qr_svg(device),
            "secret": mfa.secret_base32(device.key),
            "required": mfa.mfa_required(user),
            "replacing": mfa.has_second_factor(user),
        },
    )


@never_cache  # the key and the recovery codes must not stay in any cache
@login_required
def recovery_codes(request):
    """New recovery codes, shown once: they are taken out of the session as this page shows them."""
    codes = request.session.pop(RECOVERY_CODES_KEY, None)
    next_url = request.session.pop(RECOVERY_NEXT_KEY, None) or reverse("account_security")
    return render(
        request,
        "accounts/mfa_recovery_codes.html",
        {"codes": [mfa.format_code(code) for code in codes or []], "next_url": next_url},
    )


@never_cache
@login_required
def account_security(request):
    user = request.user
    enrolled = mfa.has_second_factor(user)
    required = mfa.mfa_required(user)
    regenerate_form = ConfirmForm(submit_label=_("Create new recovery codes"))
    regenerate_form.helper.form_action = reverse("mfa_recovery_regenerate")
    remove_form = None
    if enrolled and not required:
        remove_form = SecondFactorCodeForm(
            submit_label=_("Turn off two-step verification"),
            submit_class="btn-outline-danger",
            help_text=_("To turn it off, type a code from your authenticator app."),
        )
        remove_form.helper.form_action = reverse("mfa_remove")
    return render(
        request,
        "accounts/account_security.html",
        {
            "enrolled": enrolled,
            "required": required,
            "codes_left": mfa.recovery_codes_left(user) if enrolled else 0,
            "regenerate_form": regenerate_form,
            "remove_form": remove_form,
        },
    )


@require_POST
@login_required
def recovery_codes_regenerate(request):
    if not mfa.has_second_factor(request.user):
        return redirect("account_security")
    request.session[RECOVERY_CODES_KEY] = mfa.recovery_codes_regenerate(user=request.user)
    request.session[RECOVERY_NEXT_KEY] = reverse("account_security")
    security_event("mfa.recovery_codes_regenerated", request=request)
    messages.success(request, _("New recovery codes created; the earlier ones no longer work."))
    return redirect("mfa_recovery_codes")


@require_POST
@login_required
def second_factor_remove(request):
    """Turn the second factor off: only where the role does not require it, and with a current code."""
    user = request.user
    if mfa.mfa_required(user) or not mfa.has_second_factor(user):
        return redirect("account_security")
    form = SecondFactorCodeForm(request.POST, submit_label=_("Turn off two-step verification"))
    if form.is_valid():
        check = mfa.second_factor_check(user=user, code=form.cleaned_data["code"])
        if check.ok:
            mfa.second_factor_remove(user=user)
            security_event("mfa.removed", request=request, by="self")
            messages.success(request, _("Two-step verification is off."))
            return redirect("account_security")
        _refuse(request, form, check, step="removal")
    messages.error(request, form.errors["code"][0] if "code" in form.errors else _("Type a code."))
    return redirect("account_security")


@never_cache
@login_required
def keepalive(request):
    """Asked by a page while its form is being typed in (static/js/portal.js): typing is activity, and the
    idle timeout (core.middleware.SessionTimeoutMiddleware, which this request goes through) should not
    sign out someone filling a long self-assessment, who would lose what they typed."""
    return HttpResponse(status=204)
