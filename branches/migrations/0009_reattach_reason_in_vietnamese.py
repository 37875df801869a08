# The 2025 reform's re-attachment wrote its reason in English into each branch's history ("re-attached on
# 01/07/2025"), shown as is in the Vietnamese pages; branches/services.py writes it in Vietnamese since.
# The rows written before are put in the same words here, in one statement.

from django.db import migrations
from django.db.models import Value
from django.db.models.functions import Concat, Substr

OLD = "re-attached on "  # followed by the day, dd/mm/yyyy
NEW = "chuyển sang xã mới từ ngày "


def reasons_in_vietnamese(apps, schema_editor):
    HistoricalBranch = apps.get_model("branches", "HistoricalBranch")
    HistoricalBranch.objects.filter(
        history_change_reason__regex=r"^re-attached on [0-9]{2}/[0-9]{2}/[0-9]{4}$"
    ).update(history_change_reason=Concat(Value(NEW), Substr("history_change_reason", len(OLD) + 1)))


class Migration(migrations.Migration):
    dependencies = [("branches", "0008_counter_secretaries")]

    operations = [migrations.RunPython(reasons_in_vietnamese, migrations.RunPython.noop, elidable=True)]
