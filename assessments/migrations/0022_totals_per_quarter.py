# The totals are kept per quarter of a quarterly framework (TotalKey.quarter), so that its reports show one
# quarter. The rows kept so far summed the quarters together: those of the communes with assessments in a
# quarterly framework are recomputed (a province's few hundred communes at most; the other rows have no
# quarter, as before). Through the refresh the app runs on every save (assessments.totals): the same rows
# as `manage.py rebuild_aggregates` would write.

from django.db import migrations, models

QUARTER = "quy"  # Period.QUARTER


def recompute_quarterly(apps, schema_editor):
    from assessments import totals

    Assessment = apps.get_model("assessments", "Assessment")
    communes = (
        Assessment.objects.filter(framework__period=QUARTER)
        .order_by()
        .values_list("branch__commune", flat=True)
        .distinct()
    )
    totals.communes_changed(set(communes))


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0001_squashed_0021_framework_and_skill_group_name_keys'),
    ]

    operations = [
        migrations.AddField(
            model_name='assessmenttotal',
            name='quarter',
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='criteriontotal',
            name='quarter',
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AddField(
            model_name='grouptotal',
            name='quarter',
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.RunPython(recompute_quarterly, migrations.RunPython.noop, elidable=True),
    ]
