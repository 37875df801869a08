"""Middleware of the ground floor: the request context for logging, the security events of refused
requests, the session timeouts, response and request hygiene every page shares (ASVS V3, V5), and
the refusal of a NUL character."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .log_context import bind_request
from .navigation import form_page_url
from .security_log import security_event
from .sessions import expiry_reason

#: the longest path written to the log (a path carries ids, not personal data)
MAX_PATH = 200


class RequestContextMiddleware:
    """Binds the request for log lines (user id, client address), and records refused requests: every
    permission denied (403), and every "not found" (404) answered to a signed-in user — an object outside
    the user's scope answers 404 like a missing one, and both are worth a line. Goes after
    AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Loaded once here, so a log line never queries the database for it.
        request.user.is_authenticated  # noqa: B018
        # Unbound on request_finished (core.signals), so Django's own line about a 4xx or 5xx response,
        # written after the middleware returns, still says whose request it was.
        bind_request(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            security_event(
                "access.denied", request=request, level=logging.WARNING, path=request.path[:MAX_PATH]
            )
        elif isinstance(exception, Http404) and request.user.is_authenticated:
            security_event(
                "access.not_found", request=request, level=logging.WARNING, path=request.path[:MAX_PATH]
            )
        return None


class SessionTimeoutMiddleware:
    """Signs a user out after SESSION_IDLE_MINUTES without a request, or SESSION_MAX_HOURS after the login,
    and says why on the login page. Goes after AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = expiry_reason(request.session)
            if reason is not None:
                security_event("session.expired", request=request, reason=reason)
                logout(request)
                if reason == "idle":
                    minutes = settings.SESSION_IDLE_MINUTES
                    message = ngettext(
                        "You were signed out after %(count)d minute without activity.",
                        "You were signed out after %(count)d minutes without activity.",
                        minutes,
                    ) % {"count": minutes}
                else:
                    hours = settings.SESSION_MAX_HOURS
                    message = ngettext(
                        "You were signed out %(count)d hour after logging in.",
                        "You were signed out %(count)d hours after logging in.",
                        hours,
                    ) % {"count": hours}
                messages.info(request, message + " " + _("Please log in again."))
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class NoStoreForAuthenticatedMiddleware:
    """`Cache-Control: no-store` on every response to a logged-in user.

    Pages, exports, autocompletes and certificates all carry personal data: neither a shared proxy nor
    the browser's disk cache (an office PC used by several people, the back button after logging out)
    may keep a copy. Added to whatever the view set, so `private, no-store` on portraits stays as it is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than MAX_REQUEST_BODY_SIZE, before reading it.

    Django's DATA_UPLOAD_MAX_MEMORY_SIZE leaves uploaded files out of its count, so without this a
    request could make the server spool gigabytes of "photos" to disk before any form sees them. The
    reverse proxy's client_max_body_size should say the same (README, "Production"); this is the check
    that holds when the portal runs without it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_SIZE:
            # The body is left unread; the WSGI server discards it with the connection.
            return render(
                request,
                "413.html",
                {"limit_mb": settings.MAX_REQUEST_BODY_SIZE // (1024 * 1024)},
                status=413,
            )
        return self.get_response(request)


class RefuseNulMiddleware:
    """A NUL character in the path, the query or a URL-encoded form answers 400.

    No portal value contains one, PostgreSQL refuses it in text (a 500 otherwise), and it is a classic
    way to cut a string short. Multipart forms go through Django forms, whose text fields already refuse
    it (ProhibitNullCharactersValidator); their bodies are left unread here for the upload checks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            security_event("request.nul_byte", request=request, level=logging.WARNING, method=request.method)
            raise BadRequest("NUL character in the request")
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path_info:
            return True
        sources = [request.GET]
        if request.method == "POST" and request.content_type == "application/x-www-form-urlencoded":
            sources.append(request.POST)
        return any(
            "\x00" in key or any("\x00" in v for v in values) for q in sources for key, values in q.lists()
        )


class VietnameseFirstMiddleware:
    """The portal speaks Vietnamese whatever language the browser asks for; English only from the switch
    (the language cookie set by `set_language`). Goes before LocaleMiddleware, which would otherwise follow
    the browser's Accept-Language (an office PC set up in English would show an English portal)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """A GET or HEAD on an address that takes only a form's POST answers the portal's page (405, the same
    Allow header): a link back to the page the form lives on (`core.navigation.posted_from`), else to the
    overview. `require_POST` answers an empty 405, which the browser shows as its own English error; a
    person gets there by logging in again with next=… or by the language switch on such an address.
    Goes after MessageMiddleware: the page is drawn in the portal's frame."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            isinstance(response, HttpResponseNotAllowed)
            and request.method in ("GET", "HEAD")
            and not response.content
        ):
            page = render(request, "405.html", {"back_url": form_page_url(request)}, status=405)
            page["Allow"] = response["Allow"]
            return page
        return response
