"""Reads of seminars for the follow-up page, the report and the first screen, always through the user's
scope (`visible_to`). Every function runs a fixed number of queries whatever the number of rows: the
database counts (values().annotate()), Python only arranges the rows."""

import datetime
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.utils import timezone

from branches.models import CommuneCounter, District, Province
from branches.selectors import level_below
from core.text import search_terms
from secretaries.models import Term
from secretaries.selectors import percent

from .models import Attendance, Proposal, Seminar, year_bounds

# ---------------------------------------------------------------------------------------------------
# Follow-up of proposals


def open_proposals(*, user):
    """Open proposals (proposed / in progress) in scope: overdue ones first, then by due date (none last)."""
    today = timezone.localdate()
    return (
        Proposal.objects.visible_to(user)
        .open()
        .select_related("seminar__district", "seminar__province", "seminar__commune")
        .annotate(
            overdue_rank=Case(
                When(due_on__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("overdue_rank", F("due_on").asc(nulls_last=True), "pk")
    )


def search_proposals(queryset, query: str | None):
    """Every word must be found, with or without diacritics, in the proposal, its responsible unit or its
    seminar's title."""
    for folded in search_terms(query):
        queryset = queryset.filter(Q(search_key__contains=folded) | Q(seminar__title_key__contains=folded))
    return queryset


def overdue_proposals(*, user):
    return Proposal.objects.visible_to(user).open().filter(due_on__lt=timezone.localdate())


def overdue_per_organiser(*, user) -> dict:
    """(district id, commune id) of the organiser ((None, None): province-level seminars) → number of open
    proposals past their due date."""
    rows = (
        overdue_proposals(user=user)
        .order_by()
        .values("seminar__district", "seminar__commune")
        .annotate(n=Count("pk"))
    )
    return {(row["seminar__district"], row["seminar__commune"]): row["n"] for row in rows}


def due_per_organiser(*, user, within_days: int) -> dict:
    """(district id, commune id) of the organiser → (overdue, due within `within_days`): open proposals, in
    one query, for the first screen (overdue_per_organiser's counts, and those closing soon)."""
    today = timezone.localdate()
    rows = (
        Proposal.objects.visible_to(user)
        .open()
        .filter(due_on__lte=today + datetime.timedelta(days=within_days))
        .order_by()
        .values("seminar__district", "seminar__commune")
        .annotate(
            overdue=Count("pk", filter=Q(due_on__lt=today)), soon=Count("pk", filter=Q(due_on__gte=today))
        )
    )
    return {
        (row["seminar__district"], row["seminar__commune"]): (row["overdue"], row["soon"]) for row in rows
    }


# ---------------------------------------------------------------------------------------------------
# Report: seminars, participants reached and the share of secretaries who attended, per unit and year


@dataclass
class ReportRow:
    unit: object | None  # a District or a Province; None for the province's own (province-level) seminars
    seminars: int
    participants: int
    secretaries: int
    attended: int

    @property
    def share(self) -> float | None:
        return percent(self.attended, self.secretaries) if self.secretaries else None


@dataclass
class Report:
    year: int
    level: str  # "district" or "province": what a row is
    rows: list[ReportRow]
    total: ReportRow


def report_years(*, user) -> list[int]:
    """Years with seminars in scope, latest first."""
    return [d.year for d in Seminar.objects.visible_to(user).dates("held_on", "year", order="DESC")]


def _levels(user) -> tuple[str, str, str]:
    """What a row is (per province for the administrator, per district otherwise), the lookup from a
    seminar to it, the lookup from a term to it."""
    level, _model = level_below(user, finest="district")
    return level, level, f"branch__commune__{level}"


def _units(user, level: str, year: int) -> list:
    """The units a report shows even without any seminar: those that existed during the year."""
    start, _end = year_bounds(year)
    existed = Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    if level == "province":
        return list(Province.objects.visible_to(user).filter(existed).order_by("code"))
    return list(District.objects.visible_to(user).filter(existed).order_by("code"))


def national_secretaries(*, term_key: str, attended: Q) -> dict:
    """The whole country's current secretaries per unit (`term_key`, from a term), and of them those who
    `attended`: the first summed from the communes' counters (branches.counters keeps them: 13,000 rows,
    where the terms are 90,000, each joined to its branch and commune), the second counted from the
    terms of the people who attended that year (hundreds)."""
    counter_key = term_key.removeprefix("branch__")
    found = {
        row[counter_key]: {"secretaries": row["n"], "attended": 0}
        for row in CommuneCounter.objects.filter(secretaries__gt=0)
        .order_by()
        .values(counter_key)
        .annotate(n=Sum("secretaries"))
    }
    for row in (
        Term.objects.current()
        .secretaries()
        .filter(attended)
        .order_by()
        .values(term_key)
        .annotate(n=Count("pk"))
    ):
        found.setdefault(row[term_key], {"secretaries": 0, "attended": 0})["attended"] = row["n"]
    return found


def seminar_report(*, user, year: int) -> Report:
    """Per unit one level below the user's own (per province for the administrator, per district
    otherwise, plus the province's own seminars for provincial staff), for seminars held in `year`:
    the number of seminars, the distinct secretaries who took part, and the share of the unit's current
    secretaries who attended at least one seminar (any organiser's) that year. Five queries."""
    level, seminar_key, term_key = _levels(user)
    start, end = year_bounds(year)
    seminars = Seminar.objects.visible_to(user).filter(held_on__gte=start, held_on__lte=end)
    per_unit = {
        row[seminar_key]: row
        for row in seminars.order_by()
        .values(seminar_key)
        .annotate(seminars=Count("pk", distinct=True), participants=Count("participants", distinct=True))
    }
    # A person can sit in several of the unit's seminars (and, rarely, serve in two units): the total
    # counts distinct people over the whole scope, not the sum of the rows.
    totals = seminars.aggregate(
        seminars=Count("pk", distinct=True), participants=Count("participants", distinct=True)
    )

    # One row per person and year (seminars/totals.py keeps it), not every participation of the year: a
    # short list the database hashes once (an EXISTS per secretary probed the index 90,000 times).
    attended = Q(person__in=Attendance.objects.filter(year=year).values("person"))
    # A person holds one current secretary's term at most (term_no_overlap_same_person_role, in the
    # database): counting terms counts people, in each unit and over the scope (the sum of the rows).
    if user.is_administrator:
        secretaries = national_secretaries(term_key=term_key, attended=attended)
    else:
        secretaries = {
            row[term_key]: row
            for row in Term.objects.visible_to(user)
            .current()
            .secretaries()
            .order_by()
            .values(term_key)
            .annotate(secretaries=Count("pk"), attended=Count("pk", filter=attended))
        }
    secretary_totals = {
        measure: sum(row[measure] for row in secretaries.values()) for measure in ("secretaries", "attended")
    }

    def row_for(unit, key) -> ReportRow:
        s = per_unit.get(key, {})
        t = secretaries.get(key, {})
        return ReportRow(
            unit=unit,
            seminars=s.get("seminars", 0),
            participants=s.get("participants", 0),
            secretaries=t.get("secretaries", 0),
            attended=t.get("attended", 0),
        )

    units = _units(user, level, year)
    shown = {unit.pk for unit in units}
    # A unit gone before the year but holding rows (an old record) is still shown rather than lost.
    missing = [k for k in (per_unit.keys() | secretaries.keys()) if k is not None and k not in shown]
    if missing:
        model = Province if level == "province" else District
        units += list(model.objects.filter(pk__in=missing).order_by("code"))
    rows = [row_for(unit, unit.pk) for unit in units]
    if user.is_provincial_staff or None in per_unit or None in secretaries:
        # The province's own seminars (and the secretaries of communes directly under it, after 2025).
        rows.append(row_for(None, None))
    total = ReportRow(
        unit=None,
        seminars=totals["seminars"],
        participants=totals["participants"],
        secretaries=secretary_totals["secretaries"],
        attended=secretary_totals["attended"],
    )
    return Report(year=year, level=level, rows=rows, total=total)


def default_report_year(*, user, years: list[int]) -> int:
    return years[0] if years else timezone.localdate().year


def parse_year(value, *, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 1990 <= year <= timezone.localdate().year + 1 else default
