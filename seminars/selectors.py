"""Reads of seminars for the follow-up page, the report and the first screen, always through the user's
scope (`visible_to`). Every function runs a fixed number of queries whatever the number of rows: the
database counts (values().annotate()), Python only arranges the rows."""

import datetime
from dataclasses import dataclass

from django.db.models import (
    BigIntegerField,
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from branches.models import BranchAttachment, Commune, CommuneCounter, District, Province
from branches.rollup import LEVEL_HEADERS, RECORDED, Grouping, grouping, rows_level, sort_key
from branches.selectors import attach_successors
from core.text import search_terms
from secretaries.models import Term
from secretaries.selectors import percent

from .models import OPEN_STATUSES, Attendance, Proposal, Seminar, union_body_name, year_bounds

# ---------------------------------------------------------------------------------------------------
# Follow-up of proposals


def followed_proposals(*, user):
    """Proposals in scope, as the follow-up page lists them: overdue ones first, then by due date (none
    last). The page narrows them to the open ones (proposed / in progress) unless a status is chosen."""
    today = timezone.localdate()
    return (
        Proposal.objects.visible_to(user)
        .select_related("seminar__district", "seminar__province", "seminar__commune")
        .annotate(
            overdue_rank=Case(
                When(due_on__lt=today, status__in=OPEN_STATUSES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("overdue_rank", F("due_on").asc(nulls_last=True), "pk")
    )


def attach_followers(proposals, *, user) -> None:
    """Set `follower` on each proposal whose organiser has ended: the Union body that follows it up now, the
    Tỉnh đoàn of the organiser's province, or of the province it went into once that has ended too
    ("Tỉnh đoàn Vĩnh Long" for a proposal of Huyện đoàn Tiểu Cần, Trà Vinh). Two queries at most, for the
    whole page (branches.selectors.attach_successors)."""
    ended = [p for p in proposals if p.seminar.organiser.ended_on]
    provinces = {p.seminar.province_id: p.seminar.province for p in ended}
    attach_successors(list(provinces.values()), model=Province, user=user)
    for proposal in ended:
        province = provinces[proposal.seminar.province_id]
        bodies = (province.successors if province.ended_on else None) or [province]
        proposal.follower = ", ".join(union_body_name(body) for body in bodies)


def search_proposals(queryset, query: str | None):
    """Every word must be found, with or without diacritics, in the proposal, its responsible unit or its
    seminar's title."""
    for folded in search_terms(query):
        queryset = queryset.filter(Q(search_key__contains=folded) | Q(seminar__title_key__contains=folded))
    return queryset


#: the follow-up page's "status" that is no stored status: open and past its due date
OVERDUE = "qua_han"
#: its "followed" filter's one choice, a commune officer's: the proposals of its own seminars
OWN = "don_vi_minh"


def followup_overdue_query(user) -> str:
    """The follow-up page's query of the overdue proposals the first screen counts for `user`
    (due_per_organiser): a commune officer's own seminars' only."""
    query = f"status={OVERDUE}"
    return f"{query}&followed={OWN}" if user.is_commune_officer else query


def overdue(proposals):
    """The open ones of `proposals` past their due date (Proposal.is_overdue)."""
    return proposals.open().filter(due_on__lt=timezone.localdate())


def overdue_proposals(*, user):
    return overdue(Proposal.objects.visible_to(user))


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
    one query, for the first screen (overdue_per_organiser's counts, and those closing soon). A commune
    officer's are its own seminars' (those it follows up, seminars.forms.may_edit), not those of the
    seminars its secretaries attended elsewhere."""
    today = timezone.localdate()
    proposals = Proposal.objects.visible_to(user)
    if user.is_commune_officer:
        proposals = proposals.filter(seminar__commune=user.commune_id)
    rows = (
        proposals.open()
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
    # A Province, District or Commune; None for the province's own (province-level) seminars
    unit: object | None
    seminars: int
    participants: int
    #: today's secretaries and, of them, those who attended in the year; None in a past year's report
    secretaries: int | None
    attended: int | None
    #: what `unit` is: "province", "district" or "commune" ("" for the province level)
    level: str = ""
    #: `unit` ended before the year began and the terms are counted by their branch's unit of today: what its
    #: row holds are the current secretaries of its branches still waiting for a new commune (the 2025
    #: reform), no seminar of the year
    waiting: bool = False

    @property
    def share(self) -> float | None:
        return percent(self.attended, self.secretaries) if self.secretaries else None


@dataclass
class Report:
    year: int
    level: str  # what a row is: "province", "district", "commune", or "unit" when both of the last two
    rows: list[ReportRow]
    total: ReportRow
    #: this year's report: the share of today's secretaries who attended is said (see seminar_report)
    current: bool = True

    @property
    def unit_header(self) -> str:
        return LEVEL_HEADERS[self.level]


def report_years(*, user) -> list[int]:
    """Years with seminars in scope, latest first; and this year for a unit that goes on, seminars or not:
    its report is the one with the share of today's secretaries who attended (none yet is a finding too)."""
    years = {d.year for d in Seminar.objects.visible_to(user).dates("held_on", "year")}
    if user.unit_ended_on is None:
        years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


#: A current term's district as recorded: its branch's district, or for a branch re-attached in 2025 to a
#: commune of today (which has none) the district of the commune it had before.
RECORDED_DISTRICT = "recorded_district"


def _recorded_district():
    former = (
        BranchAttachment.objects.filter(branch=OuterRef("branch"), commune__district__isnull=False)
        .order_by("-ended_on")
        .values("commune__district")[:1]
    )
    return Coalesce(F("branch__commune__district"), Subquery(former), output_field=BigIntegerField())


def _groupings(user) -> tuple[Grouping, Grouping]:
    """How the seminars and the current terms fall into the report's rows, the seminars by their organiser
    as recorded (branches.rollup.grouping, no finer than districts): per province for the administrator;
    per district before the 2025 reform (its secretaries by their branch's district then, re-attached since
    or not); for a province formed in 2025 and for a commune officer, per commune of today and, for the
    past, per district."""
    seminars = grouping(user=user, mode=RECORDED, finest="district")
    levels = [level for level, _path in seminars.paths]
    if levels == ["province"]:
        terms = (("province", "branch__commune__province"),)
    elif levels == ["district", "commune"]:
        terms = (("district", "branch__commune__district"), ("commune", "branch__commune"))
    else:
        terms = (("district", RECORDED_DISTRICT),)
    return seminars, Grouping(RECORDED, terms)


def _units(user, levels: set[str], year: int) -> list[tuple[str, object]]:
    """The units a report shows even without any seminar: those of its levels that existed during the year
    (of the communes, those of today: an old commune's rows are its district's)."""
    start, end = year_bounds(year)
    existed = (Q(ended_on__isnull=True) | Q(ended_on__gte=start)) & (
        Q(began_on__isnull=True) | Q(began_on__lte=end)
    )
    units = []
    if "province" in levels:
        units += [("province", u) for u in Province.objects.visible_to(user).filter(existed)]
    if "district" in levels and not user.is_commune_officer:  # a commune officer's district rows: the past's
        district = District.objects.visible_to(user).filter(existed).select_related("province")
        units += [("district", u) for u in district]
    if "commune" in levels:
        communes = Commune.objects.visible_to(user).filter(existed, district__isnull=True)
        units += [("commune", u) for u in communes.select_related("province")]
    return units


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
    """Per unit one level below the user's own (`_groupings`), plus the province's own seminars for
    provincial staff, for seminars held in `year`: the number of seminars, the distinct secretaries who
    took part, and, for this year, the share of the unit's current secretaries who attended at least one
    seminar (any organiser's). A past year's report has no share: today's secretaries are not that year's
    (most of 2021's have left, today's communes did not exist), and a share of them says nothing of it. A
    fixed number of queries, whatever the number of rows."""
    by_seminar, by_term = _groupings(user)
    start, end = year_bounds(year)
    current = year >= timezone.localdate().year
    seminars = Seminar.objects.visible_to(user).filter(held_on__gte=start, held_on__lte=end)
    per_unit: dict = {}
    for row in (
        seminars.order_by()
        .values(*by_seminar.fields)
        .annotate(seminars=Count("pk", distinct=True), participants=Count("participants", distinct=True))
    ):
        # Distinct within each group: a district's row and, after the reform, none other share a seminar.
        per_unit[by_seminar.key(row)] = row
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
    if not current:
        secretaries: dict = {}
    elif user.is_administrator:
        (term_key,) = by_term.fields
        secretaries = {
            by_term.key({term_key: unit}): row
            for unit, row in national_secretaries(term_key=term_key, attended=attended).items()
        }
    else:
        terms = Term.objects.visible_to(user).current().secretaries().order_by()
        if RECORDED_DISTRICT in by_term.fields:
            terms = terms.annotate(**{RECORDED_DISTRICT: _recorded_district()})
        secretaries: dict = {}
        for row in terms.values(*by_term.fields).annotate(
            secretaries=Count("pk"), attended=Count("pk", filter=attended)
        ):
            found = secretaries.setdefault(by_term.key(row), {"secretaries": 0, "attended": 0})
            found["secretaries"] += row["secretaries"]
            found["attended"] += row["attended"]
    secretary_totals = {
        measure: sum(row[measure] for row in secretaries.values()) if current else None
        for measure in ("secretaries", "attended")
    }

    # Current terms by their branch's unit of today: an ended unit's row in a later year holds only its
    # branches still waiting for a new commune. By the district as recorded (an ended district's officer
    # and province staff), it holds all its former branches, re-attached or not.
    by_unit_of_today = RECORDED_DISTRICT not in by_term.fields

    def row_for(level, unit, key) -> ReportRow:
        s = per_unit.get(key, {})
        t = secretaries.get(key, {})
        return ReportRow(
            unit=unit,
            level=level,
            seminars=s.get("seminars", 0),
            participants=s.get("participants", 0),
            secretaries=t.get("secretaries", 0) if current else None,
            attended=t.get("attended", 0) if current else None,
            waiting=current
            and by_unit_of_today
            and getattr(unit, "ended_on", None) is not None
            and unit.ended_on < start,
        )

    units = {
        (level, unit.pk): unit for level, unit in _units(user, {lv for lv, _p in by_seminar.paths}, year)
    }
    # A unit gone before the year but holding rows (an old record) is still shown rather than lost.
    missing = [k for k in (per_unit.keys() | secretaries.keys()) if k is not None and k not in units]
    if missing:
        units |= by_seminar.units(missing)
    ordered = sorted(units.items(), key=lambda item: sort_key(item[0][0], item[1]))
    rows = [row_for(level, unit, (level, unit.pk)) for (level, _pk), unit in ordered]
    if user.is_provincial_staff or None in per_unit or None in secretaries:
        # The province's own seminars (and those of the secretaries no unit of a row holds).
        rows.append(row_for("", None, None))
    total = ReportRow(
        unit=None,
        seminars=totals["seminars"],
        participants=totals["participants"],
        secretaries=secretary_totals["secretaries"],
        attended=secretary_totals["attended"],
    )
    level = rows_level({row.level for row in rows if row.unit is not None}, by_seminar.level)
    return Report(year=year, level=level, rows=rows, total=total, current=current)


def default_report_year(*, user, years: list[int]) -> int:
    return years[0] if years else timezone.localdate().year


def parse_year(value, *, default: int) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return default
    return year if 1990 <= year <= timezone.localdate().year + 1 else default
