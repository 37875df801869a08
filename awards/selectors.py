"""Reads of commendation campaigns. Each takes the user and starts from `visible_to(user)`; each costs a fixed
number of queries whatever the number of districts, nominations or secretaries."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery, Value
from django.utils.translation import gettext

from assessments.models import Assessment, Period
from branches.models import Commune, District
from branches.rollup import RECORDED, grouping, sort_key
from branches.selectors import branch_communes_on
from secretaries.models import Person, Term

from .models import (
    COMMUNE,
    RATING_ORDER,
    Campaign,
    Commendation,
    Nomination,
    Quota,
    effective_quota,
    nominating_unit,
    places_left,
)

# Which QuotaUse count each nomination status adds to.
FIELD_FOR = {
    Nomination.Status.DRAFT: "draft",
    Nomination.Status.SUBMITTED: "submitted",
    Nomination.Status.APPROVED: "approved",
    Nomination.Status.REJECTED: "rejected",
}


@dataclass
class QuotaUse:
    """One nominating unit's place in a campaign (a district's, or a commune's): its quota and its
    nominations by status."""

    unit: District | Commune
    quota: int
    draft: int = 0
    submitted: int = 0
    approved: int = 0
    rejected: int = 0
    #: of the approved, those whose commendation was revoked since the decision (still approved: decided)
    revoked: int = 0

    @property
    def used(self) -> int:
        """Places taken: nominations in Nomination.QUOTA_STATUSES (submitted and waiting, or approved)."""
        return sum(getattr(self, FIELD_FOR[status]) for status in Nomination.QUOTA_STATUSES)

    @property
    def left(self) -> int:
        return places_left(quota=self.quota, used=self.used)

    @property
    def total(self) -> int:
        return self.draft + self.submitted + self.approved + self.rejected


def nominating_units(campaign: Campaign):
    """The units that nominate in a campaign, with their `quota` (override or default): the province's
    districts or its communes (campaign.level), current ones and an ended one only while it holds an
    override or nominations (so nothing recorded disappears from the page)."""
    level = campaign.level
    model = Commune if level == COMMUNE else District
    held = Q(pk__in=Quota.objects.filter(campaign=campaign.pk).values(level)) | Q(
        pk__in=Nomination.objects.filter(campaign=campaign.pk).values(level)
    )
    units = model.objects.filter(province=campaign.province_id)
    if level == COMMUNE:
        # A district campaign is of the past: all its districts, ended since, are its units.
        units = units.filter(Q(ended_on__isnull=True) | held)
    return units.annotate(
        quota=effective_quota(
            campaign=campaign.pk, level=level, unit=OuterRef("pk"), default=Value(campaign.default_quota)
        )
    ).order_by("code")


def quota_use(*, campaign: Campaign, user) -> list[QuotaUse]:
    """Per nominating unit of the campaign's province the user may see (an officer: their own), in code
    order. Two queries."""
    level = campaign.level
    units = nominating_units(campaign)
    mine = nominating_unit(user)
    if mine is not None:
        units = units.filter(pk=mine[1]) if mine[0] == level else units.none()
    rows = {u.pk: QuotaUse(unit=u, quota=u.quota) for u in units}
    counts = (
        Nomination.objects.visible_to(user)
        .filter(campaign=campaign, **{f"{level}__in": list(rows)})
        .values(level, "status")
        .annotate(n=Count("pk"), revoked=Count("pk", filter=Q(commendation__revoked_on__isnull=False)))
        .order_by()
    )
    for row in counts:
        use = rows[row[level]]
        setattr(use, FIELD_FOR[row["status"]], row["n"])
        use.revoked += row["revoked"]
    return list(rows.values())


def quota_totals(rows: list[QuotaUse]) -> dict:
    keys = ("quota", "draft", "submitted", "approved", "rejected", "revoked", "used", "left", "total")
    return {k: sum(getattr(r, k) for r in rows) for k in keys}


@dataclass
class Candidate:
    """A secretary the nominating unit could nominate, with their assessment of the campaign's year."""

    person: Person
    branch_name: str
    commune_name: str
    score: object = None
    rating: str = ""
    nomination: Nomination | None = None
    #: the assessment's status: a submitted one ranks, and is marked as not confirmed yet
    assessment_status: str = ""

    @property
    def unconfirmed(self) -> bool:
        return self.assessment_status == Assessment.Status.SUBMITTED

    @property
    def rating_label(self) -> str:
        from assessments.models import Rating

        return Rating(self.rating).label if self.rating else ""


