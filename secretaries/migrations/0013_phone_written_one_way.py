"""Phone numbers written one way ("0912 345 678"), as Person.save() now keeps them: those typed before
without spaces ("0912345678") or with +84 are rewritten; the values of corrections still waiting are
rewritten alike, so that a record's number is not taken for one changed since the proposal."""

from django.db import migrations


def one_way(apps, schema_editor):
    from secretaries.phones import formatted

    Person = apps.get_model("secretaries", "Person")
    for person in Person.objects.exclude(phone="").only("pk", "phone").iterator():
        written = formatted(person.phone)
        if written != person.phone:
            Person.objects.filter(pk=person.pk).update(phone=written)
    Correction = apps.get_model("secretaries", "Correction")
    for correction in Correction.objects.filter(status="pending").iterator():
        changed = False
        for values in (correction.changes, correction.previous):
            if values.get("phone"):
                written = formatted(values["phone"])
                changed |= written != values["phone"]
                values["phone"] = written
        if changed:
            correction.save(update_fields=["changes", "previous"])


class Migration(migrations.Migration):
    dependencies = [("secretaries", "0012_split_pending_sensitive_corrections")]

    operations = [migrations.RunPython(one_way, migrations.RunPython.noop)]
