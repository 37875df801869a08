"""The demo's commendation campaigns, in both worlds.

2020, Tỉnh đoàn Trà Vinh: "Tuyên dương Bí thư Chi đoàn tiêu biểu năm 2020", decided, 24 secretaries commended
over the province's districts (27 nominated, three not approved with their reasons), each with a drawn
portrait so the published list shows faces. This year, Tỉnh đoàn Vĩnh Long: a campaign open for nominations
(window around today) with a quota per commune (2 by default, 3 for Xã Tập Ngãi and a few others), two
nominations submitted by Xã Tập Ngãi and one draft, one submitted by Xã Hùng Hòa, so both roles have work
waiting.

Deterministic (seeded) and idempotent: nothing is made when the province has campaigns already. Statuses move
through awards.services; the 2020 nominations are written directly because their nominees' eligibility was
judged in 2020 (some no longer lead a branch today).
"""

import io
import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from awards import services
from awards.models import Campaign, Commendation, Nomination
from branches.models import Commune, District, Province
from demo.branches import DEMO_PROVINCE
from secretaries.choices import PublicConsent
from secretaries.models import Term
from secretaries.portraits import image_process
from secretaries.services import person_update

# Today's province (from 01/07/2025) and the two demo commune Unions that nominate in its campaign.
CURRENT_PROVINCE = "86"
TAP_NGAI, HUNG_HOA = "29365", "29362"
DECIDED_YEAR = 2020
DECISION_NUMBER = "125-QĐ/TĐTN"
DECISION_DATE = date(2020, 11, 20)
# Who signed it for the Ban Thường vụ (a demo name): printed under the certificates' signature.
DECISION_SIGNER = "Trần Minh Đức"
# Commended per district in 2020, in district-code order (24 in all), and the nominations not approved.
COMMENDED_2020 = [3, 3, 3, 3, 3, 3, 2, 2, 2]
REJECTED_2020 = [
    "Chi đoàn chưa hoàn thành chỉ tiêu phát triển đoàn viên năm 2020.",
    "Hồ sơ thiếu xác nhận của Đảng ủy xã.",
    "Thời gian giữ chức bí thư chưa đủ 12 tháng.",
]
ACHIEVEMENTS = [
    "Duy trì sinh hoạt chi đoàn đều đặn hằng tháng; vận động {n} thanh niên tham gia tổ hợp tác trồng màu.",
    "Tổ chức công trình thanh niên “Thắp sáng đường quê” dài {n} trăm mét; kết nạp {k} đoàn viên mới.",
    "Vận động {n} thanh niên đi làm ăn xa giữ liên lạc với chi đoàn; chi đoàn xếp loại vững mạnh.",
    "Chủ trì mô hình “Ngày thứ Bảy tình nguyện” với {n} buổi ra quân; hỗ trợ {k} hộ nghèo sửa nhà.",
    "Phối hợp Ban nhân dân ấp tổ chức {n} buổi tuyên truyền pháp luật; không có thanh niên vi phạm.",
    "Thành lập câu lạc bộ thanh niên khởi nghiệp với {n} thành viên; giới thiệu {k} thanh niên có việc làm.",
]
REPORT = (
    "I. Sơ lược lý lịch\nBí thư Chi đoàn {branch}, {commune}.\n\n"
    "II. Thành tích đạt được\n{summary}\n"
    "Tham gia đầy đủ các lớp tập huấn kỹ năng do Huyện đoàn tổ chức; hoàn thành tốt nhiệm vụ được giao.\n\n"
    "III. Hình thức khen thưởng đã nhận\nGiấy khen của Huyện đoàn."
)
REPORT_2026 = (
    "I. Sơ lược lý lịch\nBí thư Chi đoàn {branch}, {commune}.\n\n"
    "II. Thành tích đạt được\n{summary}\n"
    "Tham gia đầy đủ các lớp tập huấn kỹ năng do Tỉnh đoàn tổ chức; hoàn thành tốt nhiệm vụ được giao.\n\n"
    "III. Hình thức khen thưởng đã nhận\nGiấy khen của Đoàn xã."
)
PORTRAIT_COLOURS = [
    (33, 87, 160),
    (20, 120, 90),
    (170, 60, 50),
    (120, 70, 150),
    (200, 130, 30),
    (40, 130, 150),
]


