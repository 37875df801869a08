"""The demo's seminars and models/solutions, in both worlds.

Tiểu Cần's seminar "Nâng cao chất lượng Bí thư Chi đoàn" (2021), under its programme "Xây dựng giá trị
hình mẫu thanh niên thời kỳ mới" (2019–2022), with the five themes the district discussed, fifteen of its
secretaries, outcomes, proposals (one done, one overdue) and three photos drawn with Pillow; the model
"Nâng cao kỹ năng điều hành, quản lý của bí thư chi đoàn ấp, khóm" applied in some Tiểu Cần communes; a
few seminars in other districts before they ended (30/06/2025). Today's (populate_seminars_today, after the
branches were re-attached): Tỉnh đoàn Vĩnh Long's of March 2026 and Đoàn xã Tập Ngãi's of April 2026, each
with proposals past their due date.

Deterministic (seeded) and idempotent: nothing is made when Trà Vinh (Vĩnh Long) has seminars already.
Everything goes through seminars.services, and photos through the same checks as an upload (image_process).
"""

import io
import random
from datetime import date

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw, ImageFont

from branches.models import Commune, District, Province
from core.text import fold
from demo.branches import DEMO_PROVINCE
from secretaries.models import Person, Term
from secretaries.portraits import image_process
from seminars.models import Initiative, Programme, Seminar
from seminars.services import photos_add, seminar_save

TIEU_CAN = "846"
PROGRAMME = "Xây dựng giá trị hình mẫu thanh niên thời kỳ mới"
MAIN_TITLE = "Nâng cao chất lượng Bí thư Chi đoàn"
INITIATIVE = "Nâng cao kỹ năng điều hành, quản lý của bí thư chi đoàn ấp, khóm"
INITIATIVE_COMMUNES = ["Xã Hiếu Tử", "Xã Phú Cần", "Xã Tân Hùng", "Xã Long Thới"]

MAIN_THEMES = [
    (
        "Giá trị hình mẫu thanh niên ở từng địa phương",
        "Mỗi xã, thị trấn nêu những tấm gương thanh niên tiêu biểu trong lao động sản xuất, lập nghiệp "
        "và giữ gìn an ninh trật tự; thống nhất các giá trị: yêu nước, tình nguyện, học tập, lập nghiệp.",
    ),
    (
        "Vai trò của bí thư chi đoàn trong việc tập hợp thanh niên tham gia hoạt động",
        "Bí thư chi đoàn là người gần thanh niên nhất; cần nắm tình hình đoàn viên, thanh niên đi làm ăn "
        "xa và đổi mới hình thức sinh hoạt cho phù hợp.",
    ),
    (
        "Rèn luyện phẩm chất, kỹ năng cần có của bí thư chi đoàn",
        "Kỹ năng điều hành cuộc họp, tổ chức hoạt động, ứng xử với đoàn viên và phối hợp với ban nhân dân "
        "ấp, các đoàn thể; nhiều bí thư còn lúng túng trong quản lý hồ sơ, sổ sách.",
    ),
    (
        "Thực trạng đội ngũ bí thư chi đoàn trên địa bàn huyện",
        "Đội ngũ trẻ, nhiệt tình nhưng thay đổi thường xuyên do đi làm ăn xa; một số chi đoàn còn khuyết "
        "bí thư hoặc bí thư kiêm nhiệm.",
    ),
    (
        "Chia sẻ các mô hình hoạt động hiệu quả",
        "Chi đoàn ấp Cây Gòn (Hiếu Tử) chia sẻ mô hình \u201cThắp sáng đường quê\u201d; chi đoàn ấp Sóc Cụt "
        "chia sẻ tổ hợp tác thanh niên trồng màu.",
    ),
]
MAIN_OUTCOME = (
    "Thống nhất các giá trị hình mẫu thanh niên Tiểu Cần thời kỳ mới; đánh giá thực trạng đội ngũ bí thư "
    "chi đoàn ấp, khóm; đề ra giải pháp nâng cao kỹ năng điều hành, quản lý cho bí thư chi đoàn, trong đó "
    "có mô hình \u201cNâng cao kỹ năng điều hành, quản lý của bí thư chi đoàn ấp, khóm\u201d."
)
MAIN_PROPOSALS = [
    {
        "text": "Mở lớp tập huấn kỹ năng điều hành, quản lý cho bí thư chi đoàn ấp, khóm toàn huyện.",
        "responsible": "Ban Thường vụ Huyện đoàn Tiểu Cần",
        "due_on": date(2021, 12, 31),
        "status": "hoan_thanh",
        "result": "Đã tập huấn 2 lớp cho 98 bí thư, phó bí thư chi đoàn trong tháng 11/2021.",
    },
    {
        "text": "Rà soát, kiện toàn bí thư các chi đoàn còn khuyết hoặc kiêm nhiệm.",
        "responsible": "Đoàn các xã, thị trấn",
        "due_on": date(2022, 6, 30),
        "status": "dang_thuc_hien",
        "result": "Đã kiện toàn 6/11 chi đoàn.",
    },
    {
        "text": "Biên soạn sổ tay bí thư chi đoàn ấp, khóm.",
        "responsible": "Văn phòng Huyện đoàn",
        "due_on": date(2022, 3, 31),
        "status": "dung",
        "result": "Dùng tài liệu của Tỉnh đoàn thay cho sổ tay riêng.",
    },
]
PHOTOS = [
    ("Toàn cảnh buổi tọa đàm", (176, 24, 38)),
    ("Bí thư chi đoàn ấp Cây Gòn chia sẻ mô hình", (0, 84, 147)),
    ("Các đại biểu chụp ảnh lưu niệm", (22, 120, 60)),
]

