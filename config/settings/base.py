"""Settings shared by every environment; each value that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core import exports

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str) -> list[str]:
    return [item.strip() for item in (os.environ.get(name) or "").split(",") if item.strip()]


DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")

INSTALLED_APPS = [
    # Django admin, with the portal's labels in its autocomplete (core/admin_site.py).
    "core.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    # Second factor: TOTP devices and their recovery codes (static tokens); the flow is in accounts.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "django_rq",
    "core",
    "accounts",
    "branches",
    "secretaries",
    "assessments",
    "seminars",
    "awards",
    # The top floor: demo and benchmark data for every app above (see pyproject.toml, importlinter).
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body (sessions, CSRF): an oversized upload is refused unread.
    "core.middleware.RequestSizeLimitMiddleware",
    # Before anything reads the path or the query: a NUL answers 400, not a database error.
    "core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Vietnamese whatever the browser asks for; English only from the switch (the language cookie).
    "core.middleware.VietnameseFirstMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Outside the second-factor step, so its redirects and pages are not stored either.
    "core.middleware.NoStoreForAuthenticatedMiddleware",
    # The user id and client address of every log line; the security events of 403s and 404s.
    "core.middleware.RequestContextMiddleware",
    # request.user.is_verified(): whether this session passed the second factor; then the portal's rule
    # that administrators and provincial staff (and anyone with a device) pass it before any page.
    "accounts.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle timeout and absolute lifetime of a signed-in session (it says why on the login page).
    "core.middleware.SessionTimeoutMiddleware",
    # A GET on a POST-only address (next=… after logging in again, the language switch): a page, not the
    # browser's bare English "HTTP ERROR 405".
    "core.middleware.MethodNotAllowedPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite when nothing is set, so `make run` works anywhere; DATABASE_URL selects PostgreSQL.
# Each worker thread keeps its connection for DATABASE_CONN_MAX_AGE seconds, and checks it before the
# first query of each request: after a database restart a request gets a new connection instead of an
# error (docs/deployment.md, "Database restarts").
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
#: How many joined tables PostgreSQL orders every way it can (the portal's join_collapse_limit, below);
#: core.planning plans a detail page's query as written when it joins more.
JOIN_SEARCH_LIMIT = 6
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the reports' plans cost enough to trigger it, and compiling took longer than
    # running them (1.1 s of JIT for a 185 ms query on national data). A random page read costs about what
    # a sequential one does (the data is in memory or on SSD; PostgreSQL's default, 4, is for spinning
    # disks): with 4 the planner scanned all 100,000 branches where an index read the few it needed (an
    # ended unit's vacancies, 180 ms → 30 ms of SQL; all pages of the benchmark, 15 % less SQL time).
    # The planner tries every order of at most 6 joined tables, not 8: a detail page's query (the object
    # and what it shows, 9 to 12 tables joined on their keys) took 6 to 12 ms to plan and 0.5 ms to run,
    # and the lists and reports, measured page by page on national data, plan and run as before.
    # No parallel workers for a page's query: starting them costs more than the province-sized reads they
    # share, and on two cores they take the CPU the other requests wait for. Measured page by page on
    # national data (the in-process renders of `make bench`): the provincial staff's pages 10 % less time
    # in all (an assessment list 84 → 44 ms, where a parallel walk of the people's name index was planned),
    # the administrator's national reports as before (±5 %). DATABASE_PARALLEL_WORKERS gives them back.
    # Other settings add their own "-c". JOIN_SEARCH_LIMIT (above) is the join_collapse_limit.
    page_cost = env("DATABASE_RANDOM_PAGE_COST", "1.1")
    parallel_workers = int(env("DATABASE_PARALLEL_WORKERS", "0"))
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (
        f"-c jit=off -c random_page_cost={page_cost} -c join_collapse_limit={JOIN_SEARCH_LIMIT}"
        f" -c max_parallel_workers_per_gather={parallel_workers}"
    )
else:
    # The covering indexes (INCLUDE) are PostgreSQL's speed-up for national data; SQLite, the zero-setup
    # default, builds them without the included columns, which is all it needs: no warning at every start.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out username and address never reach the password check.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the account of each request read by a statement compiled once (a session of
    # the former path, "django.contrib.auth.backends.ModelBackend", is asked to log in again).
    "accounts.backends.ModelBackend",
]
# ASVS V6.2: 12 characters for everyone, 15 for administrators and provincial staff, no word of the
# portal's context (its name, the Union's words, province and district names, the username), not common.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "accounts.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "accounts.password_validation.RoleMinimumLengthValidator", "OPTIONS": {"min_length": 15}},
    {"NAME": "accounts.password_validation.ContextWordsValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's CSRF refusal page, recorded as a security event.
CSRF_FAILURE_VIEW = "core.views.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# The client address (core.client.client_address) is the X-Forwarded-For entry written by the last of
# this many trusted proxies; 0 ignores the header (development, tests, a portal reached directly).
TRUSTED_PROXY_COUNT = int(env("TRUSTED_PROXY_COUNT", "0"))

# Login throttling, for 15 minutes: a username from one address after AXES_FAILURE_LIMIT failures, and an
# address after AXES_ADDRESS_FAILURE_LIMIT failures across all usernames (accounts/throttling.py).
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_ADDRESS_FAILURE_LIMIT = int(env("AXES_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "accounts.throttling.PortalAxesHandler"
# The same address as the logs; django-ipware (AXES_IPWARE_*) is not used.
AXES_CLIENT_IP_CALLABLE = "core.client.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Second factor (accounts/mfa.py). django-otp throttles wrong codes per device: 1, 2, 4, 8… seconds.
OTP_TOTP_ISSUER = "Bí thư Chi đoàn"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# Uploads (portraits, seminar photos, nomination documents, import files) are never served from MEDIA_URL:
# each goes through a view that checks the scope first (core/files.py). Every app node must see the same
# files, so MEDIA_ROOT is a directory all nodes share (one machine's disk, or NFS), or, with
# MEDIA_STORAGE=s3, a private bucket of S3-compatible object storage (docs/deployment.md).
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_STORAGE = env("MEDIA_STORAGE", "filesystem")


def media_storage(kind: str | None) -> dict:
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind == "s3":
        # django-storages; boto3 comes with the optional extra: pip install ".[s3]".
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
                "endpoint_url": env("AWS_S3_ENDPOINT_URL"),
                "region_name": env("AWS_S3_REGION_NAME"),
                "access_key": env("AWS_ACCESS_KEY_ID"),
                "secret_key": env("AWS_SECRET_ACCESS_KEY"),
                # Personal data: private objects, and no signed URL ever leaves the portal (the scoped
                # views read the object and answer with it); a name is never reused for another file.
                "default_acl": "private",
                "file_overwrite": False,
                "location": env("AWS_LOCATION", "media"),
            },
        }
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {kind!r}")


# Files made by jobs (exports, certificate batches): a private folder, never under MEDIA_ROOT and never
# behind a URL; the job's download view serves each to its owner only (core/job_views.py). Like MEDIA_ROOT,
# a directory the worker and every app node share.
JOB_FILES_ROOT = Path(env("JOB_FILES_ROOT", str(BASE_DIR / "private" / "jobs")))
STORAGES = {
    "default": media_storage(MEDIA_STORAGE),
    "jobs": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(JOB_FILES_ROOT)},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Django's form renderer, with selects drawn in Python (core/renderers.py: a province's commune list in
# a filter cost 20 ms through a template per option).
FORM_RENDERER = "core.renderers.FormRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Admin exports (django-import-export): CSV and Excel only, with every formula trigger neutralised.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True
IMPORT_EXPORT_ESCAPE_ILLEGAL_CHARS_ON_EXPORT = True
EXPORT_FORMATS = [exports.CSV, exports.XLSX]

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "bithu-portal@localhost")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A mail server that does not answer must not hold a worker's thread for ever (core/deferred.py).
EMAIL_TIMEOUT = 30
# The portal's own address, for links in mails (the reminders' digest: core/reminders.py), which have no
# request to take the host from.
PORTAL_URL = env("PORTAL_URL", "http://127.0.0.1:8000")
# How long the public honour wall keeps an unused page in the cache (awards/wall.py); changes show at once.
WALL_CACHE_SECONDS = int(env("WALL_CACHE_SECONDS", "3600"))

# The job queue (core/jobs.py): RQ on Redis. One queue; a worker runs `manage.py worker` (docs/worker.md).
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
# One cache for every app node (a per-process cache would answer differently from node to node). Short
# timeouts: a Redis that does not answer fails a cache call in 2 s instead of holding a worker's thread.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "bithu",
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
}
# RQ's own dashboard in Django admin is English only and shows every user's jobs' arguments: off. The
# portal's job pages (core/job_views.py) and `rq info` on the server are what people use.
RQ_SHOW_ADMIN_LINK = False
# No Redis at all (a fresh machine's `make run`): jobs run in a thread of the web process instead.
JOBS_IN_PROCESS = env_bool("JOBS_IN_PROCESS", False)
# Above these sizes the work goes to the worker and the user follows it on the job's page; below, it is
# answered at once. Cells of an Excel export (its rows × its columns: XlsxWriter's time is per cell, about
# 5–10 µs, so 10,000 cells answer within a tenth of a second); certificates of one decision; rows of an
# import.
EXPORT_JOB_CELLS = int(env("EXPORT_JOB_CELLS", "10000"))
CERTIFICATES_JOB_THRESHOLD = int(env("CERTIFICATES_JOB_THRESHOLD", "100"))
IMPORT_JOB_THRESHOLD = int(env("IMPORT_JOB_THRESHOLD", "1000"))
# A job's file is removed this many days after it was made (`manage.py jobs_cleanup`, run daily);
# the job's record goes after JOB_KEEP_DAYS.
JOB_FILE_DAYS = int(env("JOB_FILE_DAYS", "7"))
JOB_KEEP_DAYS = int(env("JOB_KEEP_DAYS", "90"))
# Work after the response (the password-reset mail) runs in a thread; the test settings run it at once.
DEFERRED_WORK_INLINE = False

# Sessions live in the database, so any app node serves any request of a session (and
# core.sessions.sessions_end can find every session of a user). ASVS V7: a session ends after
# SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after the login, whatever happens
# (core.middleware.SessionTimeoutMiddleware; both times are kept in the session itself).
# core.sessions.SessionStore: Django's database store, the session read by a statement compiled once.
SESSION_ENGINE = "core.sessions"
SESSION_IDLE_MINUTES = int(env("SESSION_IDLE_MINUTES", "30"))
SESSION_MAX_HOURS = int(env("SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 60 * 60
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Cookies: the session cookie is never readable from scripts; both are sent on top-level navigation from
# other sites (a link in an e-mail still finds the user logged in) but not on their forms or images.
# Production adds Secure and the __Host- names (config/settings/production.py).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = "/"

# A strict Content-Security-Policy on every response (django-csp): the portal's own scripts, styles and
# images only; no inline script, style attribute or event handler (templates pass data by json_script).
# Images may be data: URIs because Bootstrap's CSS draws its icons (select arrows, checks) with them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Uploads. Each photo is at most 5 MB (secretaries/portraits.py) and one request carries at most 10 files
# (seminars.services.MAX_PHOTOS_PER_UPLOAD), so a request body above MAX_REQUEST_BODY_SIZE is refused with
# 413 before it is read (core.middleware); the reverse proxy's client_max_body_size matches (README).
MAX_REQUEST_BODY_SIZE = 55 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FILES = 10
# The non-file part of a request (form fields): Django's defaults, stated on purpose. The largest form, the
# commune grid, has about 12 fields per secretary, well under 1,000 for any commune.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1_000
# Files up to this size stay in memory while the request is parsed; larger ones go to a temporary file.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# One log format for the whole portal (ASVS V16): time, level, logger, user id, client address, message.
# core.log_context.RequestContextFilter fills in the user and the address of the request being served.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "core.log_context.RequestContextFilter"}},
    "formatters": {
        "portal": {
            "format": "%(asctime)s %(levelname)s %(name)s user=%(user_id)s address=%(client_address)s "
            "%(message)s",
            # The offset is part of the time, so lines from servers in other zones compare (ASVS 16.2.2).
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "portal", "filters": ["request_context"]}
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own lines go through the portal's handler and format, not Django's default handlers.
        "django": {"handlers": [], "level": env("LOG_LEVEL", "INFO"), "propagate": True},
        # django-axes writes each attempt with the username and address masked as ****; the security
        # events (bithu.security: login.failure, login.lockout) replace those lines.
        "axes": {"level": "ERROR"},
        # fontTools' subsetter writes some thirty lines (glyph lists) per font of every certificate at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

# Rows per page in every portal list.
PAGE_SIZE = 25
