"""Personas that read like the org chart, and the strictness every test runs under.

Trà Vinh (84) with Tiểu Cần (846) and Càng Long (844) are the real units; "another province" is
Vĩnh Long (86). Each district has a commune and a branch, so every persona has something in scope
and something out of it.
"""

import logging

import pytest
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    BranchFactory,
    CommuneFactory,
    DistrictFactory,
    ProvinceFactory,
    UserFactory,
    person_with_term,
)
from tests.login import login_verified

PASSWORD = "mat-khau-thu"


@pytest.fixture(autouse=True)
def _strict(settings, caplog):
    """Fail a test on any logged error (a swallowed exception, a broken template) — not on 4xx."""
    settings.LANGUAGE_CODE = "vi"
    yield
    errors = [
        r for r in caplog.records if r.levelno >= logging.ERROR and not r.name.startswith("django.request")
    ]
    assert not errors, [r.getMessage() for r in errors]


@pytest.fixture
def tra_vinh(db):
    return ProvinceFactory(code="84", name="Tỉnh Trà Vinh")


@pytest.fixture
def tieu_can(tra_vinh):
    return DistrictFactory(code="846", name="Huyện Tiểu Cần", province=tra_vinh)


@pytest.fixture
def cang_long(tra_vinh):
    return DistrictFactory(code="844", name="Huyện Càng Long", province=tra_vinh)


@pytest.fixture
def vinh_long(db):
    return ProvinceFactory(code="86", name="Tỉnh Vĩnh Long")


@pytest.fixture
def long_ho(vinh_long):
    return DistrictFactory(code="857", name="Huyện Long Hồ", province=vinh_long)


@pytest.fixture
def hieu_tu(tieu_can):
    return CommuneFactory(code="29350", name="Xã Hiếu Tử", district=tieu_can)


@pytest.fixture
def an_truong(cang_long):
    return CommuneFactory(code="29275", name="Xã An Trường", district=cang_long)


@pytest.fixture
def thanh_duc(long_ho):
    return CommuneFactory(code="29590", name="Xã Thanh Đức", district=long_ho)


@pytest.fixture
def tieu_can_branch(hieu_tu):
    return BranchFactory(commune=hieu_tu, name="Ấp Cây Gòn", member_count=32)


@pytest.fixture
def cang_long_branch(an_truong):
    return BranchFactory(commune=an_truong, name="Ấp Đại Đức", member_count=27)


@pytest.fixture
def vinh_long_branch(thanh_duc):
    return BranchFactory(commune=thanh_duc, name="Ấp Phước Ngươn", member_count=41)


def jpeg_bytes(size=(64, 80), color=(200, 40, 40), exif_gps: bool = False) -> bytes:
    """A small JPEG; with exif_gps, it carries a GPS position like a phone photo does."""
    import io

    from PIL import Image

    image = Image.new("RGB", size, color)
    buffer = io.BytesIO()
    if exif_gps:
        exif = Image.Exif()
        exif[0x8825] = {1: "N", 2: (9.0, 48.0, 0.0), 3: "E", 4: (106.0, 0.0, 0.0)}
        exif[0x010F] = "PhoneMaker"
        image.save(buffer, format="JPEG", exif=exif)
    else:
        image.save(buffer, format="JPEG")
    return buffer.getvalue()


