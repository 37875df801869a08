"""The public honour wall (Gương bí thư chi đoàn tiêu biểu): the published, not revoked commendations, open to
anyone without logging in, because the list is meant to be shown ("giáo dục bằng phương pháp nêu gương").

What it shows of a person is what the published decision says and nothing more: the name, the branch and
its units as they were on the decision date (a 2020 Trà Vinh commendation names Xã Hiếu Tử, Huyện Tiểu Cần,
not the commune of today), the summary of achievements, and the portrait only when the person agreed to
public showing (Person.may_be_shown_publicly). No birth date, phone, ethnicity, religion or party membership.

Caching: each page's rows are kept in Django's cache under a key derived from the data itself (a
fingerprint: one small aggregate over the province's commendations of that year: how many are current, the
latest change to their people, branches, nominations and campaign). Publishing, a revocation, a corrected
decision, a withdrawn consent or a new portrait each change the fingerprint, so the next request reads afresh
— in every worker process, whatever wrote the change (a service, the admin, another helper's page), without
each writer having to remember to bump a version. The rows are language-neutral (names and texts as
recorded), so one entry serves both languages. WALL_CACHE_SECONDS bounds how long an unused entry lives.
"""

import hashlib
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max, Q

from branches.selectors import branch_communes_on
from secretaries.choices import PublicConsent

from .certificate import position
from .models import Campaign, Commendation

CACHE_SECONDS = getattr(settings, "WALL_CACHE_SECONDS", 60 * 60)


def shown_commendations():
    """Everything the wall may show: commendations of a published decision, not revoked."""
    return Commendation.objects.filter(campaign__status=Campaign.Status.DECIDED, revoked_on__isnull=True)


def portrait_shown():
    """The commendations whose portrait the wall may serve: shown, the person agreed, a portrait exists."""
    return (
        shown_commendations()
        .filter(person__public_consent=PublicConsent.GIVEN)
        .exclude(person__portrait_thumbnail="")
    )


def _key(prefix: str, row: dict) -> str:
    digest = hashlib.sha256(repr(sorted(row.items())).encode()).hexdigest()[:24]
    # v2: the entries carry their position (certificate.position); an entry cached before has none.
    return f"wall:v2:{prefix}:{digest}"


def _fingerprint(queryset, *, people: bool = True) -> dict:
    """One aggregate that changes whenever anything the wall shows of these commendations changes (the
    index shows only counts: it leaves out the people, branches and nominations)."""
    parts = {
        "shown": Count("pk", filter=Q(revoked_on__isnull=True, campaign__status=Campaign.Status.DECIDED)),
        "last": Max("pk"),
        "campaigns": Max("campaign__updated_at"),
    }
    if people:
        parts |= {
            "people": Max("person__updated_at"),
            "branches": Max("branch__updated_at"),
            "nominations": Max("nomination__updated_at"),
        }
    return queryset.aggregate(**parts)


# ---------------------------------------------------------------------------------------------------
# The index: provinces and years


def wall_index() -> list[dict]:
    """[{province, name, years: [{year, count}]}] of every province with a shown commendation, provinces by
    name, years newest first. One query when cached, two otherwise."""
    fingerprint = _fingerprint(Commendation.objects.all(), people=False)
    key = _key("index", fingerprint)
    cached = cache.get(key)
    if cached is not None:
        return cached
    provinces: dict[int, dict] = {}
    rows = (
        shown_commendations()
        .values("province", "province__name", "year")
        .annotate(n=Count("pk"))
        .order_by("province__name", "province", "-year")
    )
    for row in rows:
        entry = provinces.setdefault(
            row["province"], {"province": row["province"], "name": row["province__name"], "years": []}
        )
        entry["years"].append({"year": row["year"], "count": row["n"]})
    result = list(provinces.values())
    cache.set(key, result, CACHE_SECONDS)
    return result


# ---------------------------------------------------------------------------------------------------
# One province's year


@dataclass
class WallEntry:
    pk: int
    name: str
    #: "Bí thư Chi đoàn ấp Cây Gòn, xã Hiếu Tử, huyện Tiểu Cần" (certificate.position)
    position: str
    summary: str
    portrait: bool


def wall_year(*, province_id: int, year: int) -> dict | None:
    """The shown commendations of one province's year, by nominating unit as recorded, with the decision;
    None when there is none (the view answers 404). One query when cached, four otherwise."""
    fingerprint = _fingerprint(Commendation.objects.filter(province_id=province_id, year=year))
    if not fingerprint["shown"]:
        return None
    key = _key(f"{province_id}:{year}", fingerprint)
    cached = cache.get(key)
    if cached is not None:
        return cached
    commendations = list(
        shown_commendations()
        .filter(province_id=province_id, year=year)
        .select_related(
            "person", "branch__commune__district", "district", "commune", "nomination", "campaign__province"
        )
        .order_by("district__code", "commune__code", "person__sort_key", "pk")
    )
    campaign = commendations[0].campaign
    # The commune each branch belonged to on the decision date, as the certificate and the list name it.
    communes = branch_communes_on([c.branch for c in commendations], campaign.decision_date)
    groups: list[dict] = []
    for commendation in commendations:
        commune = communes[commendation.branch_id]
        district = commendation.district or commune.district
        unit = commendation.unit
        if not groups or groups[-1]["unit"] != unit.pk:
            groups.append({"unit": unit.pk, "name": unit.name, "entries": []})
        person = commendation.person
        groups[-1]["entries"].append(
            asdict(
                WallEntry(
                    pk=commendation.pk,
                    name=person.full_name,
                    position=position(
                        commendation.branch.name,
                        commune.name,
                        *([district.name] if district is not None else []),
                    ),
                    summary=commendation.nomination.summary,
                    portrait=person.may_be_shown_publicly and bool(person.portrait_thumbnail),
                )
            )
        )
    result = {
        "province": {"pk": province_id, "name": campaign.province.name},
        "year": year,
        "title": campaign.title,
        "decision_number": campaign.decision_number,
        "decision_date": campaign.decision_date,
        "total": len(commendations),
        "groups": groups,
    }
    cache.set(key, result, CACHE_SECONDS)
    return result
