"""Seminar attendance per year (models.Attendance), kept exact: `seminar_changed` after a seminar's date or
participants change (with the year and people it had before), `rebuild` from every seminar (registered
with core.aggregates, run by `manage.py rebuild_aggregates` after a bulk load)."""

from django.db import connection
from django.db.models import F
from django.db.models.functions import ExtractYear

from core import aggregates

from .models import Attendance, Seminar, year_bounds


def _insert(participations) -> None:
    """INSERT … SELECT the distinct (year, person) of `participations` (rows of the participants table)."""
    query = participations.order_by().values(y=ExtractYear("seminar__held_on"), p=F("person")).distinct()
    sql, params = query.query.sql_with_params()
    table = Attendance._meta.db_table
    columns = ", ".join(
        connection.ops.quote_name(Attendance._meta.get_field(f).column) for f in ("year", "person")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)


def attendance_refresh(*, years, people) -> None:
    """Recompute the attendance of `people` (ids) in `years` from the seminars' participants."""
    years, people = sorted(set(years)), sorted(set(people))
    if not years or not people:
        return
    Attendance.objects.filter(year__in=years, person__in=people).delete()
    for year in years:
        start, end = year_bounds(year)
        _insert(
            Seminar.participants.through.objects.filter(
                person__in=people, seminar__held_on__gte=start, seminar__held_on__lte=end
            )
        )


def seminar_before(seminar: Seminar) -> tuple[set[int], set[int]]:
    """The years and people a seminar counts for as stored (empty for a new one): read before changing it."""
    if seminar.pk is None:
        return set(), set()
    held_on = Seminar.objects.filter(pk=seminar.pk).values_list("held_on", flat=True).first()
    people = set(seminar.participants.values_list("pk", flat=True))
    return ({held_on.year} if held_on else set()), people


def seminar_changed(seminar: Seminar, *, before: tuple[set[int], set[int]]) -> None:
    """After a seminar was saved, with `seminar_before`'s answer from before the change."""
    years, people = before
    years = years | {seminar.held_on.year}
    people = people | set(seminar.participants.values_list("pk", flat=True))
    attendance_refresh(years=years, people=people)


@aggregates.register("seminars.attendance")
def rebuild() -> None:
    Attendance.objects.all().delete()
    _insert(Seminar.participants.through.objects.all())
