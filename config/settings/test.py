"""Fast, strict settings for the test suite."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "jobs": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# One process: no Redis needed for the cache (production shares one Redis cache between app nodes).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Serve static files straight from the source folders; no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The password-reset mail and other work after the response run at once, so tests see their effect.
DEFERRED_WORK_INLINE = True
JOBS_INLINE = True
# The tests that run a real RQ worker use their own Redis database, never the development one (db 0).
REDIS_URL = env("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")  # noqa: F405
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
# A test database is thrown away: PostgreSQL need not wait for the disk at each commit (migrations, the
# live-server journeys and their flushes commit hundreds of times). Crash safety is not at stake.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()