def year_assessments(*, campaign: Campaign, person):
    """The assessment that counts for a campaign: the person's annual one of the campaign's year, once the
    unit has submitted it (a draft, or a self-assessment the unit has not reviewed, does not count). A
    province assessing by quarter or term too (Regulation 366) still has the year's rating from its annual
    framework: quarterly ratings are not averaged into one. `person` is a person, an id or an OuterRef."""
    return Assessment.objects.filter(
        person=person,
        framework__year=campaign.year,
        framework__period=Period.YEAR,
        status__in=(Assessment.Status.SUBMITTED, Assessment.Status.CONFIRMED),
    )


def with_year_assessment(queryset, *, campaign: Campaign):
    """`queryset` (rows with a `person`) annotated with the `score`, `rating` and `assessment_status` of
    year_assessments: a submitted one counts, and is said to be not confirmed yet where it is shown."""
    assessment = year_assessments(campaign=campaign, person=OuterRef("person"))
    return queryset.annotate(
        score=Subquery(assessment.values("overall_score")[:1]),
        rating=Subquery(assessment.values("rating")[:1]),
        assessment_status=Subquery(assessment.values("status")[:1]),
    )


def candidates(*, campaign: Campaign, unit: District | Commune, user, limit: int = 50) -> list[Candidate]:
    """The nominating unit's (a district's or a commune's) current secretaries ranked by their assessment
    score in the campaign's year (highest first, unassessed last), each with the nomination already made for
    them; under a minimum rating, only those who reach it. At most `limit` rows, in three queries."""
    where = "branch__commune" if isinstance(unit, Commune) else "branch__commune__district"
    terms = (
        with_year_assessment(
            Term.objects.visible_to(user).secretaries().current().filter(**{where: unit}),
            campaign=campaign,
        )
        .select_related("person", "branch__commune")
        .order_by(F("score").desc(nulls_last=True), "person__sort_key", "pk")
    )
    if campaign.minimum_rating:
        admitted = RATING_ORDER[: RATING_ORDER.index(campaign.minimum_rating) + 1]
        terms = terms.filter(rating__in=admitted)
    terms = list(terms[:limit])
    nominated = {
        n.person_id: n
        for n in Nomination.objects.filter(campaign=campaign, person__in=[t.person_id for t in terms])
    }
    return [
        Candidate(
            person=term.person,
            branch_name=term.branch.name,
            commune_name=term.branch.commune.name,
            score=term.score,
            rating=term.rating or "",
            nomination=nominated.get(term.person_id),
            assessment_status=term.assessment_status or "",
        )
        for term in terms
    ]


def nominations_for_review(*, campaign: Campaign, user):
    """The campaign's nominations the user may see, with what their rows show, unit by unit."""
    return (
        with_year_assessment(Nomination.objects.visible_to(user).filter(campaign=campaign), campaign=campaign)
        .select_related("person", "branch__commune", "district", "commune")
        # As a list on each nomination (`document_list`): not a related manager with a queryset per row.
        .prefetch_related(Prefetch("documents", to_attr="document_list"))
        .order_by("district__code", "commune__code", "person__sort_key", "pk")
    )


def published_commendations(*, campaign: Campaign, user):
    """The published list of a decided campaign, unit by unit (revoked ones included, marked)."""
    return (
        Commendation.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related(
            "person",
            "branch__commune__district",
            "branch__commune__province",
            "district",
            "commune",
            "province",
            "nomination",
        )
        .order_by("district__code", "commune__code", "person__sort_key", "pk")
    )


def communes_then(rows: list, *, day) -> list:
    """Set `commune_then` on each row (a nomination, a commendation, with its `branch`): the commune its
    branch belonged to on `day`, so a 2020 branch of Xã Hiếu Tử is named so after its re-attachment to Xã
    Tập Ngãi. One query."""
    communes = branch_communes_on([r.branch for r in rows], day)
    for row in rows:
        row.commune_then = communes[row.branch_id]
    return rows


def communes_on_decision(commendations: list, *, campaign: Campaign) -> list:
    """`commune_then` of each commendation of a decided campaign: on the decision date, as the certificate
    and the published list name it."""
    return communes_then(commendations, day=campaign.decision_date)


def communes_when_nominated(nominations: list, *, campaign: Campaign) -> list:
    """`commune_then` of each nomination of a campaign: on the last day of its nomination window."""
    return communes_then(nominations, day=campaign.closes_on)


def last_rejection(nomination: Nomination) -> dict | None:
    """For a nomination the unit took back to correct after the province did not approve it (a draft or
    submitted again): the latest "not approved" in its history, `on` (the day) and `reason`, for its pages
    to keep saying what to correct. None otherwise (a rejected one shows its reason itself)."""
    if nomination.status not in (Nomination.Status.DRAFT, Nomination.Status.SUBMITTED):
        return None
    record = (
        nomination.history.filter(status=Nomination.Status.REJECTED)
        .order_by("-history_date", "-history_id")
        .values("reviewed_at", "history_date", "rejection_reason")
        .first()
    )
    if record is None:
        return None
    return {"on": record["reviewed_at"] or record["history_date"], "reason": record["rejection_reason"]}


