# The totals keep their commune of today's province (TotalKey.branch_province): added empty (the release
# before it goes on writing totals during the upgrade), then filled from the communes, one statement per
# table (about a minute on national data, 1.2 million rows; assessment saves wait for it meanwhile). Not
# atomic: each step commits on its own, so the reports go on reading the totals while they are filled (one
# transaction would hold the new column's table lock until the end); run again, it fills them again.

import django.db.models.deletion
from django.db import migrations, models

TABLES = ("assessmenttotal", "grouptotal", "criteriontotal")


def field():
    return models.ForeignKey(
        db_index=False,
        null=True,
        on_delete=django.db.models.deletion.CASCADE,
        related_name="+",
        to="branches.province",
    )


def fill(table: str) -> str:
    return (
        f"UPDATE assessments_{table} SET branch_province_id = (SELECT province_id FROM branches_commune "
        f"WHERE branches_commune.id = assessments_{table}.branch_commune_id)"
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("assessments", "0010_totals_awaiting_review"),
        ("branches", "0010_branch_id_commune_index"),
    ]

    operations = [
        *(migrations.AddField(table, "branch_province", field()) for table in TABLES),
        *(migrations.RunSQL(fill(table), migrations.RunSQL.noop) for table in TABLES),
    ]
