"""Trigram index for diacritic-insensitive name search on PostgreSQL (see branches 0002)."""

from django.db import migrations

from branches.migration_ops import vendor_sql


class Migration(migrations.Migration):
    dependencies = [("secretaries", "0002_term_no_overlap"), ("branches", "0002_trigram_search")]

    operations = [
        vendor_sql(
            postgresql=["CREATE INDEX person_name_key_trgm ON secretaries_person USING gin (name_key gin_trgm_ops)"],
            reverse_postgresql=["DROP INDEX person_name_key_trgm"],
        )
    ]
