"""Where a page sends the user next: the one check every `next` parameter goes through (ASVS V3, open
redirects)."""

from collections.abc import Callable

from django.urls import reverse
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


def pk_url(viewname: str) -> Callable[[int], str]:
    """The URL of a view taking one `pk`, as a function of the pk: reverse() once for a page that links
    hundreds of rows (40 µs each, 28 ms of the 706 lines of Tỉnh đoàn Vĩnh Long's training needs)."""
    marker = 2_147_483_647  # no real pk, and digits only, as <int:pk> wants
    prefix, _marker, suffix = reverse(viewname, kwargs={"pk": marker}).partition(str(marker))
    return lambda pk: f"{prefix}{int(pk)}{suffix}"