# Other districts, and the province itself (district code None): (district, title, held on, venue,
# themes, outcome, proposals as (text, responsible, due on, status, result)).
OTHER_SEMINARS = [
    (
        "844",
        "Bí thư chi đoàn với công tác tập hợp thanh niên",
        date(2023, 9, 15),
        "Hội trường Huyện đoàn Càng Long",
        ["Thanh niên đi làm ăn xa và cách giữ liên lạc", "Sinh hoạt chi đoàn gắn với sản xuất"],
        "Đề ra cách nắm thanh niên đi làm ăn xa qua nhóm Zalo của chi đoàn.",
        [
            (
                "Lập nhóm liên lạc thanh niên đi làm ăn xa ở mỗi ấp.",
                "Đoàn các xã",
                date(2023, 12, 31),
                "hoan_thanh",
                "Cả 14 xã, thị trấn đã lập.",
            )
        ],
    ),
    (
        "849",
        "Bí thư chi đoàn vùng đồng bào Khmer: kỹ năng và song ngữ",
        date(2024, 5, 10),
        "Chùa Sóc Chuối, xã Ngãi Xuyên",
        [
            "Sinh hoạt chi đoàn song ngữ Việt – Khmer",
            "Phối hợp với sư sãi, nhà chùa trong tập hợp thanh niên",
            "Kỹ năng tổ chức hoạt động cho bí thư chi đoàn mới",
        ],
        "Thống nhất tổ chức sinh hoạt song ngữ ở các chi đoàn có đông đoàn viên Khmer.",
        [
            (
                "Tập huấn song ngữ cho bí thư chi đoàn các ấp có đông đồng bào Khmer.",
                "Huyện đoàn Trà Cú",
                date(2024, 12, 31),
                "hoan_thanh",
                "Đã tập huấn 45 bí thư.",
            ),
            (
                "Biên soạn tài liệu sinh hoạt chi đoàn song ngữ.",
                "Huyện đoàn Trà Cú",
                date(2025, 6, 30),
                "dang_thuc_hien",
                "",
            ),
        ],
    ),
    (
        "848",
        "Đổi mới nội dung sinh hoạt chi đoàn ấp",
        date(2025, 5, 20),  # before the district ended (30/06/2025)
        "Hội trường UBND huyện Cầu Ngang",
        ["Sinh hoạt chuyên đề theo nhu cầu thanh niên", "Chuyển đổi số trong quản lý đoàn viên"],
        "Thí điểm sổ đoàn viên điện tử ở 5 chi đoàn.",
        [
            (
                "Thí điểm sổ đoàn viên điện tử.",
                "Huyện đoàn Cầu Ngang",
                date(2025, 12, 31),
                "dang_thuc_hien",
                "",
            )
        ],
    ),
]