def person_commendations(*, person, user):
    return (
        Commendation.objects.visible_to(user)
        .filter(person=person)
        .select_related("campaign", "branch")
        .order_by("-year", "-pk")
    )


def commendations_per_year(*, user, province=None) -> dict[int, int]:
    """Current (not revoked) commendations per year, for the charts. One query."""
    qs = Commendation.objects.visible_to(user).current()
    if province is not None:
        qs = qs.filter(province=province)
    return dict(qs.values_list("year").annotate(n=Count("pk")).order_by("year"))


def statistics(*, user, year: int | None = None, units: str = RECORDED) -> dict:
    """Commendations per year and per unit, as recorded (per district of the time; per province for the
    whole country) or rolled up to today's units (branches.rollup), and the share of women among the
    commended, and of Khmer, other minorities and party members among those of them within the reader's own
    scope. Revoked ones are left out. A fixed number of grouped queries."""
    from secretaries.choices import KHMER, KINH, Gender

    base = Commendation.objects.visible_to(user).current()
    if year:
        base = base.filter(year=year)
    # An officer reads the province's commendations (ProvinceWideQuerySet), and their people's ethnicity and
    # party membership only within their own scope (docs/domain.md): those shares count only the people
    # Person.visible_to lets them read (`personal_total` of them), in the same query.
    narrower = nominating_unit(user) is not None
    within = Q(person__in=Person.objects.visible_to(user)) if narrower else Q(pk__isnull=False)
    people = base.aggregate(
        total=Count("pk"),
        women=Count("pk", filter=Q(person__gender=Gender.FEMALE)),
        personal_total=Count("pk", filter=within),
        khmer=Count("pk", filter=within & Q(person__ethnicity=KHMER)),
        other_minorities=Count("pk", filter=within & ~Q(person__ethnicity__in=[KINH, KHMER])),
        party_members=Count("pk", filter=within & Q(person__is_party_member=True)),
    )
    # The whole country is read per province (696 district rows would say less and cost more to draw).
    group = grouping(
        user=user,
        mode=units,
        finest="district",
    )
    per_unit = defaultdict(lambda: defaultdict(int))
    years = set()
    for row in base.values(*group.fields, "year").annotate(n=Count("pk")).order_by():
        per_unit[group.key(row)][row["year"]] += row["n"]
        years.add(row["year"])
    found = group.units(per_unit)
    years = sorted(years)
    table = [
        {
            "unit": found.get(key),
            "level": key[0] if key else None,
            "counts": [per_unit[key].get(y, 0) for y in years],
            "total": sum(per_unit[key].values()),
        }
        for key in sorted(per_unit, key=lambda k: (1,) if k not in found else (0, *sort_key(k[0], found[k])))
    ]
    per_year = {y: sum(row["counts"][i] for row in table) for i, y in enumerate(years)}
    revoked = Commendation.objects.visible_to(user).filter(revoked_on__isnull=False)
    if year:
        revoked = revoked.filter(year=year)
    return {
        "people": people,
        "years": years,
        "per_year": per_year,
        "level": group.level,
        "units": units,
        "provinces": _province_groups(table),
        "table": table,
        "revoked": revoked.count(),
        # The shares of ethnicity and party membership count fewer than the table (the reader's own people).
        "personal_scope": narrower,
    }


def _province_groups(table: list[dict]) -> list[dict]:
    """The table's rows under their province (a header row with the province's totals), in table order."""
    groups: list[dict] = []
    for row in table:
        unit = row["unit"]
        province = None if unit is None else (unit if row["level"] == "province" else unit.province)
        if not groups or groups[-1]["province"] != province:
            groups.append({"province": province, "rows": [], "counts": [0] * len(row["counts"]), "total": 0})
        group = groups[-1]
        group["rows"].append(row)
        group["counts"] = [a + b for a, b in zip(group["counts"], row["counts"], strict=True)]
        group["total"] += row["total"]
    return groups


def status_counts(rows, *, unit=None) -> list[tuple[str, str, int]]:
    """(status, label, count) of a campaign's nominations over the units shown (all, or `unit`), from the
    quota-use rows of `quota_use` (no further query)."""
    shown = [r for r in rows if unit is None or r.unit.pk == unit.pk]
    order = [Nomination.Status.SUBMITTED, Nomination.Status.APPROVED, Nomination.Status.REJECTED]
    # Counted, the submitted are those still waiting: "Submitted" beside "All sent" read as every sent one.
    labels = {Nomination.Status.SUBMITTED: gettext("Submitted, waiting for review")}
    return [
        (
            status,
            labels.get(status, Nomination.Status(status).label),
            sum(getattr(r, FIELD_FOR[status]) for r in shown),
        )
        for status in [*order, Nomination.Status.DRAFT]
    ]
