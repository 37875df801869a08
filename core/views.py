"""Error pages the portal renders itself, and the recorded CSRF refusal."""

import logging

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.shortcuts import render
from django.views.csrf import csrf_failure as django_csrf_failure

from .mixins import RefusedWithReason
from .security_log import security_event


def csrf_failure(request, reason=""):
    """Django's CSRF refusal, recorded: a forged or stale form is an attempt worth a line (ASVS V16)."""
    security_event(
        "access.csrf_failure",
        request=request,
        level=logging.WARNING,
        path=request.path[:200],
        reason=reason[:100],
    )
    return django_csrf_failure(request, reason=reason)


def bad_request(request, exception):
    """400, with a message a person can act on when an upload carried too much (Django refuses it while
    parsing the body, before any view or form runs); 413 for a body too large."""
    too_large = isinstance(exception, RequestDataTooBig)
    context = {
        "too_large": too_large,
        "too_many_files": isinstance(exception, TooManyFilesSent),
        "too_many_fields": isinstance(exception, TooManyFieldsSent),
        "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
    }
    return render(request, "400.html", context, status=413 if too_large else 400)


def permission_denied(request, exception):
    """403: the portal's page, with the reason a view gave (core.mixins.RefusedWithReason), else the
    general one. An account that has no role yet gets the one page saying so, for every portal page it
    opens (PortalMixin and portal_view refuse it): "your role does not allow this page", with a button to
    the overview that was refused too, sent it round in a circle."""
    user = getattr(request, "user", None)
    no_role = bool(user is not None and user.is_authenticated and not user.role and not user.is_administrator)
    reason = exception.reason if isinstance(exception, RefusedWithReason) else ""
    return render(request, "403.html", {"reason": reason, "no_role": no_role}, status=403)
