# The communes' counters keep their current secretaries since branches 0008: counted here once for the rows
# kept before (the services keep them from then on; `rebuild_aggregates` recounts everything).

from django.db import migrations
from django.db.models import Count

SECRETARY = "bi_thu"  # Term.Role.SECRETARY


def count_current_secretaries(apps, schema_editor):
    """Each commune's current secretaries (one at most per branch, active or not), by the commune of the
    branch today."""
    Term = apps.get_model("secretaries", "Term")
    CommuneCounter = apps.get_model("branches", "CommuneCounter")
    current = (
        Term.objects.filter(ended_on__isnull=True, role=SECRETARY)
        .order_by()
        .values("branch__commune")
        .annotate(n=Count("pk"))
    )
    for row in current:
        CommuneCounter.objects.filter(commune=row["branch__commune"]).update(secretaries=row["n"])


class Migration(migrations.Migration):
    dependencies = [
        ("branches", "0008_counter_secretaries"),
        ("secretaries", "0007_term_started"),
    ]

    operations = [
        migrations.RunPython(count_current_secretaries, migrations.RunPython.noop, elidable=True),
    ]