# Every fourth of the 2020 commended agreed to public showing (the wall shows both cases).
CONSENT_EVERY = 4
CONSENT_DATE = date(2020, 12, 1)


def portrait_draw(rng: random.Random) -> bytes:
    """A 360×480 JPEG head-and-shoulders silhouette on a plain background, like an ID photo."""
    image = Image.new("RGB", (360, 480), rng.choice(PORTRAIT_COLOURS))
    draw = ImageDraw.Draw(image)
    skin = (rng.randint(190, 230), rng.randint(150, 185), rng.randint(120, 150))
    shirt = rng.choice([(245, 245, 245), (30, 60, 130), (40, 110, 60)])
    draw.ellipse((40, 330, 320, 620), fill=shirt)  # shoulders
    draw.rectangle((155, 280, 205, 345), fill=skin)  # neck
    draw.ellipse((105, 110, 255, 300), fill=skin)  # face
    draw.chord((100, 90, 260, 230), 180, 360, fill=(30, 25, 20))  # hair
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _summary(rng: random.Random) -> str:
    return rng.choice(ACHIEVEMENTS).format(n=rng.randint(5, 30), k=rng.randint(2, 12))


def _officer(district: District):
    User = get_user_model()
    return User.objects.filter(role=User.Role.DISTRICT_OFFICER, district=district).first()


def _secretaries_on(district: District, day: date, count: int, rng: random.Random) -> list[Term]:
    """`count` secretary terms of the district that were running on `day`."""
    terms = list(
        Term.objects.secretaries()
        .filter(branch__commune__district=district, started_on__lte=day)
        .exclude(ended_on__lt=day)
        .select_related("person", "branch__commune")
        .order_by("pk")
    )
    return rng.sample(terms, min(count, len(terms)))


