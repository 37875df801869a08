"""Every row starts at version 1 (core.versioning: the version an edit form was loaded from).

On SQLite, adding a column with a default rebuilds the table, which drops the triggers of 0002 (terms of
a person in one role never overlap): they are created again here."""

import importlib

from django.db import migrations, models

from branches.migration_ops import vendor_sql

no_overlap = importlib.import_module("secretaries.migrations.0002_term_no_overlap")


class Migration(migrations.Migration):

    dependencies = [
        ('secretaries', '0003_trigram_search'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalperson',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='version'),
        ),
        migrations.AddField(
            model_name='historicalterm',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='version'),
        ),
        migrations.AddField(
            model_name='person',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='version'),
        ),
        migrations.AddField(
            model_name='term',
            name='version',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='version'),
        ),
        vendor_sql(
            sqlite=["DROP TRIGGER IF EXISTS term_no_overlap_insert", "DROP TRIGGER IF EXISTS term_no_overlap_update"]
            + no_overlap.SQLITE,
        ),
    ]