# Today's seminars (from 01/07/2025), made after the branches were re-attached: the provincial Union of
# Vĩnh Long and the commune Union of Xã Tập Ngãi organise them (organiser: ("province" | "commune", code)).
TODAY_PROVINCE = "86"
TAP_NGAI = "29365"
TODAY_SEMINARS = [
    (
        ("province", TODAY_PROVINCE),
        "Bí thư chi đoàn sau sắp xếp đơn vị hành chính",
        date(2026, 3, 20),
        "Hội trường Tỉnh đoàn Vĩnh Long",
        [
            "Kiện toàn chi đoàn ấp, khóm sau sáp nhập xã",
            "Bồi dưỡng bí thư chi đoàn mới được bầu",
            "Ghi nhận, tuyên dương bí thư chi đoàn tiêu biểu",
        ],
        "Thống nhất lộ trình kiện toàn chi đoàn và bồi dưỡng bí thư sau sắp xếp đơn vị hành chính.",
        [
            (
                "Kiện toàn bí thư các chi đoàn ấp, khóm sau sáp nhập.",
                "Đoàn các xã, phường",
                date(2026, 6, 30),
                "dang_thuc_hien",
                "Đã kiện toàn khoảng 60%.",
            ),
            (
                "Mở lớp bồi dưỡng bí thư chi đoàn mới được bầu.",
                "Ban Tổ chức Tỉnh đoàn",
                date(2026, 9, 30),
                "de_xuat",
                "",
            ),
            (
                "Tổng kết mô hình nâng cao kỹ năng bí thư chi đoàn.",
                "Ban Tổ chức Tỉnh đoàn",
                date(2026, 12, 31),
                "de_xuat",
                "",
            ),
        ],
    ),
    (
        ("commune", TAP_NGAI),
        "Bí thư chi đoàn với phong trào thanh niên lập nghiệp ở xã mới",
        date(2026, 4, 25),
        "Hội trường Đảng ủy xã Tập Ngãi",
        [
            "Sinh hoạt chi đoàn ấp sau khi nhập xã Hiếu Tử và Tập Ngãi",
            "Tổ hợp tác thanh niên trồng màu, nuôi bò",
            "Kỹ năng điều hành cuộc họp chi đoàn",
        ],
        "Các chi đoàn ấp của hai xã cũ thống nhất lịch sinh hoạt chung; nhân rộng tổ hợp tác thanh niên.",
        [
            (
                "Thành lập tổ hợp tác thanh niên ở mỗi ấp có trên 30 đoàn viên.",
                "Ban Chấp hành Đoàn xã Tập Ngãi",
                date(2026, 9, 30),
                "dang_thuc_hien",
                "Đã thành lập ở 3 ấp.",
            ),
            (
                "Tập huấn kỹ năng điều hành cuộc họp cho bí thư chi đoàn ấp.",
                "Đoàn xã Tập Ngãi",
                date(2026, 10, 31),
                "de_xuat",
                "",
            ),
        ],
    ),
]


def _font(size: int):
    # DejaVu has the Vietnamese letters; Pillow's own font is the fallback where it is not installed.
    try:
        return ImageFont.truetype("DejaVuSans-Bold.ttf", size), True
    except OSError:
        return ImageFont.load_default(size=size), False


