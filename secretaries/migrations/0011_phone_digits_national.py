"""The phone numbers written with +84 are searched by their national digits ("0912345678", not
"84912345678"): secretaries.phones.search_digits, recomputed for the numbers stored that way."""

from django.db import migrations


def national(apps, schema_editor):
    from secretaries.phones import search_digits

    Person = apps.get_model("secretaries", "Person")
    for person in Person.objects.filter(phone__startswith="+").only("pk", "phone").iterator():
        Person.objects.filter(pk=person.pk).update(phone_digits=search_digits(person.phone))


class Migration(migrations.Migration):
    dependencies = [("secretaries", "0010_validators_of_dates_and_counts")]

    operations = [migrations.RunPython(national, migrations.RunPython.noop)]
