"""Commendation campaigns for the national benchmark data set: the `seed_scale` step `awards_step`.

Both worlds. Every old province (63, to 30/06/2025) ran a campaign each year from 2019 to 2025, decided,
per district: every district nominated three of its current secretaries, two or three of them approved and
commended, the others not approved with a reason. This year every new province (34, from 01/07/2025) runs
an open campaign per commune: 2 places by default, 3 for every tenth commune (a Quota row), and one
submitted nomination per commune waiting for review, from the secretaries of the branches attached to the
commune today (none while the benchmark's branches are still the old world's). About 14,000
commendations and 15,000 nominations in all. No history rows: a benchmark needs the rows, not their audit
trail. Each province draws from its own seeded generator and commits on its own, so an interrupted run resumes
after the last province done.
"""

import random
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from awards.models import Campaign, Commendation, Nomination, Quota
from branches.divisions import NEW_WORLD, OLD_WORLD
from branches.models import Commune, District, Province
from core.text import fold
from demo.scale.branches import BATCH_SIZE, ScaleOptions
from secretaries.models import Term

DECIDED_YEARS = range(2019, 2026)
NOMINATED_PER_DISTRICT = 3
WAITING_PER_COMMUNE = 1
COMMUNE_QUOTA = 2
SUMMARY = "Duy trì sinh hoạt chi đoàn đều đặn; vận động thanh niên tham gia các phong trào của địa phương."
REPORT = "Báo cáo thành tích của bí thư chi đoàn (dữ liệu thử nghiệm hiệu năng)."
REASON = "Chưa đủ tiêu chuẩn so với các trường hợp khác trong huyện."


def _decided_campaign(province_id: int, year: int) -> Campaign:
    title = f"Tuyên dương Bí thư Chi đoàn tiêu biểu năm {year}"
    return Campaign(
        province_id=province_id,
        year=year,
        title=title,
        title_key=fold(title),  # bulk_create skips save(), which keeps it
        opens_on=date(year, 9, 1),
        closes_on=date(year, 10, 15),
        default_quota=NOMINATED_PER_DISTRICT,
        status=Campaign.Status.DECIDED,
        decision_number=f"{year % 100:02d}{province_id % 100:02d}-QĐ/TĐTN",
        decision_date=date(year, 11, 20),
    )


@transaction.atomic
def _province_seed(province_id: int, code: str, *, seed: int, today: date) -> dict[str, int]:
    rng = random.Random(seed * 1_000_003 + 2_000 + int(code))
    secretaries = defaultdict(list)  # district → [(person, branch)]
    for district_id, person_id, branch_id in (
        Term.objects.secretaries()
        .current()
        .filter(branch__commune__province_id=province_id, branch__commune__district__isnull=False)
        .order_by("pk")
        .values_list("branch__commune__district_id", "person_id", "branch_id")
    ):
        secretaries[district_id].append((person_id, branch_id))
    districts = list(
        District.objects.filter(province_id=province_id).order_by("pk").values_list("pk", flat=True)
    )
    # The old provinces ended on 30/06/2025: their campaigns are the past years' (this year's is the new
    # province's, per commune).
    campaigns = Campaign.objects.bulk_create(
        [_decided_campaign(province_id, year) for year in DECIDED_YEARS if year < today.year]
    )
    nominations = []
    for campaign in campaigns:
        submitted_at = timezone.make_aware(
            datetime.combine(campaign.opens_on + timedelta(days=20), datetime.min.time())
        )
        for district_id in districts:
            pool = secretaries[district_id]
            count = NOMINATED_PER_DISTRICT
            for index, (person_id, branch_id) in enumerate(rng.sample(pool, min(count, len(pool)))):
                if index < 2 or rng.random() < 0.5:
                    status, reason = Nomination.Status.APPROVED, ""
                else:
                    status, reason = Nomination.Status.REJECTED, REASON
                nominations.append(
                    Nomination(
                        campaign=campaign,
                        person_id=person_id,
                        branch_id=branch_id,
                        district_id=district_id,
                        province_id=province_id,
                        summary=SUMMARY,
                        report=REPORT,
                        status=status,
                        rejection_reason=reason,
                        submitted_at=submitted_at,
                        reviewed_at=submitted_at + timedelta(days=30),
                    )
                )
    Nomination.objects.bulk_create(nominations, batch_size=BATCH_SIZE)
    commendations = Commendation.objects.bulk_create(
        [
            Commendation(
                nomination=n,
                campaign=n.campaign,
                person_id=n.person_id,
                branch_id=n.branch_id,
                district_id=n.district_id,
                province_id=province_id,
                year=n.campaign.year,
            )
            for n in nominations
            if n.status == Nomination.Status.APPROVED
        ],
        batch_size=BATCH_SIZE,
    )
    return {"campaigns": len(campaigns), "nominations": len(nominations), "commendations": len(commendations)}