def _decided_campaign(province: Province, districts: list[District], staff, rng: random.Random) -> dict:
    campaign = Campaign.objects.create(
        province=province,
        year=DECIDED_YEAR,
        title=f"Tuyên dương Bí thư Chi đoàn tiêu biểu năm {DECIDED_YEAR}",
        opens_on=date(2020, 9, 1),
        closes_on=date(2020, 10, 15),
        default_quota=3,
        criteria=(
            "Bí thư chi đoàn ấp, khóm đang giữ chức vụ; chi đoàn xếp loại vững mạnh năm 2020; có mô hình, "
            "công trình thanh niên hiệu quả; gương mẫu, được đoàn viên, thanh niên tín nhiệm."
        ),
        status=Campaign.Status.OPEN,
        created_by=staff,
    )
    nominated, to_reject = [], []
    submitted_at = timezone.make_aware(datetime(2020, 10, 10, 9, 0))
    for district, commended in zip(districts, COMMENDED_2020, strict=False):
        extra = 1 if commended < campaign.default_quota else 0  # a full list, one of it not approved
        terms = _secretaries_on(district, date(2020, 10, 1), commended + extra, rng)
        for index, term in enumerate(terms):
            summary = _summary(rng)
            nomination = Nomination.objects.create(
                campaign=campaign,
                person=term.person,
                branch=term.branch,
                district=district,
                province=province,
                summary=summary,
                report=REPORT.format(
                    branch=term.branch.name, commune=term.branch.commune.name, summary=summary
                ),
                status=Nomination.Status.SUBMITTED,
                submitted_at=submitted_at,
                created_by=_officer(district),
            )
            (to_reject if index >= commended else nominated).append(nomination)
    # Closed and reviewed in 2020, as Tỉnh đoàn Trà Vinh did (its account records nothing dated later).
    services.campaign_close(campaign=campaign, user=staff, today=campaign.closes_on + timedelta(days=1))
    reviewed_at = timezone.make_aware(datetime(2020, 11, 12, 14, 0))
    for nomination in nominated:
        services.nomination_approve(nomination=nomination, reviewer=staff, at=reviewed_at)
    for nomination, reason in zip(to_reject, REJECTED_2020, strict=False):
        services.nomination_reject(nomination=nomination, reviewer=staff, reason=reason, at=reviewed_at)
    services.campaign_publish(
        campaign=campaign,
        decision_number=DECISION_NUMBER,
        decision_date=DECISION_DATE,
        decision_signer=DECISION_SIGNER,
        user=staff,
    )
    _backdate_2020(campaign, nominated + to_reject, staff, submitted_at=submitted_at, reviewed_at=reviewed_at)
    for nomination in nominated:
        if not nomination.person.portrait:
            portrait = image_process(SimpleUploadedFile("anh.jpg", portrait_draw(rng), "image/jpeg"))
            person_update(person=nomination.person, portrait=portrait)
    # A few of them agreed, in writing after the decision, to be shown on the public honour wall with their
    # portrait; the others appear there without one (awards/wall.py).
    consented = [n.person for n in nominated[::CONSENT_EVERY]]
    for person in consented:
        person.refresh_from_db()
        person.public_consent = PublicConsent.GIVEN
        person.public_consent_on = CONSENT_DATE
        person.save()
    return {"commended": len(nominated), "rejected": len(to_reject), "consented": len(consented)}


def _backdate_2020(campaign: Campaign, nominations: list, staff, *, submitted_at, reviewed_at) -> None:
    """The 2020 campaign's history as it happened: the services record it when the demo is loaded, by no one
    where no request tells who (the campaign's steps), and Tỉnh đoàn Trà Vinh records nothing dated after
    30/06/2025. Each record gets the moment of its step (created, closed, published; submitted, reviewed;
    commended on the decision) and who took it (the staff, or the district that nominated)."""
    created = timezone.make_aware(datetime(2020, 8, 25, 9, 0))
    closed = timezone.make_aware(datetime.combine(campaign.closes_on + timedelta(days=1), time(8, 0)))
    decided = timezone.make_aware(datetime.combine(DECISION_DATE, time(9, 0)))
    steps = list(campaign.history.order_by("history_id").values_list("pk", flat=True))
    for record, moment in zip(steps, (created, closed, decided), strict=True):
        campaign.history.filter(pk=record).update(history_date=moment, history_user=staff)
    for nomination in nominations:
        records = list(nomination.history.order_by("history_id").values_list("pk", flat=True))
        moments = ((submitted_at, nomination.created_by), (reviewed_at, staff))
        for record, (moment, user) in zip(records, moments, strict=True):
            nomination.history.filter(pk=record).update(history_date=moment, history_user=user)
    Commendation.history.filter(campaign_id=campaign.pk).update(history_date=decided, history_user=staff)


def _commune_officer(commune: Commune):
    User = get_user_model()
    return User.objects.filter(role=User.Role.COMMUNE_OFFICER, commune=commune).first()


def _secretaries_of(commune: Commune, count: int, rng: random.Random) -> list[Term]:
    """`count` current secretary terms of branches of the commune (today's)."""
    terms = list(
        Term.objects.secretaries()
        .current()
        .filter(branch__commune=commune)
        .select_related("person", "branch__commune")
        .order_by("pk")
    )
    return rng.sample(terms, min(count, len(terms)))


