"""Migrate once, clone for each test worker (PostgreSQL).

Each pytest-xdist worker has its own test database (test_<name>_gw0, _gw1, …). Migrating each of them
from nothing costs ~30 s of the suite's start on two cores; instead the first worker migrates a template,
test_<name>_template, and every worker's database is a copy of it (CREATE DATABASE … TEMPLATE, ~1 s).

The template is named after the migrations that made it: a fingerprint of every migration file (and of
the project modules they import) is kept as the database's comment, and a template with another
fingerprint is rebuilt. `--create-db` rebuilds it once per run, whichever worker comes first; with
`--reuse-db` (the default) the template is kept while the fingerprint matches. A worker's database is a
fresh copy on every run (a kept one bloats: see `clone_test_database`). Workers take turns through an
advisory lock on the server. Django then finds the worker's database in place and only checks its
migrations (keepdb). SQLite is left to pytest-django as it is.
"""

import contextlib
import hashlib
import sys
import types
import uuid
from pathlib import Path

import pytest

LOCK_KEY = 0x62697468  # "bith": one advisory lock for every run against this server
PROJECT = Path(__file__).resolve().parent.parent
_RUN = uuid.uuid4().hex  # a run without xdist: --create-db means this run


def migration_sources() -> set[Path]:
    """Every migration file, and the project modules the migrations import (their operations)."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    files: set[Path] = set()
    for migration in loader.disk_migrations.values():
        module = sys.modules[type(migration).__module__]
        files.add(Path(module.__file__))
        for value in vars(module).values():
            if not isinstance(value, types.ModuleType):
                value = sys.modules.get(getattr(value, "__module__", ""))
            path = Path(getattr(value, "__file__", None) or "/")
            if PROJECT in path.parents and ".venv" not in path.parts:
                files.add(path)
    return files


def migrations_fingerprint() -> str:
    """A digest of `migration_sources`: a template made from other migrations is rebuilt."""
    digest = hashlib.sha256()
    for path in sorted(migration_sources()):
        digest.update(str(path.relative_to(path.parents[1])).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _server(settings_dict):
    """An autocommit connection to the server's maintenance database (CREATE DATABASE needs one)."""
    import psycopg2

    connection = psycopg2.connect(
        dbname="postgres",
        user=settings_dict["USER"] or None,
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
    )
    connection.autocommit = True
    return connection


def _drop(cursor, quote, name: str) -> None:
    cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")


def _comment(cursor, name: str) -> str | None:
    """The comment of database `name`, "" when it has none, None when it does not exist."""
    cursor.execute(
        "SELECT coalesce(shobj_description(oid, 'pg_database'), '') FROM pg_database WHERE datname = %s",
        [name],
    )
    row = cursor.fetchone()
    return row[0] if row else None


def _build_template(connection, name: str) -> None:
    """Migrate a fresh database `name` through Django."""
    settings_dict = connection.settings_dict
    saved_name, saved_test = settings_dict["NAME"], settings_dict["TEST"].get("NAME")
    settings_dict["TEST"]["NAME"] = name
    try:
        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=False)
    finally:
        connection.close()
        settings_dict["NAME"], settings_dict["TEST"]["NAME"] = saved_name, saved_test
        from django.conf import settings

        settings.DATABASES[connection.alias]["NAME"] = saved_name


def _template_name(connection, config=None) -> tuple[str, str]:
    """(this worker's database, the template): test_<name>_gw1 and test_<name>_template."""
    worker = connection.creation._get_test_db_name()
    suffix = getattr(config, "workerinput", {}).get("workerid")
    base = worker.removesuffix(f"_{suffix}") if suffix else worker
    return worker, f"{base}_template"


@contextlib.contextmanager
def _locked(settings_dict):
    """A cursor on the server's maintenance database, holding the advisory lock the workers take turns by."""
    server = _server(settings_dict)
    try:
        with server.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
            try:
                yield cursor
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    finally:
        server.close()


