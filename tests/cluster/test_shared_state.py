"""Nothing a request leaves behind stays in one app node: sessions in the database, the cache in Redis,
uploads in a shared directory or S3-compatible object storage, chosen by the environment."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION = {
    "SECRET_KEY": "x" * 60,
    "ALLOWED_HOSTS": "portal.example.vn",
    "DATABASE_URL": "postgres://u@h/db",
}


def production_settings(**env) -> tuple[dict | None, str]:
    """The production settings module's values under this environment, or None and the error."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("MEDIA_", "AWS_", "REDIS_"))}
    environment.update(PRODUCTION, **env)
    code = (
        "import json; from config.settings import production as s; "
        "print(json.dumps({'CACHES': s.CACHES, 'SESSION_ENGINE': s.SESSION_ENGINE, "
        "'STORAGES': s.STORAGES, 'MEDIA_ROOT': str(s.MEDIA_ROOT), 'DATABASES': s.DATABASES}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    return (json.loads(result.stdout) if result.returncode == 0 else None), result.stderr


def test_production_shares_sessions_cache_and_uploads_between_nodes():
    values, error = production_settings(
        REDIS_URL="redis://cache.internal:6379/2", MEDIA_ROOT="/srv/bithu/media"
    )
    assert values, error
    # Sessions in the database, which every node reads (core.sessions: Django's database store).
    assert values["SESSION_ENGINE"] == "core.sessions"
    from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

    from core.sessions import SessionStore

    assert issubclass(SessionStore, DatabaseSessionStore)
    cache = values["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"
    assert values["STORAGES"]["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert values["MEDIA_ROOT"] == "/srv/bithu/media"
    # A connection is kept, and checked before it serves a new request (a database restart costs nothing).
    database = values["DATABASES"]["default"]
    assert database["CONN_HEALTH_CHECKS"] is True and database["CONN_MAX_AGE"] == 60


def test_uploads_go_to_a_private_bucket_when_asked():
    values, error = production_settings(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="bithu-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.vn",
        AWS_S3_REGION_NAME="hn-1",
    )
    assert values, error
    storage = values["STORAGES"]["default"]
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "bithu-media"
    assert options["endpoint_url"] == "https://s3.example.vn"
    assert options["default_acl"] == "private"
    assert options["file_overwrite"] is False


def test_production_refuses_a_bucket_without_a_name_or_an_unknown_storage():
    values, error = production_settings(MEDIA_STORAGE="s3")
    assert values is None and "AWS_STORAGE_BUCKET_NAME" in error
    values, error = production_settings(MEDIA_STORAGE="ftp")
    assert values is None and "MEDIA_STORAGE must be filesystem or s3" in error


def test_the_test_settings_keep_the_cache_in_memory():
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
