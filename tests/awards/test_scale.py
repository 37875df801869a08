"""`seed_scale`'s commendation step on a small country of both worlds: the old provinces' past years per
district, this year's campaigns the new provinces', per commune."""

import datetime

import pytest

from awards.models import COMMUNE, DISTRICT, Campaign, Commendation, Nomination, Quota
from branches.divisions import REFORM_DAY
from demo.scale.awards import COMMUNE_QUOTA, DECIDED_YEARS, awards_seed
from tests.factories import BranchFactory, CommuneFactory, DistrictFactory, ProvinceFactory, person_with_term

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
LAST_DAY = REFORM_DAY - datetime.timedelta(days=1)


def test_both_worlds():
    old = ProvinceFactory(code="84", name="Tỉnh Trà Vinh", ended_on=LAST_DAY)
    district = DistrictFactory(code="846", province=old, ended_on=LAST_DAY)
    old_commune = CommuneFactory(code="29350", district=district, ended_on=LAST_DAY)
    for _ in range(3):
        person_with_term(branch=BranchFactory(commune=old_commune))
    new = ProvinceFactory(code="86", name="Tỉnh Vĩnh Long", began_on=REFORM_DAY)
    communes = [
        CommuneFactory(code=f"29{360 + n}", province=new, district=None, began_on=REFORM_DAY)
        for n in range(12)
    ]
    person_with_term(branch=BranchFactory(commune=communes[0]))

    counts = awards_seed(seed=7, today=TODAY)

    past = Campaign.objects.filter(province=old)
    assert sorted(past.values_list("year", flat=True)) == list(DECIDED_YEARS)
    assert {c.level for c in past.select_related("province")} == {DISTRICT}
    assert not past.exclude(status=Campaign.Status.DECIDED).exists()
    # bulk_create skips save(): the titles' folded copies are set by the seed (admin's search reads them)
    assert not past.filter(title_key="").exists()
    assert (
        Commendation.objects.filter(province=old, commune__isnull=True).count()
        == Commendation.objects.count()
    )
    [current] = Campaign.objects.filter(province=new).select_related("province")
    assert (current.year, current.level, current.status) == (TODAY.year, COMMUNE, Campaign.Status.OPEN)
    assert current.default_quota == COMMUNE_QUOTA
    assert list(Quota.objects.filter(campaign=current).values_list("commune__code", flat=True)) == [
        "29360",
        "29370",
    ]
    [waiting] = Nomination.objects.filter(campaign=current)
    assert (waiting.commune, waiting.district, waiting.status) == (
        communes[0],
        None,
        Nomination.Status.SUBMITTED,
    )
    assert counts["campaigns"] == len(DECIDED_YEARS) + 1
    assert awards_seed(seed=7, today=TODAY)["campaigns"] == 0  # a re-run adds nothing
