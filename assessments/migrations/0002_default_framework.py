"""Seed the province's framework (three skill groups, eleven criteria) for 2026, the year the portal
starts; administrators copy it for later years in Django admin."""

from django.db import migrations

from assessments.defaults import DEFAULT_GROUPS, DEFAULT_NAME

YEAR = 2026


def seed(apps, schema_editor):
    Framework = apps.get_model("assessments", "Framework")
    SkillGroup = apps.get_model("assessments", "SkillGroup")
    Criterion = apps.get_model("assessments", "Criterion")
    common = Framework.objects.filter(year=YEAR)
    if any(f.name == "province" for f in Framework._meta.get_fields()):
        # Run again by tests with today's models, where a province may have its own 2026 framework.
        common = common.filter(province__isnull=True)
    if common.exists():
        return
    framework = Framework.objects.create(year=YEAR, name=DEFAULT_NAME.format(year=YEAR))
    for group_order, (group_name, criteria) in enumerate(DEFAULT_GROUPS, start=1):
        group = SkillGroup.objects.create(framework=framework, order=group_order, name=group_name)
        for order, (name, description) in enumerate(criteria, start=1):
            Criterion.objects.create(group=group, order=order, name=name, description=description)


def unseed(apps, schema_editor):
    apps.get_model("assessments", "Framework").objects.filter(year=YEAR, assessments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
