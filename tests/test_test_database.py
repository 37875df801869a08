"""The workers' test databases are copies of one migrated template (tests/database.py): the template is
rebuilt when a migration, or a module a migration runs, changes."""

from tests.database import PROJECT, migration_sources, migrations_fingerprint


def test_the_template_is_named_after_every_migration_and_the_code_they_run():
    sources = migration_sources()
    relative = {str(path.relative_to(PROJECT)) for path in sources if PROJECT in path.parents}

    assert "secretaries/migrations/0002_term_no_overlap.py" in relative
    # The project's own operations (vendor-specific SQL) are part of what made the schema.
    assert "branches/migration_ops.py" in relative
    # Third-party migrations count (a new pinned version may bring one); the rest of the libraries do not.
    assert any("django/contrib/auth/migrations" in str(path) for path in sources)
    assert all(
        "migrations" in path.parts for path in sources if PROJECT not in path.parents or ".venv" in path.parts
    )


def test_the_fingerprint_is_stable():
    assert migrations_fingerprint() == migrations_fingerprint()