def _current_campaign(province: Province, staff, rng: random.Random, today: date) -> dict:
    """This year's campaign of Tỉnh đoàn Vĩnh Long: per commune (124 of them), 2 places by default, 3 for
    Xã Tập Ngãi (it absorbed Xã Hiếu Tử) and a few other large communes; open, with Tập Ngãi's and Hùng
    Hòa's first nominations in."""
    communes = {c.code: c for c in Commune.objects.filter(province=province, ended_on__isnull=True)}
    # Tập Ngãi and every 40th commune by code (four of them) get 3 places.
    larger = [TAP_NGAI, *sorted(communes)[::40]]
    campaign = services.campaign_save(
        campaign=Campaign(
            province=province,
            year=today.year,
            title=f"Tuyên dương Bí thư Chi đoàn tiêu biểu năm {today.year}",
            opens_on=today - timedelta(days=14),
            closes_on=today + timedelta(days=21),
            default_quota=2,
            criteria=(
                "Bí thư chi đoàn ấp, khóm đang giữ chức vụ; ưu tiên bí thư có kết quả đánh giá kỹ năng năm "
                f"{today.year} cao, có mô hình hiệu quả; Đoàn xã, phường gửi kèm báo cáo thành tích của "
                "từng người."
            ),
        ),
        quotas={communes[code]: 3 for code in dict.fromkeys(larger) if code in communes},
        user=staff,
    )
    campaign = services.campaign_open(campaign=campaign, user=staff)
    counts = {"submitted": 0, "drafts": 0}
    # Tập Ngãi has sent two and keeps a draft (one place left); Hùng Hòa has sent one.
    for code, submitted, drafts in ((TAP_NGAI, 2, 1), (HUNG_HOA, 1, 0)):
        commune = communes.get(code)
        officer = _commune_officer(commune) if commune else None
        if officer is None:
            continue
        for index, term in enumerate(_secretaries_of(commune, submitted + drafts, rng)):
            summary = _summary(rng)
            nomination = services.nomination_save(
                nomination=Nomination(
                    campaign=campaign,
                    person=term.person,
                    summary=summary,
                    report=REPORT_2026.format(branch=term.branch.name, commune=commune.name, summary=summary),
                ),
                user=officer,
                today=today,
            )
            if index < submitted:
                services.nomination_submit(nomination=nomination, user=officer, today=today)
                counts["submitted"] += 1
            else:
                counts["drafts"] += 1
    return counts


def populate_awards(*, rng: random.Random, today: date | None = None) -> dict[str, int]:
    """Trà Vinh's decided 2020 campaign, made with the units of its time: run before the branches are
    re-attached to the new communes."""
    province = Province.objects.get(code=DEMO_PROVINCE)
    counts = {"commended": 0, "rejected": 0, "consented": 0}
    if Campaign.objects.filter(province=province).exists():
        return counts
    rng = random.Random(rng.random())  # its own stream: the demo's other draws stay as they were
    User = get_user_model()
    staff = User.objects.filter(role=User.Role.PROVINCIAL_STAFF, province=province).first()
    districts = list(District.objects.filter(province=province).order_by("code"))
    counts.update(_decided_campaign(province, districts, staff, rng))
    return counts


def populate_current_awards(*, rng: random.Random, today: date | None = None) -> dict[str, int]:
    """This year's campaign of Tỉnh đoàn Vĩnh Long with its commune quotas and the first nominations of
    Xã Tập Ngãi and Xã Hùng Hòa: run after the branches are re-attached (commune officers nominate the
    secretaries of today's branches)."""
    counts = {"submitted": 0, "drafts": 0}
    province = Province.objects.filter(code=CURRENT_PROVINCE, ended_on__isnull=True).first()
    if province is None or Campaign.objects.filter(province=province).exists():
        return counts
    rng = random.Random(rng.random())
    today = today or timezone.localdate()
    User = get_user_model()
    staff = User.objects.filter(role=User.Role.PROVINCIAL_STAFF, province=province).first()
    counts.update(_current_campaign(province, staff, rng, today))
    return counts
