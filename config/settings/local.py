"""Development: the zero-setup default that `make run` uses."""

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

# Off unless asked (DEBUG=1 make run): the demo shows the portal's own Vietnamese error pages, as in
# production, not Django's English technical page that lists every URL.
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY", "django-insecure-local-development-only-never-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or ["localhost", "127.0.0.1", "[::1]"]
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# One process: no Redis needed for the cache (production shares one Redis cache between app nodes).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Serve static files straight from the source folders; no collectstatic needed (nor its manifest of hashed
# names, which DEBUG off would otherwise ask for).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The SQLite default serves several people at once (runserver's threads, the job worker). A transaction
# that read and then writes while another wrote in between fails at once with "database is locked" (a 500,
# the typed form lost): each transaction takes the write lock when it begins and waits up to 20 s for
# another's instead; WAL lets pages be read meanwhile.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {}).update(  # noqa: F405
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
