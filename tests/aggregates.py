"""The check every write path of an aggregate joins: what the services kept equals a rebuild from the records
(core.aggregates)."""

from assessments.models import AssessmentTotal, CriterionTotal, GroupTotal, ProvinceCriterionTotal
from core import aggregates
from seminars.models import Attendance

TABLES = (AssessmentTotal, GroupTotal, CriterionTotal, ProvinceCriterionTotal, Attendance)


def snapshot() -> dict:
    """Every totals row, as a sorted list of its values without the id."""
    found = {}
    for model in TABLES:
        names = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
        found[model.__name__] = sorted(model.objects.values_list(*names), key=repr)
    return found


def assert_totals_exact():
    maintained = snapshot()
    aggregates.rebuild()
    assert maintained == snapshot()
