"""Response and request hygiene that every page shares (OWASP ASVS V3 and V5)."""

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import patch_cache_control


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
