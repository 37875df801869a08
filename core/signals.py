"""Security events of authentication (ASVS V16): login success, failure, lockout and logout, from Django's
and django-axes' signals. django-axes' own log lines (with the username and address masked as ``****``) are
silenced in LOGGING; these replace them."""

import logging

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.core.signals import request_finished
from django.dispatch import receiver

from .log_context import unbind_request
from .security_log import security_event
from .sessions import note_login


def _account(username):
    """The account a username names, if any: the event records its id, never the typed name (which may be
    a mistyped password)."""
    if not username:
        return None
    model = get_user_model()
    return model._default_manager.filter(**{model.USERNAME_FIELD: username}).only("pk").first()


@receiver(user_logged_in, dispatch_uid="core.login_success")
def _login_success(sender, request, user, **kwargs):
    if request is None:
        return
    if hasattr(request, "session"):
        note_login(request.session)
    security_event("login.success", request=request, user=user)


@receiver(user_logged_out, dispatch_uid="core.logout")
def _logout(sender, request, user, **kwargs):
    if request is not None and user is not None:
        security_event("logout", request=request, user=user)


@receiver(user_login_failed, dispatch_uid="core.login_failure")
def _login_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username")
    account = _account(username)
    security_event(
        "login.failure",
        request=request,
        user=account,
        level=logging.WARNING,
        account="known" if account else "unknown",
    )


@receiver(user_locked_out, dispatch_uid="core.login_lockout")
def _login_lockout(sender, request, username, ip_address, **kwargs):
    account = _account(username)
    security_event(
        "login.lockout",
        request=request,
        user=account,
        level=logging.WARNING,
        account="known" if account else "unknown",
    )


request_finished.connect(unbind_request, dispatch_uid="core.unbind_request")