@transaction.atomic
def _new_province_seed(province_id: int, code: str, *, seed: int, today: date) -> dict[str, int]:
    """This year's campaign of a province of the 2025 world: per commune."""
    rng = random.Random(seed * 1_000_003 + 3_000 + int(code))
    campaign = Campaign.objects.create(
        province_id=province_id,
        year=today.year,
        title=f"Tuyên dương Bí thư Chi đoàn tiêu biểu năm {today.year}",
        opens_on=today - timedelta(days=14),
        closes_on=today + timedelta(days=21),
        default_quota=COMMUNE_QUOTA,
        status=Campaign.Status.OPEN,
    )
    communes = list(
        Commune.objects.filter(province_id=province_id, ended_on__isnull=True)
        .order_by("code")
        .values_list("pk", flat=True)
    )
    Quota.objects.bulk_create(
        [Quota(campaign=campaign, commune_id=pk, quota=COMMUNE_QUOTA + 1) for pk in communes[::10]]
    )
    secretaries = defaultdict(list)  # commune → [(person, branch)]
    for commune_id, person_id, branch_id in (
        Term.objects.secretaries()
        .current()
        .filter(branch__commune__province_id=province_id)
        .order_by("pk")
        .values_list("branch__commune_id", "person_id", "branch_id")
    ):
        secretaries[commune_id].append((person_id, branch_id))
    submitted_at = timezone.make_aware(datetime.combine(today - timedelta(days=3), datetime.min.time()))
    nominations = [
        Nomination(
            campaign=campaign,
            person_id=person_id,
            branch_id=branch_id,
            commune_id=commune_id,
            province_id=province_id,
            summary=SUMMARY,
            report=REPORT,
            status=Nomination.Status.SUBMITTED,
            submitted_at=submitted_at,
        )
        for commune_id in communes
        for person_id, branch_id in rng.sample(
            secretaries[commune_id], min(WAITING_PER_COMMUNE, len(secretaries[commune_id]))
        )
    ]
    Nomination.objects.bulk_create(nominations, batch_size=BATCH_SIZE)
    return {"campaigns": 1, "nominations": len(nominations), "commendations": 0}


def awards_seed(*, seed: int = ScaleOptions.seed, today: date | None = None) -> dict[str, int]:
    """Campaigns of the provinces that have none yet; return the counts."""
    today = today or timezone.localdate()
    counts = {"campaigns": 0, "nominations": 0, "commendations": 0}
    done = set(Campaign.objects.values_list("province_id", flat=True).distinct())
    # The old world's provinces: the past years, per district; the new world's: this year, per commune.
    for world, province_seed in ((OLD_WORLD, _province_seed), (NEW_WORLD, _new_province_seed)):
        provinces = Province.objects.filter(world).exclude(pk__in=done)
        for pk, code in provinces.order_by("pk").values_list("pk", "code"):
            for key, value in province_seed(pk, code, seed=seed, today=today).items():
                counts[key] += value
    return counts


def awards_step(*, options: ScaleOptions, log) -> None:
    counts = awards_seed(seed=options.seed)
    if not counts["campaigns"]:
        log(f"Commendations: already seeded ({Commendation.objects.count():,} commendations), skipped.")
        return
    log(
        f"Commendations: {counts['campaigns']:,} campaigns, {counts['nominations']:,} nominations, "
        f"{counts['commendations']:,} commendations created."
    )