def _ensure_template(cursor, connection, template: str, *, fingerprint: str, run: str, rebuild: bool) -> bool:
    """Migrate the template unless it was made from these migrations (in this run, if `rebuild`); True
    when it was migrated now. The caller holds the advisory lock (`_locked`)."""
    label, this_run = _comment(cursor, template), f"{fingerprint} run {run}"
    stale = label is None or not label.startswith(fingerprint)
    if not (stale or (rebuild and label != this_run)):
        return False
    _drop(cursor, connection.ops.quote_name, template)
    _build_template(connection, template)
    cursor.execute(f"COMMENT ON DATABASE {connection.ops.quote_name(template)} IS %s", [this_run])
    return True


def clone_test_database(config, connection) -> str:
    """Make this worker's test database a copy of the migrated template; return its name."""
    worker, template = _template_name(connection, config)
    fingerprint = f"migrations {migrations_fingerprint()}"
    run = getattr(config, "workerinput", {}).get("testrunuid", _RUN)
    rebuild = config.getvalue("create_db")
    quote = connection.ops.quote_name

    with _locked(connection.settings_dict) as cursor:
        _ensure_template(cursor, connection, template, fingerprint=fingerprint, run=run, rebuild=rebuild)
        # A fresh copy every run, not the last run's database: the tests that commit are undone by DELETE
        # (tests/conftest.py), whose dead rows stay until a vacuum, and a kept database grew run after run
        # (14 → 200 MB after a few; the suite 3:18 → 3:32). The copy costs about a second.
        _drop(cursor, quote, worker)
        cursor.execute(f"CREATE DATABASE {quote(worker)} TEMPLATE {quote(template)}")
        cursor.execute(f"COMMENT ON DATABASE {quote(worker)} IS %s", [fingerprint])
    return worker


def prepare_template() -> str:
    """Migrate the template now, before any test runs, unless it is up to date; return its name. CI runs
    this (`python -m tests.database`) beside its linters, on the other core: the suite then only clones
    the template instead of waiting ~11 s for the migrations at its start."""
    from django.db import connections

    connection = connections["default"]
    if connection.vendor != "postgresql":
        raise SystemExit("the template is PostgreSQL's: set DATABASE_URL")
    _worker, template = _template_name(connection)
    fingerprint = f"migrations {migrations_fingerprint()}"
    with _locked(connection.settings_dict) as cursor:
        made = _ensure_template(
            cursor, connection, template, fingerprint=fingerprint, run="prepared", rebuild=False
        )
    print(f"{template}: {'migrated' if made else 'up to date'}")
    return template


@pytest.fixture(scope="session")
def cloned_test_database(request, django_db_modify_db_settings, django_db_blocker) -> bool:
    """True when this worker's database was cloned from the template (PostgreSQL): Django keeps it."""
    from django.db import connections

    connection = connections["default"]
    if connection.vendor != "postgresql" or len(connections.settings) > 1:
        yield False
        return
    with django_db_blocker.unblock():
        worker = clone_test_database(request.config, connection)
    yield True
    if not request.config.getvalue("reuse_db"):
        with django_db_blocker.unblock():
            connection.close()
            server = _server(connection.settings_dict)
            try:
                with server.cursor() as cursor:
                    _drop(cursor, connection.ops.quote_name, worker)
            finally:
                server.close()


@pytest.fixture(scope="session")
def django_db_keepdb(request, cloned_test_database) -> bool:
    """pytest-django's, except that a cloned database is kept: Django only checks its migrations."""
    return cloned_test_database or request.config.getvalue("reuse_db")


@pytest.fixture(scope="session")
def django_db_createdb(request, cloned_test_database) -> bool:
    """pytest-django's, except that a cloned database is new already (--create-db rebuilt the template)."""
    return not cloned_test_database and request.config.getvalue("create_db")


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    django.setup()
    prepare_template()
