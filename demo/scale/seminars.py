"""Seminars for the national benchmark data set: the `seed_scale` step `seminars_step`.

Every district of the country held seven or eight seminars between 2019 and mid-2025 (districts ended on
1 July 2025), and every province one or two of its own (the old provinces' until they ended, today's since
01/07/2025): over 5,000 seminars, each with 3–5
themes, 5–20 participants drawn from the district's (or the province's) secretaries and 1–3 proposals,
some of them open and overdue. No photos and no history rows: a benchmark needs the rows, not their
files or audit trail. Each unit draws from its own seeded generator and units are taken in id order,
in chunks that each commit on their own, so an interrupted run resumes with the same data.
"""

import random
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from branches.divisions import OLD_WORLD, REFORM_DAY
from branches.models import District, Province, ProvinceSuccession
from core.text import fold
from demo.scale.branches import BATCH_SIZE, ScaleOptions
from secretaries.models import Person
from seminars.models import Proposal, Seminar, Theme, proposal_search_key

DISTRICT_SEMINARS = (7, 8)
PROVINCE_SEMINARS = (1, 2)
DISTRICTS_END = date(2025, 6, 30)
FIRST_DAY = date(2019, 1, 1)
CHUNK = 50  # units per transaction

# fmt: off
TITLES = [
    "Nâng cao chất lượng Bí thư Chi đoàn", "Bí thư chi đoàn với công tác tập hợp thanh niên",
    "Đổi mới nội dung sinh hoạt chi đoàn ấp, khóm",
    "Vai trò của bí thư chi đoàn trong xây dựng nông thôn mới",
    "Kỹ năng điều hành, quản lý của bí thư chi đoàn", "Bí thư chi đoàn với chuyển đổi số",
    "Thanh niên lập nghiệp: bí thư chi đoàn làm gì?", "Xây dựng giá trị hình mẫu thanh niên thời kỳ mới",
    "Bí thư chi đoàn và công tác phát triển đoàn viên", "Chia sẻ mô hình chi đoàn hoạt động hiệu quả",
]
THEMES = [
    "Giá trị hình mẫu thanh niên ở từng địa phương",
    "Vai trò của bí thư chi đoàn trong việc tập hợp thanh niên tham gia hoạt động",
    "Rèn luyện phẩm chất, kỹ năng cần có của bí thư chi đoàn",
    "Thực trạng đội ngũ bí thư chi đoàn trên địa bàn",
    "Chia sẻ các mô hình hoạt động hiệu quả",
    "Quản lý hồ sơ, sổ sách chi đoàn", "Tổ chức nghi thức Đoàn", "Nắm tình hình thanh niên đi làm ăn xa",
    "Phối hợp với ban nhân dân ấp và các đoàn thể", "Ứng dụng mạng xã hội trong sinh hoạt chi đoàn",
]
PROPOSALS = [
    ("Mở lớp tập huấn kỹ năng điều hành cho bí thư chi đoàn.", "Ban Thường vụ Huyện đoàn"),
    ("Rà soát, kiện toàn bí thư các chi đoàn còn khuyết.", "Đoàn các xã, thị trấn"),
    ("Biên soạn sổ tay bí thư chi đoàn ấp, khóm.", "Văn phòng Huyện đoàn"),
    ("Tổ chức hội thi bí thư chi đoàn giỏi.", "Ban Tổ chức Huyện đoàn"),
    ("Nhân rộng mô hình chi đoàn tiêu biểu.", "Đoàn các xã, thị trấn"),
    ("Hỗ trợ kinh phí sinh hoạt cho chi đoàn ấp khó khăn.", "Huyện đoàn"),
]
# fmt: on
STATUSES = [
    (Proposal.Status.DONE, 0.45),
    (Proposal.Status.IN_PROGRESS, 0.25),
    (Proposal.Status.PROPOSED, 0.20),
    (Proposal.Status.DROPPED, 0.10),
]


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def seminars_generate(
    *,
    rng: random.Random,
    province_id: int,
    district_id: int | None,
    people: list[int],
    count: int,
    first: date,
    last: date,
    today: date,
) -> list[tuple[Seminar, list[Theme], list[Proposal], list[int]]]:
    """`count` unsaved seminars of one unit, each with its themes, proposals and participants' ids."""
    result = []
    for _ in range(count):
        title = rng.choice(TITLES)
        held_on = _day(rng, first, last)
        seminar = Seminar(
            province_id=province_id,
            district_id=district_id,
            title=title,
            title_key=fold(title),
            held_on=held_on,
            venue="Hội trường Huyện đoàn" if district_id else "Hội trường Tỉnh đoàn",
            other_attendees=rng.randint(0, 25),
            outcome="Thống nhất giải pháp nâng cao chất lượng đội ngũ bí thư chi đoàn.",
        )
        themes = [
            Theme(order=order, title=title, notes="")
            for order, title in enumerate(rng.sample(THEMES, rng.randint(3, 5)), start=1)
        ]
        proposals = []
        for text, responsible in rng.sample(PROPOSALS, rng.randint(1, 3)):
            due_on = held_on + timedelta(days=rng.randint(60, 365))
            status = rng.choices([s for s, _w in STATUSES], weights=[w for _s, w in STATUSES])[0]
            if due_on > today and status == Proposal.Status.DONE:
                status = Proposal.Status.IN_PROGRESS
            proposals.append(
                Proposal(
                    text=text,
                    responsible=responsible,
                    due_on=due_on,
                    status=status,
                    search_key=proposal_search_key(text, responsible),
                )
            )
        participants = rng.sample(people, min(len(people), rng.randint(5, 20)))
        result.append((seminar, themes, proposals, participants))
    return result


