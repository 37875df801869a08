"""A person's terms in the same role never overlap — kept by the database itself.

PostgreSQL: an exclusion constraint over the date ranges (needs btree_gist for the equality parts).
SQLite (the zero-setup default): triggers that refuse an overlapping insert or update.
Both raise IntegrityError, like any other constraint.
"""

from django.db import migrations

from branches.migration_ops import vendor_sql

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """
    ALTER TABLE secretaries_term ADD CONSTRAINT term_no_overlap_same_person_role
    EXCLUDE USING gist (
        person_id WITH =,
        role WITH =,
        daterange(started_on, ended_on, '[]') WITH &&
    )
    """,
]
POSTGRES_REVERSE = ["ALTER TABLE secretaries_term DROP CONSTRAINT term_no_overlap_same_person_role"]

_OVERLAP = """
    EXISTS (
        SELECT 1 FROM secretaries_term AS other
        WHERE other.person_id = NEW.person_id AND other.role = NEW.role AND other.id != {self_id}
          AND other.started_on <= COALESCE(NEW.ended_on, '9999-12-31')
          AND NEW.started_on <= COALESCE(other.ended_on, '9999-12-31')
    )
"""
SQLITE = [
    f"""
    CREATE TRIGGER term_no_overlap_insert BEFORE INSERT ON secretaries_term
    WHEN {_OVERLAP.format(self_id="-1")}
    BEGIN SELECT RAISE(ABORT, 'term_no_overlap_same_person_role'); END
    """,
    f"""
    CREATE TRIGGER term_no_overlap_update BEFORE UPDATE ON secretaries_term
    WHEN {_OVERLAP.format(self_id="NEW.id")}
    BEGIN SELECT RAISE(ABORT, 'term_no_overlap_same_person_role'); END
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER term_no_overlap_insert", "DROP TRIGGER term_no_overlap_update"]


class Migration(migrations.Migration):
    dependencies = [("secretaries", "0001_initial")]

    operations = [
        vendor_sql(
            postgresql=POSTGRES,
            sqlite=SQLITE,
            reverse_postgresql=POSTGRES_REVERSE,
            reverse_sqlite=SQLITE_REVERSE,
        )
    ]
