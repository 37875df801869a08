"""A correction waiting for a decision that proposed religion together with other fields (before the two
went apart, secretaries.account_services.correction_propose) is split in the same way: religion stays for
provincial staff, the rest becomes a request of its own that the unit decides. Decided ones are left as
they were."""

from django.db import migrations

SENSITIVE = ("religion",)  # secretaries.sensitive.SENSITIVE_FIELDS when this was written


def split(apps, schema_editor):
    Correction = apps.get_model("secretaries", "Correction")
    for correction in Correction.objects.filter(status="pending", sensitive=True).iterator():
        rest = {name: value for name, value in correction.changes.items() if name not in SENSITIVE}
        if not rest or len(rest) == len(correction.changes):
            continue
        Correction.objects.create(
            person_id=correction.person_id,
            changes=rest,
            previous={name: correction.previous.get(name) for name in rest},
            sensitive=False,
            note=correction.note,
            proposed_by_id=correction.proposed_by_id,
            status="pending",
            person_version=correction.person_version,
        )
        kept = {name: value for name, value in correction.changes.items() if name in SENSITIVE}
        Correction.objects.filter(pk=correction.pk).update(
            changes=kept, previous={name: correction.previous.get(name) for name in kept}
        )


class Migration(migrations.Migration):
    dependencies = [("secretaries", "0011_phone_digits_national")]

    operations = [migrations.RunPython(split, migrations.RunPython.noop)]