@pytest.fixture
def tieu_can_person(tieu_can_branch):
    """Nguyễn Văn Tèo, secretary of Ấp Cây Gòn (Tiểu Cần), with a portrait."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from secretaries.portraits import image_process
    from secretaries.services import person_update

    person = person_with_term(branch=tieu_can_branch, full_name="Nguyễn Văn Tèo", phone="0912 345 678")
    portrait = image_process(SimpleUploadedFile("teo.jpg", jpeg_bytes(), content_type="image/jpeg"))
    return person_update(person=person, portrait=portrait)


@pytest.fixture
def cang_long_person(cang_long_branch):
    return person_with_term(branch=cang_long_branch, full_name="Lê Thị Hồng Nhung", gender="nu")


@pytest.fixture
def world(tieu_can_branch, cang_long_branch, vinh_long_branch, tieu_can_person, cang_long_person):
    """One branch in each of Tiểu Cần, Càng Long and Vĩnh Long; a secretary in the first two."""
    return {
        "tieu_can": tieu_can_branch,
        "cang_long": cang_long_branch,
        "vinh_long": vinh_long_branch,
        "tieu_can_person": tieu_can_person,
        "tieu_can_term": tieu_can_person.terms.get(),
        "cang_long_person": cang_long_person,
        "tieu_can_assessment": _draft_assessment(tieu_can_person),
        **_seminar_world(tieu_can_person),
        **_awards_world(tieu_can_person, cang_long_person),
    }


def _seminar_world(person):
    """A Tiểu Cần seminar (Tèo attended; one theme, one open proposal, one photo) and a model/solution."""
    import datetime

    from django.core.files.uploadedfile import SimpleUploadedFile

    from secretaries.portraits import image_process
    from seminars.models import Initiative, Seminar
    from seminars.services import photos_add, seminar_save

    district = person.district
    seminar = seminar_save(
        seminar=Seminar(
            province=district.province,
            district=district,
            title="Nâng cao chất lượng Bí thư Chi đoàn",
            held_on=datetime.date(2021, 6, 15),
            venue="Hội trường Huyện đoàn",
        ),
        participants=[person],
        themes=[{"title": "Vai trò của bí thư chi đoàn", "notes": ""}],
        proposals=[
            {
                "text": "Tập huấn kỹ năng điều hành",
                "responsible": "Huyện đoàn",
                "due_on": datetime.date(2021, 12, 31),
                "status": "de_xuat",
            }
        ],
    )
    photo = photos_add(
        seminar=seminar,
        images=[image_process(SimpleUploadedFile("a.jpg", jpeg_bytes(), content_type="image/jpeg"))],
        captions=["Toàn cảnh"],
    )[0]
    initiative = Initiative.objects.create(
        province=district.province,
        district=district,
        name="Nâng cao kỹ năng điều hành, quản lý",
        from_year=2019,
    )
    return {"tieu_can_seminar": seminar, "tieu_can_photo": photo, "tieu_can_initiative": initiative}


def _awards_world(tieu_can_person, cang_long_person):
    """Trà Vinh's commendation campaigns: 2020 decided (Tèo of Tiểu Cần and Nhung of Càng Long commended),
    this year's open (one submitted nomination from each of the two districts, quota 2) and next year's
    still a draft. Written directly, not through awards.services (tests/awards/test_services.py covers
    them): this runs before every matrix case, so it keeps to a handful of queries."""
    import datetime

    from django.utils import timezone

    from awards.models import Campaign, Commendation, Nomination

    province = tieu_can_person.province
    today = timezone.localdate()
    submitted_at = timezone.now()

    def nominate(campaign, person, status):
        term = person.terms.get()
        return Nomination.objects.create(
            campaign=campaign,
            person=person,
            branch=term.branch,
            district=person.district,
            province=province,
            summary=f"{person.full_name}: tổ chức tốt các phong trào của chi đoàn.",
            report="Báo cáo thành tích đầy đủ.",
            status=status,
            submitted_at=submitted_at,
        )

    def title(year):
        return f"Tuyên dương Bí thư Chi đoàn tiêu biểu năm {year}"

    decided = Campaign.objects.create(
        province=province,
        year=2020,
        title=title(2020),
        opens_on=datetime.date(2020, 9, 1),
        closes_on=datetime.date(2020, 10, 15),
        default_quota=3,
        status=Campaign.Status.DECIDED,
        decision_number="125/QĐ-TĐTN",
        decision_date=datetime.date(2020, 11, 20),
    )
    commendations = [
        Commendation.objects.create(
            nomination=nominate(decided, person, Nomination.Status.APPROVED),
            campaign=decided,
            person=person,
            branch=person.terms.get().branch,
            district=person.district,
            province=province,
            year=2020,
        )
        for person in (tieu_can_person, cang_long_person)
    ]
    campaign = Campaign.objects.create(
        province=province,
        year=today.year,
        title=title(today.year),
        opens_on=today - datetime.timedelta(days=10),
        closes_on=today + datetime.timedelta(days=20),
        default_quota=2,
        status=Campaign.Status.OPEN,
    )
    draft = Campaign.objects.create(
        province=province,
        year=today.year + 1,
        title=title(today.year + 1),
        opens_on=today + datetime.timedelta(days=300),
        closes_on=today + datetime.timedelta(days=330),
    )
    return {
        "decided_campaign": decided,
        "tieu_can_commendation": commendations[0],
        "cang_long_commendation": commendations[1],
        "campaign": campaign,
        "draft_campaign": draft,
        "tieu_can_nomination": nominate(campaign, tieu_can_person, Nomination.Status.SUBMITTED),
        "cang_long_nomination": nominate(campaign, cang_long_person, Nomination.Status.SUBMITTED),
    }


def framework_2026():
    """The framework a data migration seeds. Transactional tests (live server) flush every table after
    them, so the seed runs again here when needed (it does nothing when the year exists)."""
    import importlib

    from django.apps import apps

    from assessments.models import Framework

    migration = importlib.import_module("assessments.migrations.0002_default_framework")
    migration.seed(apps, None)
    return Framework.objects.get(year=migration.YEAR)


def _draft_assessment(person):
    """A complete 2026 draft for the world's Tiểu Cần secretary."""
    from assessments.services import assessment_save, framework_criteria

    framework = framework_2026()
    criteria = framework_criteria(framework)
    assessor = UserFactory(username="danhgia.tieucan", role="district_officer", district=person.district)
    return assessment_save(
        person=person, framework=framework, assessor=assessor, values={c.pk: 4 for c in criteria}
    )


@pytest.fixture
def administrator(db):
    return UserFactory(username="quantri", role="administrator", is_staff=True, is_superuser=True)


@pytest.fixture
def tra_vinh_staff(tra_vinh):
    return UserFactory(username="tinhdoan.travinh", role="provincial_staff", province=tra_vinh)


@pytest.fixture
def tieu_can_officer(tieu_can):
    return UserFactory(username="huyendoan.tieucan", role="district_officer", district=tieu_can)


@pytest.fixture
def cang_long_officer(cang_long):
    return UserFactory(username="huyendoan.canglong", role="district_officer", district=cang_long)


@pytest.fixture
def vinh_long_staff(vinh_long):
    return UserFactory(username="tinhdoan.vinhlong", role="provincial_staff", province=vinh_long)


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="chuaphanquyen")


PERSONAS = [
    "administrator",
    "tra_vinh_staff",
    "tieu_can_officer",
    "cang_long_officer",
    "vinh_long_staff",
    "anonymous",
]


@pytest.fixture
def as_persona(request, client, db):
    """as_persona("tieu_can_officer") → a test client logged in as that persona (or anonymous)."""

    def login(name: str):
        if name != "anonymous":
            login_verified(client, request.getfixturevalue(name))
        return client

    return login


@pytest.fixture
def count_queries(django_db_blocker):
    """with count_queries() as ctx: ...; len(ctx) is the number of queries run."""
    from django.db import connection

    def make():
        return CaptureQueriesContext(connection)

    return make
