"""Files that are a function of their content alone (a certificate, the official list of a decision), kept in
Django's cache under a digest of that content: drawn once, then served again to whoever may ask.

Drawing a certificate costs ~70 ms of fpdf2 and fontTools (subsetting four fonts); reading what it says,
a few milliseconds of SQL. The key is the digest of everything drawn (the caller passes it: the texts, the
names, the dates, and the version of the code that draws them), so there is nothing to invalidate: a
corrected decision, a new name, a changed layout make another key, and the old entry expires unused.

The cache is Redis in production (every app node shares it), local memory in development and tests. A cache
that fails is logged and skipped: the file is drawn as if nothing were kept.
"""

import hashlib
import logging
from collections.abc import Callable

from django.core.cache import cache

logger = logging.getLogger(__name__)

#: Bigger files are drawn every time (a decision's thousand certificates is the worker's job, not a cache's).
MAX_BYTES = 2 * 1024 * 1024
#: An unused entry lives this long.
SECONDS = 24 * 60 * 60


def content_key(namespace: str, content: object) -> str:
    """The cache key of `content`: its repr (dataclasses, tuples, strings and dates repr exactly) digested."""
    digest = hashlib.blake2b(repr(content).encode(), digest_size=20).hexdigest()
    return f"made-once:{namespace}:{digest}"


def made_once(namespace: str, content: object, make: Callable[[], bytes]) -> bytes:
    """`make()`, or what it returned before for the same `namespace` and `content`."""
    key = content_key(namespace, content)
    try:
        made = cache.get(key)
    except Exception:  # the cache is an optimisation: a Redis that does not answer costs the drawing only
        logger.warning("cache unavailable, %s drawn without it", namespace, exc_info=True)
        return make()
    if made is None:
        made = make()
        if len(made) <= MAX_BYTES:
            try:
                cache.set(key, made, SECONDS)
            except Exception:
                logger.warning("cache unavailable, %s not kept", namespace, exc_info=True)
    return made
