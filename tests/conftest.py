"""Personas that read like the org chart, and the strictness every test runs under.

Trà Vinh (84) with Tiểu Cần (846) and Càng Long (844) are the real units; "another province" is
Vĩnh Long (86). Each district has a commune and a branch, so every persona has something in scope
and something out of it.

Data built once for many tests: a module that only needs the world and the personas opts in with
`pytestmark = pytest.mark.usefixtures("world_once")` (see `world_once`); a module- or class-scoped
fixture of its own builds its data with `yield from shared_data(django_db_blocker, build)`.
"""

import contextlib
import inspect
import io
import logging
import pickle
from collections.abc import Callable, Iterator

import pytest
from django.db import connection, transaction
from django.db.models import Choices
from django.test.utils import CaptureQueriesContext

from core.planning import refresh_statistics

# Each worker's test database is a copy of one migrated template (PostgreSQL): tests/database.py.
from tests.database import cloned_test_database, django_db_createdb, django_db_keepdb  # noqa: F401
from tests.factories import (
    BranchFactory,
    CommuneFactory,
    DistrictFactory,
    ProvinceFactory,
    UserFactory,
    person_with_term,
)
from tests.login import forget_sessions, keep_sessions, login_verified

PASSWORD = "mat-khau-thu"


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete():
    """Empty the tables after a test that commits (a live-server journey, a transactional_db test) with
    DELETE instead of TRUNCATE (PostgreSQL).

    Such a test commits, so pytest-django flushes every table after it. PostgreSQL's TRUNCATE of
    ~50 tables costs seconds (new files for each, synced at commit) where DELETE of a journey's few rows
    takes milliseconds; the foreign keys are deferred, so the order does not matter. Content types and
    permissions are kept, as the migrations made them: recreating them after every journey is another
    second. Nor is the post_migrate signal sent after a flush that kept them: it checks them all again
    (66 queries, 40–60 ms after each such test)."""
    from django.core.management.commands import flush
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate, emit = DatabaseOperations.sql_flush, flush.emit_post_migrate_signal
    kept = {"django_content_type", "auth_permission"}
    flushed = {"kept": False}

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        flushed["kept"] = not (reset_sequences or allow_cascade)
        if not flushed["kept"]:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return [f"DELETE FROM {self.quote_name(table)}" for table in tables if table not in kept]

    def emit_post_migrate_signal(*args, **kwargs):
        if not flushed["kept"]:  # SQLite's flush, or a TRUNCATE: the content types are gone
            emit(*args, **kwargs)
        flushed["kept"] = False

    DatabaseOperations.sql_flush = sql_flush
    flush.emit_post_migrate_signal = emit_post_migrate_signal
    yield
    DatabaseOperations.sql_flush, flush.emit_post_migrate_signal = truncate, emit


def shared_data(django_db_blocker, build: Callable[[], object]) -> Iterator[object]:
    """For a module- or class-scoped fixture: `yield from shared_data(django_db_blocker, build)`.

    `build()` runs once inside a transaction that stays open until the fixture's scope ends and is then
    rolled back. Each test runs inside it in a savepoint of its own (pytest-django's `db` nests), so what
    a test writes is undone before the next one and every test sees the same data: Django's setUpTestData.
    The tests of that scope must not use transactional_db or live_server. Model instances the fixture
    returns are shared: a test that changes one in memory should copy it first (`world_once` does).
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            value = build()
            refresh_statistics()  # the planner sees the rows just built
            # The foreign keys are checked at commit, and a test's end checks them (Django's TestCase) inside
            # the test's savepoint: the rows built here would be checked again at the end of every test,
            # their checks undone with its savepoint (0.25–0.5 s a test after the demo). Checked once here.
            connection.check_constraints()
        except BaseException as error:
            atomic.__exit__(type(error), error, error.__traceback__)
            raise
    try:
        yield value
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# The fixtures of the world and the personas, as plain functions of the fixtures they need: pytest
# runs them per test as usual, and `world_once` runs them all once for a module.
SHAREABLE: dict[str, Callable] = {}


def shareable(func):
    """A fixture that `world_once` can build once per module. Written like any fixture; in a module that
    uses `world_once` it returns the test's own copy of the module's object instead of building it."""
    name = func.__name__
    SHAREABLE[name] = func
    parameters = inspect.signature(func).parameters

    def fixture(request, **dependencies):
        if "world_once" in request.fixturenames:
            # Each test unpickles its own copy of all the objects at once (as setUpTestData deep-copies,
            # ten times faster): a test may change them in memory, and world["tieu_can"] is still the
            # test's tieu_can_branch.
            objects = request.node.__dict__.get("world_once_objects")
            if objects is None:
                objects = request.node.world_once_objects = pickle.loads(
                    request.getfixturevalue("world_once")
                )
            return objects[name]
        return func(**dependencies)

    fixture.__name__ = name
    fixture.__doc__ = func.__doc__
    fixture.__signature__ = inspect.Signature(
        [inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD), *parameters.values()]
    )
    return pytest.fixture(name=name)(fixture)


def _build_all() -> dict:
    """Every shareable fixture's object, each built once, as pytest would resolve them."""
    built = {"db": None}

    def get(name):
        if name not in built:
            func = SHAREABLE[name]
            built[name] = func(**{arg: get(arg) for arg in inspect.signature(func).parameters})
        return built[name]

    return {name: get(name) for name in SHAREABLE}


