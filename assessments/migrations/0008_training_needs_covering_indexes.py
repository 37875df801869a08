"""Training needs on national data: the group scores below a threshold and the framework's counted
assessments read from their indexes alone (PostgreSQL's INCLUDE; plain indexes elsewhere). The group score
index gains the assessment; the new one is built before the old one goes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0007_report_totals"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="groupscore",
            index=models.Index(
                fields=["group", "score"], include=("assessment",), name="group_score_group_score_cover"
            ),
        ),
        migrations.RemoveIndex(
            model_name="groupscore",
            name="group_score_group_score",
        ),
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                fields=["framework", "status"],
                include=("id", "province", "district", "commune"),
                name="assessment_fw_status_units",
            ),
        ),
    ]