def photo_draw(rng: random.Random, caption: str, color: tuple[int, int, int]) -> bytes:
    """A 1200×800 JPEG of a meeting hall: a banner, a table, rows of attendees."""
    width, height = 1200, 800
    image = Image.new("RGB", (width, height), (236, 228, 214))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, 260), fill=(214, 204, 188))  # wall
    draw.rectangle((100, 40, width - 100, 200), fill=color)  # banner
    font, unicode_ok = _font(44)
    small, _ok = _font(30)
    title = f"TỌA ĐÀM {MAIN_TITLE.upper()}"
    lines = [title if unicode_ok else fold(title).upper(), "HUYỆN ĐOÀN TIỂU CẦN – 2021"]
    for index, line in enumerate(lines):
        text = line if unicode_ok else fold(line).upper()
        draw.text(
            (width / 2, 90 + index * 60), text, font=font if index == 0 else small, fill="white", anchor="mm"
        )
    draw.rectangle((300, 300, 900, 360), fill=(120, 72, 40))  # the chair's table
    for row in range(4):
        y = 440 + row * 90
        for seat in range(10):
            x = 120 + seat * 100 + rng.randint(-8, 8)
            shirt = rng.choice([(30, 80, 160), (240, 240, 240), (20, 110, 70)])
            draw.ellipse((x - 18, y - 60, x + 18, y - 24), fill=(rng.randint(150, 200), 120, 90))
            draw.rounded_rectangle((x - 30, y - 22, x + 30, y + 40), radius=12, fill=shirt)
    draw.text(
        (width / 2, height - 30),
        caption if unicode_ok else fold(caption),
        font=small,
        fill=(60, 60, 60),
        anchor="mm",
    )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _secretaries(district: District, held_on: date, count: int, rng: random.Random) -> list[Person]:
    """`count` people who were secretaries or deputies of the district's branches on `held_on` (others
    of the district when too few were), in a seeded order."""
    terms = Term.objects.filter(branch__commune__district=district).order_by("pk")
    serving = list(
        terms.filter(started_on__lte=held_on)
        .exclude(ended_on__lt=held_on)
        .values_list("person_id", flat=True)
        .distinct()
    )
    taken = set(serving)
    others = [pk for pk in terms.values_list("person_id", flat=True).distinct() if pk not in taken]
    chosen = rng.sample(serving, min(count, len(serving)))
    chosen += rng.sample(others, min(count - len(chosen), len(others)))
    return list(Person.objects.filter(pk__in=chosen))


def _officer(district_code: str | None):
    user_model = get_user_model()
    if district_code:
        return user_model.objects.filter(district__code=district_code).order_by("pk").first()
    return user_model.objects.filter(province__code=DEMO_PROVINCE).order_by("pk").first()


def _recorded_then(*, seminar: Seminar, user, **kwargs) -> Seminar:
    """A 2019–2025 seminar saved as its unit recorded it then, its proposals' follow-up included. Its unit has
    ended since, and an ended unit's account no longer records a follow-up (seminars.services.seminar_save):
    the record names its author, and is not saved as that account today."""
    seminar.created_by = user
    return seminar_save(seminar=seminar, **kwargs)


def populate_seminars(*, rng: random.Random) -> dict[str, int]:
    counts = {"seminars": 0, "participants": 0, "proposals": 0, "photos": 0, "initiatives": 0}
    province = Province.objects.get(code=DEMO_PROVINCE)
    if Seminar.objects.filter(province=province).exists():
        return counts
    rng = random.Random(rng.random())  # its own stream: the demo's other draws stay as they were
    tieu_can = District.objects.get(code=TIEU_CAN)
    programme, _created = Programme.objects.get_or_create(
        province=province, district=tieu_can, name=PROGRAMME, defaults={"from_year": 2019, "to_year": 2022}
    )
    held_on = date(2021, 10, 15)
    main = _recorded_then(
        seminar=Seminar(
            province=province,
            district=tieu_can,
            title=MAIN_TITLE,
            held_on=held_on,
            venue="Hội trường Huyện đoàn Tiểu Cần",
            chair="Bí thư Huyện đoàn Tiểu Cần",
            programme=programme,
            other_attendees=12,
            outcome=MAIN_OUTCOME,
        ),
        participants=_secretaries(tieu_can, held_on, 15, rng),
        themes=[{"title": title, "notes": notes} for title, notes in MAIN_THEMES],
        proposals=MAIN_PROPOSALS,
        user=_officer(TIEU_CAN),
    )
    images = [
        image_process(SimpleUploadedFile(f"anh-{n}.jpg", photo_draw(rng, caption, color), "image/jpeg"))
        for n, (caption, color) in enumerate(PHOTOS, start=1)
    ]
    photos_add(seminar=main, images=images, captions=[caption for caption, _color in PHOTOS])
    seminars = [main]

    initiative, created = Initiative.objects.get_or_create(
        province=province,
        district=tieu_can,
        name=INITIATIVE,
        defaults={
            "programme": programme,
            "from_year": 2021,
            "to_year": 2022,
            "description": (
                "Bồi dưỡng ba nhóm kỹ năng cho bí thư chi đoàn ấp, khóm: điều hành, quản lý; tổ chức "
                "hoạt động; ứng xử, xử lý các mối quan hệ. Mỗi xã chọn chi đoàn điểm, Huyện đoàn theo dõi "
                "hằng quý."
            ),
            "results": (
                "Các chi đoàn điểm sinh hoạt đều đặn hằng tháng; hồ sơ, sổ sách đầy đủ; bí thư chi đoàn tự "
                "tin điều hành cuộc họp và tổ chức hoạt động."
            ),
        },
    )
    initiative.communes.add(*Commune.objects.filter(district=tieu_can, name__in=INITIATIVE_COMMUNES))
    initiative.seminars.add(main)
    counts["initiatives"] += created

    for district_code, title, day, venue, themes, outcome, proposals in OTHER_SEMINARS:
        district = District.objects.get(code=district_code) if district_code else None
        if district is not None:
            participants = _secretaries(district, day, rng.randint(8, 12), rng)
        else:  # a province-level seminar: two secretaries from each district
            participants = []
            for each in District.objects.filter(province=province).order_by("code"):
                participants += _secretaries(each, day, 2, rng)
        seminars.append(
            _recorded_then(
                seminar=Seminar(
                    province=province,
                    district=district,
                    title=title,
                    held_on=day,
                    venue=venue,
                    other_attendees=rng.randint(5, 20),
                    outcome=outcome,
                ),
                participants=participants,
                themes=[{"title": theme, "notes": ""} for theme in themes],
                proposals=[
                    dict(zip(("text", "responsible", "due_on", "status", "result"), proposal, strict=True))
                    for proposal in proposals
                ],
                user=_officer(district_code),
            )
        )
    counts["seminars"] = len(seminars)
    counts["participants"] = sum(seminar.participants.count() for seminar in seminars)
    counts["proposals"] = sum(seminar.proposals.count() for seminar in seminars)
    counts["photos"] = main.photos.count()
    return counts


