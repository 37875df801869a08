"""Search "contains" on folded names (name LIKE '%ap cay%') with a trigram index on PostgreSQL, so a
rare name is found without reading the whole national table. SQLite (small data) needs none."""

from django.db import migrations

from branches.migration_ops import vendor_sql


class Migration(migrations.Migration):
    dependencies = [("branches", "0001_initial")]

    operations = [
        vendor_sql(
            postgresql=[
                "CREATE EXTENSION IF NOT EXISTS pg_trgm",
                "CREATE INDEX branch_name_key_trgm ON branches_branch USING gin (name_key gin_trgm_ops)",
            ],
            reverse_postgresql=["DROP INDEX branch_name_key_trgm"],
        )
    ]