_WORLD_ONCE = {"active": False}


class _PlainChoices(pickle.Pickler):
    """Pickles a choice (Term.Role.SECRETARY) as its plain value ("bi_thu"), as a row read from the
    database holds it: unpickling an enum member calls its class, and the world's few hundred of them
    were a third of each test's own set-up."""

    def reducer_override(self, obj):
        if isinstance(obj, Choices):
            value = obj.value
            return type(value), (value,)
        return NotImplemented


def _pickled(objects) -> bytes:
    buffer = io.BytesIO()
    _PlainChoices(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(objects)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def world_once(django_db_setup, django_db_blocker):
    """The world, the units and the personas built once for the whole module (~120 queries and three
    image encodings saved per test). Opt in with `pytestmark = pytest.mark.usefixtures("world_once")`:
    the fixtures keep their names and give each test its own copies; what a test writes, in the
    database or in the file storage, is undone before the next (see shared_data). Kept pickled, so the
    objects of a shareable fixture must pickle (model instances and files do)."""
    _WORLD_ONCE["active"] = True
    try:
        yield from shared_data(django_db_blocker, _build_world_once)
    finally:
        _WORLD_ONCE["active"] = False
        forget_sessions()


def _build_world_once() -> bytes:
    """The shareable objects, pickled, and a signed-in session of each persona and of the account without a
    role (tests.login.keep_sessions: an authenticator only for those who must pass a second factor)."""
    from django.test import Client

    objects = _build_all()
    users = [objects[name] for name in PERSONAS if name != "anonymous"] + [objects["no_role_user"]]
    keep_sessions(users, Client()._get_backend())
    return _pickled(objects)


@pytest.fixture(scope="module")
def tieu_can_secretary_account(world_once, django_db_blocker):
    """The account of the world's Tiểu Cần secretary (bithu.teo), for a world_once module: made once inside
    the module's transaction, with a kept signed-in session (login_verified costs no query)."""
    from django.test import Client

    with django_db_blocker.unblock():
        person = pickle.loads(world_once)["tieu_can_person"]
        account = UserFactory(username="bithu.teo", role="secretary", person=person)
        keep_sessions([account], Client()._get_backend())
    return account


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Every test of a world_once module uses the database: pytest-django, which runs the tests without
    it last, then keeps the module together and builds its world once, not twice."""
    for item in items:
        if "world_once" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.django_db)


@contextlib.contextmanager
def files_kept():
    """What the block changes in the file storage (an InMemoryStorage in the tests) is put back when it ends:
    each directory's entries as they were."""
    from django.core.files.storage import storages

    nodes, snapshot = [getattr(storages["default"], "_root", None)], []
    while nodes:
        node = nodes.pop()
        if node is not None and hasattr(node, "_children"):
            snapshot.append((node, dict(node._children)))
            nodes.extend(node._children.values())
    try:
        yield
    finally:
        for node, children in snapshot:
            node._children = children


@contextlib.contextmanager
def undone():
    """What the block writes, in the database (a savepoint rolled back) and in the file storage, is undone
    when it ends: for a test that asks one page as several personas in turn (tests/answers.py)."""
    with files_kept(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _strict(settings, caplog, request):
    """Fail a test on any logged error (a swallowed exception, a broken template) — not on 4xx."""
    settings.LANGUAGE_CODE = "vi"
    kept = contextlib.nullcontext()
    if "world_once" in request.fixturenames:
        if {"transactional_db", "live_server"} & set(request.fixturenames):
            pytest.fail("world_once keeps a transaction open: no transactional_db or live_server with it")
        kept = files_kept()  # the module's files stay as the world left them
    elif _WORLD_ONCE["active"]:
        # The module's world is in the database: this test would build a second one beside it.
        pytest.fail("world_once is in use in this module: opt in the whole module (pytestmark), not a part")
    with kept:
        yield
    errors = [
        r for r in caplog.records if r.levelno >= logging.ERROR and not r.name.startswith("django.request")
    ]
    assert not errors, [r.getMessage() for r in errors]


@shareable
def tra_vinh(db):
    return ProvinceFactory(code="84", name="Tỉnh Trà Vinh")


@shareable
def tieu_can(tra_vinh):
    return DistrictFactory(code="846", name="Huyện Tiểu Cần", province=tra_vinh)


@shareable
def cang_long(tra_vinh):
    return DistrictFactory(code="844", name="Huyện Càng Long", province=tra_vinh)


@shareable
def vinh_long(db):
    return ProvinceFactory(code="86", name="Tỉnh Vĩnh Long")


@shareable
def long_ho(vinh_long):
    return DistrictFactory(code="857", name="Huyện Long Hồ", province=vinh_long)


@shareable
def hieu_tu(tieu_can):
    return CommuneFactory(code="29350", name="Xã Hiếu Tử", district=tieu_can)


@shareable
def an_truong(cang_long):
    return CommuneFactory(code="29275", name="Xã An Trường", district=cang_long)


@shareable
def thanh_duc(long_ho):
    return CommuneFactory(code="29590", name="Xã Thanh Đức", district=long_ho)


@shareable
def tieu_can_branch(hieu_tu):
    return BranchFactory(commune=hieu_tu, name="Ấp Cây Gòn", member_count=32)


@shareable
def cang_long_branch(an_truong):
    return BranchFactory(commune=an_truong, name="Ấp Đại Đức", member_count=27)


@shareable
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


@shareable
def tieu_can_person(tieu_can_branch):
    """Nguyễn Văn Tèo, secretary of Ấp Cây Gòn (Tiểu Cần), with a portrait."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from secretaries.portraits import image_process
    from secretaries.services import person_update

    person = person_with_term(branch=tieu_can_branch, full_name="Nguyễn Văn Tèo", phone="0912 345 678")
    portrait = image_process(SimpleUploadedFile("teo.jpg", jpeg_bytes(), content_type="image/jpeg"))
    return person_update(person=person, portrait=portrait)


@shareable
def cang_long_person(cang_long_branch):
    return person_with_term(branch=cang_long_branch, full_name="Lê Thị Hồng Nhung", gender="nu")


@shareable
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
    return Framework.objects.get(year=migration.YEAR, province__isnull=True)


def _draft_assessment(person):
    """A complete 2026 draft for the world's Tiểu Cần secretary."""
    from assessments.services import assessment_save, framework_criteria

    framework = framework_2026()
    criteria = framework_criteria(framework)
    assessor = UserFactory(username="danhgia.tieucan", role="district_officer", district=person.district)
    return assessment_save(
        person=person, framework=framework, assessor=assessor, values={c.pk: 4 for c in criteria}
    )


@shareable
def administrator(db):
    return UserFactory(username="quantri", role="administrator", is_staff=True, is_superuser=True)


@shareable
def tra_vinh_staff(tra_vinh):
    return UserFactory(username="tinhdoan.travinh", role="provincial_staff", province=tra_vinh)


@shareable
def tieu_can_officer(tieu_can):
    return UserFactory(username="huyendoan.tieucan", role="district_officer", district=tieu_can)


@shareable
def cang_long_officer(cang_long):
    return UserFactory(username="huyendoan.canglong", role="district_officer", district=cang_long)


@shareable
def vinh_long_staff(vinh_long):
    return UserFactory(username="tinhdoan.vinhlong", role="provincial_staff", province=vinh_long)


@shareable
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
def query_counts(as_persona, count_queries):
    """query_counts(personas, pages, world) → {(persona, page name): queries}: each page, (name, url(world))
    pairs, asked once as each persona; a file (export) read to its end inside the count. `expected(persona,
    name)` gives a status other than 200.

    A module checks that its pages' counts do not grow with the data in one test: counts, then its data
    grown, then counts again (`assert_counts_did_not_grow`). Growing the data is what costs, so it is done
    once for all the pages and personas, not once for each."""

    def read(personas, pages, world, *, expected=None) -> dict[tuple[str, str], int]:
        counts = {}
        for persona in personas:
            client = as_persona(persona)
            for name, url in pages:
                status = expected(persona, name) if expected else 200
                with count_queries() as queries:
                    response = client.get(url(world))
                    if response.streaming:
                        b"".join(response.streaming_content)
                assert response.status_code == status, f"{persona}, {name}: {response.status_code}"
                counts[persona, name] = len(queries)
        return counts

    return read


def assert_counts_did_not_grow(small: dict, large: dict) -> None:
    """The counts of `query_counts` before and after the data grew are the same, page by page."""
    grown = [
        f"{persona}, {name}: {small[persona, name]} → {count}"
        for (persona, name), count in large.items()
        if count != small[persona, name]
    ]
    assert not grown, "queries grew with the data: " + "; ".join(grown)


@pytest.fixture
def count_queries(django_db_blocker):
    """with count_queries() as ctx: ...; len(ctx) is the number of queries run."""

    def make():
        return CaptureQueriesContext(connection)

    return make