def _current_secretaries(communes, count: int, rng: random.Random) -> list[Person]:
    """`count` of today's secretaries and deputies of the branches of `communes`, in a seeded order."""
    people = list(
        Term.objects.current()
        .filter(branch__commune__in=communes)
        .order_by("pk")
        .values_list("person_id", flat=True)
        .distinct()
    )
    return list(Person.objects.filter(pk__in=rng.sample(people, min(count, len(people)))))


def populate_seminars_today(*, rng: random.Random) -> dict[str, int]:
    """Today's seminars (TODAY_SEMINARS): Tỉnh đoàn Vĩnh Long's (two secretaries from each of a few of its
    communes) and Đoàn xã Tập Ngãi's (its own secretaries), recorded by their own demo logins. Runs after
    the branches were re-attached to the new communes; nothing when Vĩnh Long has seminars already."""
    counts = {"seminars": 0, "participants": 0, "proposals": 0}
    province = Province.objects.filter(code=TODAY_PROVINCE, ended_on__isnull=True).first()
    if province is None or Seminar.objects.filter(province=province).exists():
        return counts
    rng = random.Random(rng.random())
    user_model = get_user_model()
    communes = Commune.objects.filter(province=province, ended_on__isnull=True)
    for (kind, code), title, day, venue, themes, outcome, proposals in TODAY_SEMINARS:
        commune = communes.filter(code=code).first() if kind == "commune" else None
        if kind == "commune" and commune is None:
            continue
        if commune is not None:
            participants = _current_secretaries([commune], rng.randint(8, 12), rng)
            user = user_model.objects.filter(commune=commune).order_by("pk").first()
        else:
            with_branches = list(communes.filter(branches__isnull=False).distinct().order_by("code")[:8])
            participants = []
            for each in with_branches:
                participants += _current_secretaries([each], 2, rng)
            user = user_model.objects.filter(province=province).order_by("pk").first()
        seminar = seminar_save(
            seminar=Seminar(
                province=province,
                commune=commune,
                title=title,
                held_on=day,
                venue=venue,
                other_attendees=rng.randint(5, 20),
                outcome=outcome,
            ),
            participants=participants,
            themes=[{"title": theme, "notes": ""} for theme in themes],
            proposals=[
                dict(zip(("text", "responsible", "due_on", "status", "result"), proposal, strict=True))
                for proposal in proposals
            ],
            user=user,
        )
        counts["seminars"] += 1
        counts["participants"] += seminar.participants.count()
        counts["proposals"] += seminar.proposals.count()
    return counts
