"""The demo's self-assessment round under Regulation 366-QĐ/TW: beside its annual 2026 framework (which
stays, on the 1–5 scale), Tỉnh đoàn Vĩnh Long assesses by quarter in points out of 100, secretaries first.

Four secretaries of Xã Tập Ngãi get their own account (bithu.tapngai1 … 4). The first went the whole way
in the third quarter (self-assessed, reviewed by Đoàn xã Tập Ngãi, confirmed by Tỉnh đoàn Vĩnh Long); in
the fourth quarter three have submitted their self-assessment, waiting for the commune's review, and the
fourth is still writing hers. Runs after populate_assessments (load_demo); once only.
"""

import random

from accounts.models import User
from assessments import self_services, services
from assessments.framework_services import framework_create_points
from assessments.models import Framework, Period
from branches.models import Commune, Province
from demo.accounts import DEMO_PASSWORD
from demo.assessments import CURRENT_YEAR, TODAY_PROVINCE
from secretaries.models import Term

QUARTERLY_NAME = (
    "Đánh giá, xếp loại Bí thư Chi đoàn theo quý năm {year} (Quy định 366-QĐ/TW) — Tỉnh đoàn Vĩnh Long"
)
SELF_COMMUNE = "29365"  # Xã Tập Ngãi (doanxa.tapngai)
ACCOUNTS = 4


def _values(rng: random.Random, criteria, level: float) -> dict:
    """Points near `level` (a share of each criterion's maximum)."""
    values = {}
    for criterion in criteria:
        share = min(1.0, max(0.3, rng.gauss(level, 0.1)))
        values[criterion.pk] = round(criterion.max_points * share)
    return values


def populate_self_assessments(*, rng: random.Random) -> dict[str, int]:
    counts = {"accounts": 0, "awaiting": 0, "drafts": 0, "confirmed": 0}
    province = Province.objects.filter(code=TODAY_PROVINCE, ended_on__isnull=True).first()
    commune = Commune.objects.filter(code=SELF_COMMUNE, ended_on__isnull=True).first()
    if province is None or commune is None:
        return counts
    if Framework.objects.filter(province=province, year=CURRENT_YEAR, period=Period.QUARTER).exists():
        return counts
    framework = framework_create_points(
        year=CURRENT_YEAR,
        province=province,
        name=QUARTERLY_NAME.format(year=CURRENT_YEAR),
        period=Period.QUARTER,
        self_assessment=True,
    )
    criteria = services.framework_criteria(framework)
    officer = User.objects.get(username="doanxa.tapngai")
    staff = User.objects.get(username="tinhdoan.vinhlong")
    terms = list(
        Term.objects.current()
        .secretaries()
        .filter(branch__commune=commune, branch__is_active=True, person__account__isnull=True)
        .select_related("person")
        .order_by("branch__name_key")[:ACCOUNTS]
    )
    secretaries = []
    for number, term in enumerate(terms, start=1):
        user = User.objects.create(
            username=f"bithu.tapngai{number}",
            last_name=term.person.full_name.rsplit(" ", 1)[0],
            first_name=term.person.full_name.rsplit(" ", 1)[-1],
            role=User.Role.SECRETARY,
            person=term.person,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        secretaries.append(user)
        counts["accounts"] += 1
    for number, user in enumerate(secretaries):
        level = rng.uniform(0.7, 0.95)
        if number == 0:
            # The whole procedure, in the third quarter.
            assessment = self_services.self_assessment_save(
                user=user, framework=framework, values=_values(rng, criteria, level), submit=True, quarter=3
            )
            self_services.assessment_review_save(
                assessment=assessment,
                assessor=officer,
                values=_values(rng, criteria, level - 0.05),
                group_comments={c.group_id: "Đánh giá đúng mức, cần phát huy." for c in criteria},
                submit=True,
            )
            assessment.refresh_from_db()
            services.assessment_confirm(assessment=assessment, user=staff)
            counts["confirmed"] += 1
        submit = number < len(secretaries) - 1
        self_services.self_assessment_save(
            user=user,
            framework=framework,
            values=_values(rng, criteria, level),
            comment="Đã tổ chức đủ các buổi sinh hoạt chi đoàn trong quý." if submit else "",
            submit=submit,
            quarter=4,
        )
        counts["awaiting" if submit else "drafts"] += 1
    return counts
