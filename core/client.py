"""The client's address, as one function for throttling, logging and the security events.

Behind the documented reverse proxy (nginx with ``proxy_set_header X-Forwarded-For
$proxy_add_x_forwarded_for``) ``REMOTE_ADDR`` is the proxy's address, and each proxy appends the address it
received the request from to ``X-Forwarded-For``. Only the entries added by our own proxies can be trusted:
everything to their left was written by the client and may be forged. So the client is the entry
``TRUSTED_PROXY_COUNT`` places from the right; with a count of 0 (development, tests, a portal reached
directly) the header is ignored.
"""

import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        # Fewer hops than proxies: the request did not come through them all; trust only the socket.
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
