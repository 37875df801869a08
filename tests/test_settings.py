"""Configuration comes from the environment, and production refuses unsafe defaults."""

import importlib
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import global_settings
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "x" * 20 + "y" * 20 + "z" * 20 + "0123456789"


def run_manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def settings_module(name: str, **env) -> dict:
    """The settings `name` (a module of config.settings) gives in an environment with `env` (and
    without SECRET_KEY, ALLOWED_HOSTS nor DATABASE_URL unless given), imported afresh in this process:
    a subprocess per case cost seconds. The test run's own settings modules are put back afterwards."""
    ours = {key: module for key, module in sys.modules.items() if key.startswith("config.settings.")}
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS"}}
    environment.update(env)
    try:
        for key in ours:
            del sys.modules[key]
        with mock.patch.dict(os.environ, environment, clear=True):
            # As django.conf.settings reads them: Django's defaults under the module's own.
            return {**vars(global_settings), **vars(importlib.import_module(name))}
    finally:
        for key in [k for k in sys.modules if k.startswith("config.settings.")]:
            del sys.modules[key]
        sys.modules.update(ours)


def test_production_refuses_to_start_without_secret_key():
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY must be set"):
        settings_module(
            "config.settings.production", ALLOWED_HOSTS="portal.example.vn", DATABASE_URL="postgres://u@h/db"
        )


def test_production_refuses_to_start_without_allowed_hosts():
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS must be set"):
        settings_module("config.settings.production", SECRET_KEY=GOOD_KEY, DATABASE_URL="postgres://u@h/db")


def test_production_deploy_check_is_clean():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="portal.example.vn",
        DATABASE_URL="postgres://u@h/db",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


PRODUCTION_ENV = {
    "SECRET_KEY": GOOD_KEY,
    "ALLOWED_HOSTS": "portal.example.vn",
    "DATABASE_URL": "postgres://u@h/db",
}


def production_settings(**env) -> dict:
    return settings_module("config.settings.production", **PRODUCTION_ENV, **env)


def test_production_cookies_are_host_prefixed_secure_and_lax_and_the_policy_is_strict():
    """__Host-: the browser keeps the cookie only if Secure, Path=/ and without Domain, so no other host
    can plant or overwrite it."""
    values = production_settings()
    assert values["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert values["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert values["SESSION_COOKIE_SECURE"] is values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SESSION_COOKIE_SAMESITE"] == values["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert values["SESSION_COOKIE_PATH"] == values["CSRF_COOKIE_PATH"] == "/"
    assert values["SESSION_COOKIE_DOMAIN"] is values["CSRF_COOKIE_DOMAIN"] is None
    assert "csp.middleware.CSPMiddleware" in values["MIDDLEWARE"]
    directives = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == directives["style-src"] == ["'self'"]
    assert directives["object-src"] == directives["base-uri"] == directives["frame-ancestors"] == ["'none'"]
    assert "core.middleware.NoStoreForAuthenticatedMiddleware" in values["MIDDLEWARE"]


def test_cookies_keep_plain_names_when_tested_without_tls():
    """A browser drops a __Host- cookie that is not Secure: without TLS the names stay plain."""
    values = production_settings(SESSION_COOKIE_SECURE="false", CSRF_COOKIE_SECURE="false")
    assert values["SESSION_COOKIE_NAME"] == "sessionid"
    assert values["CSRF_COOKIE_NAME"] == "csrftoken"


def _database_options(name: str, **env) -> dict:
    return settings_module(name, **{**PRODUCTION_ENV, **env})["DATABASES"]["default"].get("OPTIONS", {})


def test_postgresql_connections_run_without_jit_and_with_the_cost_of_memory_reads():
    """The reports' plans cost enough to trigger PostgreSQL's JIT, which took longer than the queries; with
    the default cost of a random read (a spinning disk's) the planner scanned whole tables instead of
    reading a few rows through an index; trying every order of a detail page's 9 to 12 joined tables took
    longer than running its query; parallel workers cost more to start than the province-sized reads they
    share."""
    options = (
        "-c jit=off -c random_page_cost=1.1 -c join_collapse_limit=6 -c max_parallel_workers_per_gather=0"
    )
    assert _database_options("config.settings.production")["options"] == options
    # On spinning disks the operator says so.
    slow = _database_options("config.settings.production", DATABASE_RANDOM_PAGE_COST="4")["options"]
    assert slow == options.replace("random_page_cost=1.1", "random_page_cost=4")
    # A server with cores to spare for the national reports gives them parallel workers.
    parallel = _database_options("config.settings.production", DATABASE_PARALLEL_WORKERS="2")["options"]
    assert parallel.endswith("-c max_parallel_workers_per_gather=2")
    # The test settings add theirs to it, not instead of it.
    assert _database_options("config.settings.test")["options"] == f"{options} -c synchronous_commit=off"
    assert "options" not in _database_options("config.settings.test", DATABASE_URL="")


def test_the_zero_setup_default_starts_without_warnings():
    """`make run` on SQLite: the covering indexes meant for PostgreSQL do not warn at every start (SQLite
    builds them without their included columns); on PostgreSQL nothing is silenced."""
    result = run_manage(
        "check", "--database", "default", DJANGO_SETTINGS_MODULE="config.settings.local", DATABASE_URL=""
    )
    assert result.returncode == 0 and "W040" not in result.stdout + result.stderr, result.stderr
    assert not settings_module("config.settings.production", **PRODUCTION_ENV).get("SILENCED_SYSTEM_CHECKS")


def test_a_gunicorn_worker_freezes_what_it_loaded_out_of_the_collectors_sight():
    """config/gunicorn.conf.py: once a worker has loaded the app, the objects it holds for its whole life are
    left out of the garbage collector's full collections."""
    import gc
    import runpy

    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    assert conf["worker_class"] == "gthread"
    try:
        conf["post_worker_init"](worker=None)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


#: Two people saving at once on the zero-setup SQLite (runserver's threads): one's transaction has read and
#: then writes while the other's write comes in between. Prints "2" when both saves went through.
BOTH_SAVE = """
import threading, time
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (id integer PRIMARY KEY, value integer)")
    cursor.execute("INSERT INTO counter VALUES (1, 0)")
failures = []

def add_one(wait_before_writing):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT value FROM counter")
            time.sleep(wait_before_writing)
            cursor.execute("UPDATE counter SET value = value + 1")
    except Exception as error:
        failures.append(repr(error))
    finally:
        connection.close()

first = threading.Thread(target=add_one, args=(0.5,))
second = threading.Thread(target=add_one, args=(0,))
first.start(); time.sleep(0.1); second.start(); first.join(); second.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT value FROM counter")
    print(cursor.fetchone()[0], failures)
"""


def test_two_people_saving_at_once_on_the_zero_setup_default_both_save(tmp_path):
    """`make run`'s SQLite: a save whose transaction read before another's write waits its turn instead of
    failing with "database is locked" (a 500 and the typed form lost)."""
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        BOTH_SAVE,
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.stdout.strip() == "2 []", result.stdout + result.stderr