def _store(drafts) -> int:
    with transaction.atomic():
        seminars = Seminar.objects.bulk_create([s for s, *_rest in drafts], batch_size=BATCH_SIZE)
        themes, proposals, links = [], [], []
        through = Seminar.participants.through
        for seminar, (_s, seminar_themes, seminar_proposals, participants) in zip(
            seminars, drafts, strict=True
        ):
            for theme in seminar_themes:
                theme.seminar_id = seminar.pk
                themes.append(theme)
            for proposal in seminar_proposals:
                proposal.seminar_id = seminar.pk
                proposals.append(proposal)
            links += [through(seminar_id=seminar.pk, person_id=person_id) for person_id in participants]
        Theme.objects.bulk_create(themes, batch_size=BATCH_SIZE)
        Proposal.objects.bulk_create(proposals, batch_size=BATCH_SIZE)
        through.objects.bulk_create(links, batch_size=BATCH_SIZE)
    return len(seminars)


def seminars_seed(*, seed: int = ScaleOptions.seed, today: date | None = None) -> dict[str, int]:
    """Seminars of the districts after the last district with seminars, then of the provinces if none
    has its own yet; return the counts."""
    today = today or timezone.localdate()
    counts = {"district": 0, "province": 0}
    done = Seminar.objects.filter(district__isnull=False).aggregate(last=Max("district_id"))["last"] or 0
    districts = list(
        District.objects.filter(pk__gt=done).order_by("pk").values_list("pk", "province_id", "code")
    )
    for start in range(0, len(districts), CHUNK):
        chunk = districts[start : start + CHUNK]
        people = defaultdict(list)
        for district_id, person_id in (
            Person.objects.filter(district_id__in=[pk for pk, *_ in chunk])
            .order_by("pk")
            .values_list("district_id", "pk")
        ):
            people[district_id].append(person_id)
        drafts = []
        for pk, province_id, code in chunk:
            rng = random.Random(seed * 1_000_003 + int(code))
            drafts += seminars_generate(
                rng=rng,
                province_id=province_id,
                district_id=pk,
                people=people[pk],
                count=rng.randint(*DISTRICT_SEMINARS),
                first=FIRST_DAY,
                last=DISTRICTS_END,
                today=today,
            )
        counts["district"] += _store(drafts)

    if not Seminar.objects.filter(district__isnull=True).exists():
        drafts = []
        # Each province's own: the old world's until they ended, today's provinces' since 01/07/2025 (with
        # the people of the provinces that went into them).
        successors = defaultdict(list)
        for predecessor, successor in ProvinceSuccession.objects.values_list("predecessor", "successor"):
            successors[successor].append(predecessor)
        for pk, code, old in (
            Province.objects.annotate(old=Q(OLD_WORLD)).order_by("pk").values_list("pk", "code", "old")
        ):
            rng = random.Random(seed * 1_000_003 + (1_000 if old else 2_000) + int(code))
            # Drawn from the province's first 400 people: enough variety, one cheap query.
            people = list(
                Person.objects.filter(province_id__in=[pk, *successors[pk]])
                .order_by("pk")
                .values_list("pk", flat=True)[:400]
            )
            drafts += seminars_generate(
                rng=rng,
                province_id=pk,
                district_id=None,
                people=people,
                count=rng.randint(*PROVINCE_SEMINARS),
                first=FIRST_DAY if old else REFORM_DAY,
                last=DISTRICTS_END if old else min(today, date(2026, 10, 31)),
                today=today,
            )
        counts["province"] += _store(drafts)
    return counts


def seminars_step(*, options: ScaleOptions, log) -> None:
    counts = seminars_seed(seed=options.seed)
    if not any(counts.values()):
        log(f"Seminars: already seeded ({Seminar.objects.count():,} seminars), skipped.")
        return
    log(
        f"Seminars: {counts['district']:,} district and {counts['province']:,} province-level seminars "
        f"created ({Seminar.objects.count():,} in all, {Seminar.participants.through.objects.count():,} "
        f"participations, {Proposal.objects.count():,} proposals)."
    )
