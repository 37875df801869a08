"""History is shown in Vietnam's time (issue 14): a change made at 04:00 on 02/12 in Vietnam (21:00 on 01/12
in UTC, as the database keeps it) reads 02/12, both as the moment of the change and as a changed value."""

import datetime

import pytest
from django.utils import timezone

from assessments.models import Assessment
from core.history import display_value, history_rows

pytestmark = pytest.mark.usefixtures("world_once")

MOMENT = datetime.datetime(2026, 12, 1, 21, 0, tzinfo=datetime.UTC)  # 04:00 on 02/12/2026 in Vietnam


def test_the_time_zone_is_vietnams(settings):
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh" and settings.USE_TZ
    assert timezone.localtime(MOMENT).strftime("%d/%m/%Y %H:%M") == "02/12/2026 04:00"


def test_history_rows_and_the_page_show_the_day_in_vietnam(client, tieu_can_officer, world):
    branch = world["tieu_can"]
    branch.member_count = (branch.member_count or 0) + 7
    branch.save()
    branch.history.filter(history_type="~").update(history_date=MOMENT)
    branch.history.exclude(history_type="~").update(history_date=MOMENT - datetime.timedelta(days=400))
    row = history_rows(branch.history)[0]
    assert (row.when.date(), row.when.hour) == (datetime.date(2026, 12, 2), 4)
    client.force_login(tieu_can_officer)
    html = client.get(branch.get_absolute_url()).content.decode()
    assert "04:00 02/12/2026" in html and "01/12/2026" not in html


def test_a_changed_moment_is_shown_in_vietnam_time():
    field = Assessment._meta.get_field("submitted_at")
    assert display_value(field, MOMENT, {}) == "04:00 02/12/2026"


def test_a_score_is_written_as_the_language_writes_it():
    """A changed score reads "4,00 → 2,82" in Vietnamese, as everywhere else (it read "4.00")."""
    from decimal import Decimal

    from django.utils import translation

    field = Assessment._meta.get_field("overall_score")
    with translation.override("vi"):
        assert display_value(field, Decimal("2.82"), {}) == "2,82"
    with translation.override("en"):
        assert display_value(field, Decimal("2.82"), {}) == "2.82"
    assert display_value(Assessment._meta.get_field("quarter"), 3, {}) == "3"


def test_a_count_is_grouped_as_the_language_writes_it_a_year_is_not(client, tieu_can_officer, world):
    """QA: a seminar's other attendees read "Người tham dự khác: 1200" on its page and "12 → 1200" in its
    history, beside "1.200 người khác" in its summary. A count is grouped in both (and in a stale edit's
    message, which writes values the same way); a year stays 2026."""
    from django.utils import translation

    from branches.models import Branch
    from seminars.models import Initiative, Seminar

    others = Seminar._meta.get_field("other_attendees")
    with translation.override("vi"):
        assert display_value(others, 1200, {}) == "1.200"
        assert display_value(Branch._meta.get_field("member_count"), 12000, {}) == "12.000"
        assert display_value(Initiative._meta.get_field("from_year"), 2026, {}) == "2026"
    with translation.override("en"):
        assert display_value(others, 1200, {}) == "1,200"
    seminar = world["tieu_can_seminar"]
    seminar.other_attendees = 1200
    seminar.save()
    client.force_login(tieu_can_officer)
    html = client.get(seminar.get_absolute_url()).content.decode()
    assert "Người tham dự khác: 1.200" in html and "1200" not in html


def test_one_save_is_one_row_of_history(world, tieu_can_officer):
    """A seminar saved with its participants writes two records (the row, then the relation); the history
    shows one, "Created", not a second, empty "Changed". A later change stays its own row."""
    from seminars.models import Seminar
    from seminars.services import seminar_save

    person = world["tieu_can_person"]
    seminar = seminar_save(
        seminar=Seminar(
            province=person.province,
            district=person.district,
            title="Một lần lưu",
            held_on=datetime.date(2024, 5, 2),
        ),
        participants=[person],
        themes=[],
        proposals=[],
    )
    assert seminar.history.count() == 2
    assert [row.action for row in history_rows(seminar.history)] == ["Tạo mới"]
    later = seminar.history.earliest("history_id")
    Seminar.history.filter(history_id=later.history_id).update(
        history_date=later.history_date - datetime.timedelta(minutes=5)
    )
    assert [row.action for row in history_rows(seminar.history)] == ["Sửa", "Tạo mới"]
