# Merging and splitting branches wrote their reason in English into each branch's history ("merged on
# 15/03/2026", "split on 01/04/2026"), shown as is in the Vietnamese pages; branches/services.py writes them
# in Vietnamese since. The rows written before are put in the same words here, one statement each.

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

REASONS = {"merged on ": "hợp nhất ngày ", "split on ": "tách ngày "}  # each followed by the day, dd/mm/yyyy


def reasons_in_vietnamese(apps, schema_editor):
    HistoricalBranch = apps.get_model("branches", "HistoricalBranch")
    for old, new in REASONS.items():
        HistoricalBranch.objects.filter(
            history_change_reason__regex=rf"^{old}[0-9]{{2}}/[0-9]{{2}}/[0-9]{{4}}$"
        ).update(history_change_reason=Concat(Value(new), Substr("history_change_reason", len(old) + 1)))


class Migration(migrations.Migration):
    dependencies = [("branches", "0011_validators_of_dates_and_counts")]

    operations = [migrations.RunPython(reasons_in_vietnamese, migrations.RunPython.noop, elidable=True)]
