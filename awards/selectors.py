"""Reads of commendation campaigns. Each takes the user and starts from `visible_to(user)`; each costs a fixed
number of queries whatever the number of districts, nominations or secretaries."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, Subquery, Value

from assessments.models import Assessment
from branches.models import District
from branches.rollup import RECORDED, grouping, sort_key
from secretaries.models import Person, Term

from .models import RATING_ORDER, Campaign, Commendation, Nomination, effective_quota, places_left

# Which QuotaUse count each nomination status adds to.
FIELD_FOR = {
    Nomination.Status.DRAFT: "draft",
    Nomination.Status.SUBMITTED: "submitted",
    Nomination.Status.APPROVED: "approved",
    Nomination.Status.REJECTED: "rejected",
}


@dataclass
class QuotaUse:
    """One district's place in a campaign: its quota and its nominations by status."""

    district: District
    quota: int
    draft: int = 0
    submitted: int = 0
    approved: int = 0
    rejected: int = 0

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


def quota_use(*, campaign: Campaign, user) -> list[QuotaUse]:
    """Per district of the campaign's province the user may see (a district officer: their own), in code
    order. Two queries."""
    districts = District.objects.filter(province=campaign.province_id).annotate(
        quota=effective_quota(
            campaign=campaign.pk, district=OuterRef("pk"), default=Value(campaign.default_quota)
        )
    )
    if user.is_district_officer:
        districts = districts.filter(pk=user.district_id)
    rows = {d.pk: QuotaUse(district=d, quota=d.quota) for d in districts.order_by("code")}
    counts = (
        Nomination.objects.visible_to(user)
        .filter(campaign=campaign, district__in=list(rows))
        .values("district", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in counts:
        use = rows[row["district"]]
        setattr(use, FIELD_FOR[row["status"]], row["n"])
    return list(rows.values())


def quota_totals(rows: list[QuotaUse]) -> dict:
    keys = ("quota", "draft", "submitted", "approved", "rejected", "used", "left", "total")
    return {k: sum(getattr(r, k) for r in rows) for k in keys}


@dataclass
class Candidate:
    """A secretary the district could nominate, with their assessment of the campaign's year."""

    person: Person
    branch_name: str
    commune_name: str
    score: object = None
    rating: str = ""
    nomination: Nomination | None = None

    @property
    def rating_label(self) -> str:
        from assessments.models import Rating

        return Rating(self.rating).label if self.rating else ""


def year_assessments(*, campaign: Campaign, person):
    """The assessment that counts for a campaign: the person's in the campaign's year, once submitted (a
    draft does not count). `person` is a person, an id or an OuterRef."""
    return Assessment.objects.filter(person=person, framework__year=campaign.year).exclude(
        status=Assessment.Status.DRAFT
    )


def with_year_assessment(queryset, *, campaign: Campaign):
    """`queryset` (rows with a `person`) annotated with the `score` and `rating` of year_assessments."""
    assessment = year_assessments(campaign=campaign, person=OuterRef("person"))
    return queryset.annotate(
        score=Subquery(assessment.values("overall_score")[:1]),
        rating=Subquery(assessment.values("rating")[:1]),
    )


def candidates(*, campaign: Campaign, district: District, user, limit: int = 50) -> list[Candidate]:
    """The district's current secretaries ranked by their assessment score in the campaign's year (highest
    first, unassessed last), each with the nomination already made for them; under a minimum rating, only
    those who reach it. At most `limit` rows, in three queries."""
    terms = (
        with_year_assessment(
            Term.objects.visible_to(user).secretaries().current().filter(branch__commune__district=district),
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
        )
        for term in terms
    ]


def nominations_for_review(*, campaign: Campaign, user):
    """The campaign's nominations the user may see, with what their rows show, district by district."""
    return (
        with_year_assessment(Nomination.objects.visible_to(user).filter(campaign=campaign), campaign=campaign)
        .select_related("person", "branch__commune", "district", "reviewed_by")
        .order_by("district__code", "person__sort_key", "pk")
    )


def published_commendations(*, campaign: Campaign, user):
    """The published list of a decided campaign, district by district (revoked ones included, marked)."""
    return (
        Commendation.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("person", "branch__commune__province", "district", "province", "nomination")
        .order_by("district__code", "person__sort_key", "pk")
    )


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
    whole country) or rolled up to today's units (branches.rollup), and the share of women, Khmer, other
    minorities and party members among the commended. Revoked ones are left out. A fixed number of grouped
    queries."""
    from secretaries.choices import KHMER, KINH, Gender

    base = Commendation.objects.visible_to(user).current()
    if year:
        base = base.filter(year=year)
    people = base.aggregate(
        total=Count("pk"),
        women=Count("pk", filter=Q(person__gender=Gender.FEMALE)),
        khmer=Count("pk", filter=Q(person__ethnicity=KHMER)),
        other_minorities=Count("pk", filter=~Q(person__ethnicity__in=[KINH, KHMER])),
        party_members=Count("pk", filter=Q(person__is_party_member=True)),
    )
    # The whole country is read per province (696 district rows would say less and cost more to draw).
    group = grouping(
        user=user, mode=units, recorded={"province": "province", "district": "district"}, finest="district"
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


def status_counts(rows, *, district=None) -> list[tuple[str, str, int]]:
    """(status, label, count) of a campaign's nominations over the districts shown (all, or `district`),
    from the quota-use rows of `quota_use` (no further query)."""
    shown = [r for r in rows if district is None or r.district.pk == district.pk]
    order = [Nomination.Status.SUBMITTED, Nomination.Status.APPROVED, Nomination.Status.REJECTED]
    return [
        (status, Nomination.Status(status).label, sum(getattr(r, FIELD_FOR[status]) for r in shown))
        for status in [*order, Nomination.Status.DRAFT]
    ]
