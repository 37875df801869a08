"""Where a page sends the user next: the one check every `next` parameter goes through (ASVS V3, open
redirects)."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str) -> str:
    """`next` (posted, else in the query) when it is an address on this site, else `default`.

    Only a path is taken ("/…"): not other hosts (`https://…`, `//…`, `https:…`, `\\\\…`), other schemes
    (`javascript:`), a relative word (`redirect()` would take it for the name of
    a URL pattern) or anything with a control character (a NUL, a line break)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and target.isprintable()
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return default
