"""Where a page sends the user next: the one check every `next` parameter goes through (ASVS V3, open
redirects); and the portal's links, reversed once per process instead of on every row of every page."""

from collections.abc import Callable

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
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


# A URL depends on the URLconf and the script prefix (the portal under a sub-path), nothing else: the
# portal's URLs carry no language. reverse() walks the patterns each time (16 µs), and a list page links
# every row to its object and its branch: 50 reversals, ~1 ms of a 12 ms page.

#: (URLconf, script prefix, URL name) → the URL; (…, the key's name) → the URL's parts around the key
_URLS: dict[tuple[str, str, str], str] = {}
_PK_URLS: dict[tuple[str, str, str, str], tuple[str, str]] = {}
#: no real pk, and digits only, as <int:pk> wants
_MARKER = 2_147_483_647


def _key(viewname: str) -> tuple[str, str, str]:
    return (get_urlconf() or settings.ROOT_URLCONF, get_script_prefix(), viewname)


def fixed_url(viewname: str) -> str:
    """reverse(viewname) for a URL without arguments, once."""
    key = _key(viewname)
    try:
        return _URLS[key]
    except KeyError:
        url = _URLS[key] = reverse(viewname)
        return url


def object_url(viewname: str, value, kwarg: str = "pk") -> str:
    """reverse(viewname, kwargs={kwarg: value}) for a key of digits (a pk, a unit's code), the URL's parts
    around the key reversed once (the models' get_absolute_url)."""
    text = str(value)
    if not text.isascii() or not text.isdigit():
        return reverse(viewname, kwargs={kwarg: value})
    prefix, suffix = _parts(viewname, kwarg)
    return f"{prefix}{text}{suffix}"


def _parts(viewname: str, kwarg: str) -> tuple[str, str]:
    key = (*_key(viewname), kwarg)
    try:
        return _PK_URLS[key]
    except KeyError:
        prefix, _marker, suffix = reverse(viewname, kwargs={kwarg: _MARKER}).partition(str(_MARKER))
        parts = _PK_URLS[key] = (prefix, suffix)
        return parts


def pk_url(viewname: str) -> Callable[[int], str]:
    """The URL of a view taking one `pk`, as a function of the pk (object_url's parts looked up once)."""
    prefix, suffix = _parts(viewname, "pk")
    return lambda pk: f"{prefix}{int(pk)}{suffix}"


@receiver(setting_changed)
def _forget_urls(*, setting, **kwargs) -> None:
    if setting in {"ROOT_URLCONF", "FORCE_SCRIPT_NAME"}:
        _URLS.clear()
        _PK_URLS.clear()


def posted_from(viewname: str, *kwarg_names: str):
    """Names the page a POST-only view's form lives on (`viewname`, reversed with those of the request's
    URL arguments named), so that a GET on its address (after logging in again with next=…, or the
    language switch there) links back to it (core.middleware.MethodNotAllowedPageMiddleware)."""

    def decorate(view_func):
        view_func.posted_from = (viewname, kwarg_names)
        return view_func

    return decorate


def form_page_url(request) -> str | None:
    """The page the form of the resolved POST-only view lives on (`posted_from`), else None."""
    match = getattr(request, "resolver_match", None)
    named = getattr(match.func, "posted_from", None) if match is not None else None
    if named is None:
        return None
    viewname, kwarg_names = named
    return reverse(viewname, kwargs={name: match.kwargs[name] for name in kwarg_names})
