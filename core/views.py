import logging

from django.views.csrf import csrf_failure as django_csrf_failure

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
