import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services
from assessments.models import Assessment, Criterion, Framework, SkillGroup
from tests.assessments.conftest import all_scores
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")


@pytest.fixture
def submitted(framework, criteria, world, tieu_can_officer):
    return services.assessment_save(
        person=world["tieu_can_person"],
        framework=framework,
        assessor=tieu_can_officer,
        values=all_scores(criteria, 4),
        submit=True,
    )


def test_assessment_belongs_to_the_units_of_its_branch(submitted, world):
    branch = world["tieu_can"]
    assert (submitted.branch, submitted.commune, submitted.district) == (
        branch,
        branch.commune,
        branch.commune.district,
    )


def test_one_assessment_per_person_and_framework(submitted, framework, criteria, tieu_can_officer, world):
    again = services.assessment_save(
        person=world["tieu_can_person"],
        framework=framework,
        assessor=tieu_can_officer,
        values=all_scores(criteria, 3),
    )
    assert again.pk == submitted.pk and Assessment.objects.count() == 1


def test_submitting_needs_every_score(framework, criteria, world, tieu_can_officer):
    with pytest.raises(ValidationError):
        services.assessment_save(
            person=world["tieu_can_person"],
            framework=framework,
            assessor=tieu_can_officer,
            values=all_scores(criteria, 4, c5=None),
            submit=True,
        )
    assert Assessment.objects.get().status == "nhap"  # the world's draft stays a draft


def test_confirm_locks_and_reopen_needs_a_reason(
    submitted, tra_vinh_staff, tieu_can_officer, criteria, framework, world
):
    with pytest.raises(PermissionDenied):
        services.assessment_confirm(assessment=submitted, user=tieu_can_officer)
    services.assessment_confirm(assessment=submitted, user=tra_vinh_staff)
    with pytest.raises(ValidationError):
        services.assessment_save(
            person=world["tieu_can_person"],
            framework=framework,
            assessor=tieu_can_officer,
            values=all_scores(criteria, 1),
        )
    with pytest.raises(ValidationError):
        services.assessment_reopen(assessment=submitted, user=tra_vinh_staff, reason="  ")
    services.assessment_reopen(assessment=submitted, user=tra_vinh_staff, reason="Sai điểm tiêu chí 1.2")
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.DRAFT and submitted.confirmed_by is None
    assert submitted.history.first().history_change_reason == "Sai điểm tiêu chí 1.2"


def test_returning_a_submitted_one_needs_the_province_and_a_reason(
    submitted, tra_vinh_staff, tieu_can_officer
):
    with pytest.raises(PermissionDenied):
        services.assessment_return(assessment=submitted, user=tieu_can_officer, reason="Sai")
    with pytest.raises(ValidationError) as refused:
        services.assessment_return(assessment=submitted, user=tra_vinh_staff, reason="  ")
    assert refused.value.code == "reason_required"
    services.assessment_return(assessment=submitted, user=tra_vinh_staff, reason="Thiếu minh chứng 2.1")
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.DRAFT and submitted.confirmed_by is None
    record = submitted.history.first()
    assert record.history_change_reason == "Thiếu minh chứng 2.1"
    # Never confirmed on the way back: no "Đã xác nhận" step in its history.
    assert Assessment.Status.CONFIRMED not in set(submitted.history.values_list("status", flat=True))


@pytest.mark.parametrize(
    ("start", "action", "allowed"),
    [
        ("nhap", "submit", True),
        ("da_gui", "submit", False),
        ("da_xac_nhan", "submit", False),
        ("nhap", "confirm", False),
        ("da_gui", "confirm", True),
        ("da_xac_nhan", "confirm", False),
        ("nhap", "reopen", False),
        ("da_gui", "reopen", False),
        ("da_xac_nhan", "reopen", True),
        ("nhap", "return", False),
        ("da_gui", "return", True),
        ("da_xac_nhan", "return", False),
    ],
)
def test_state_machine(start, action, allowed, framework, criteria, world, tieu_can_officer, tra_vinh_staff):
    assessment = services.assessment_save(
        person=world["tieu_can_person"],
        framework=framework,
        assessor=tieu_can_officer,
        values=all_scores(criteria, 4),
    )
    if start != "nhap":
        services.assessment_submit(assessment=assessment)
    if start == "da_xac_nhan":
        services.assessment_confirm(assessment=assessment, user=tra_vinh_staff)
    run = {
        "submit": lambda: services.assessment_submit(assessment=assessment),
        "confirm": lambda: services.assessment_confirm(assessment=assessment, user=tra_vinh_staff),
        "reopen": lambda: services.assessment_reopen(
            assessment=assessment, user=tra_vinh_staff, reason="Sửa"
        ),
        "return": lambda: services.assessment_return(
            assessment=assessment, user=tra_vinh_staff, reason="Sửa"
        ),
    }[action]
    if allowed:
        run()
        assessment.refresh_from_db()
        after = {"submit": "da_gui", "confirm": "da_xac_nhan", "reopen": "nhap", "return": "nhap"}[action]
        assert assessment.status == after
    else:
        with pytest.raises(ValidationError):
            run()
        assessment.refresh_from_db()
        assert assessment.status == start


def test_a_framework_in_use_cannot_change(submitted, framework):
    framework.refresh_from_db()
    framework.scale_max = 10
    with pytest.raises(ValidationError):
        framework.save()
    criterion = Criterion.objects.filter(group__framework=framework).first()
    criterion.name = "Khác"
    with pytest.raises(ValidationError):
        criterion.save()
    with pytest.raises(ValidationError):
        criterion.delete()
    with pytest.raises(ValidationError):
        SkillGroup.objects.create(framework=framework, order=9, name="Mới")
    framework.refresh_from_db()
    framework.name = "Bộ tiêu chí 2026 (đổi tên)"  # the name is not frozen
    framework.save()
    framework.refresh_from_db()
    assert (framework.name, framework.scale_max) == ("Bộ tiêu chí 2026 (đổi tên)", 5)


def test_copy_makes_next_years_framework(submitted, framework):
    copy = services.framework_copy(framework=framework, year=2027)
    assert [g.name for g in copy.groups.all()] == [g.name for g in framework.groups.all()]
    assert Criterion.objects.filter(group__framework=copy).count() == 11
    criterion = Criterion.objects.filter(group__framework=copy).first()
    criterion.name = "Điều hành sinh hoạt chi đoàn (sửa)"
    criterion.save()  # the copy is not in use, so it can change


def test_admin_shows_a_framework_in_use_read_only(submitted, framework, client, administrator):
    login_verified(client, administrator)
    html = client.get(reverse("admin:assessments_framework_change", args=[framework.pk])).content.decode()
    assert 'name="scale_max"' not in html
    response = client.post(
        reverse("admin:assessments_framework_changelist"),
        {"action": "copy_to_next_year", "_selected_action": [framework.pk]},
    )
    assert response.status_code == 302
    assert Framework.objects.filter(year=2027).exists()


def test_admin_lists_assessments_latest_entered_first(world, framework, criteria, client, administrator):
    """The national changelist reads through indexes: the latest entered first (the primary key), and the
    province filter offers the provinces that have assessments (EXISTS per province), as before."""
    from tests.factories import ProvinceFactory, person_with_term

    without = ProvinceFactory(code="01", name="Thành phố Hà Nội")
    latest = services.assessment_save(
        person=person_with_term(branch=world["vinh_long"]),
        framework=framework,
        assessor=administrator,
        values=all_scores(criteria, 3),
    )
    # Entered last, dated earlier: the order is the entry's, not the date's.
    Assessment.objects.filter(pk=latest.pk).update(assessed_on=datetime.date(2026, 1, 5))
    login_verified(client, administrator)
    with CaptureQueriesContext(connection) as queries:
        cl = client.get(reverse("admin:assessments_assessment_changelist")).context["cl"]
    assert [a.pk for a in cl.result_list] == [latest.pk, world["tieu_can_assessment"].pk]
    assert not any("DISTINCT" in q["sql"] for q in queries.captured_queries)
    [province_filter] = [f for f in cl.filter_specs if getattr(f, "field_path", None) == "province"]
    offered = {pk for pk, _name in province_filter.lookup_choices}
    assert offered == set(Assessment.objects.values_list("province", flat=True)) and len(offered) == 2
    assert without.pk not in offered


class TestViews:
    def test_district_officer_cannot_confirm(self, client, tieu_can_officer, submitted):
        client.force_login(tieu_can_officer)
        response = client.post(reverse("assessments:assessment_confirm", args=[submitted.pk]))
        assert response.status_code == 403
        submitted.refresh_from_db()
        assert submitted.status == Assessment.Status.SUBMITTED

    def test_staff_confirms_ticked_assessments(self, client, tra_vinh_staff, submitted):
        login_verified(client, tra_vinh_staff)
        client.post(reverse("assessments:assessment_confirm_many"), {"assessment": [submitted.pk]})
        submitted.refresh_from_db()
        assert submitted.status == Assessment.Status.CONFIRMED and submitted.confirmed_by == tra_vinh_staff

    def test_reopen_through_the_page(self, client, tra_vinh_staff, submitted):
        services.assessment_confirm(assessment=submitted, user=tra_vinh_staff)
        login_verified(client, tra_vinh_staff)
        url = reverse("assessments:assessment_reopen", args=[submitted.pk])
        assert "reason" in client.post(url, {"reason": ""}).context["form"].errors
        client.post(url, {"reason": "Nhập nhầm"})
        submitted.refresh_from_db()
        assert submitted.status == Assessment.Status.DRAFT

    def test_the_reopen_page_names_the_unit_that_corrects_it_under_breadcrumbs(
        self, client, tra_vinh_staff, submitted
    ):
        """Districts are gone: the page names the assessment's commune (or "the unit"), not "huyện", and sits
        under the assessment as the other assessment pages do."""
        services.assessment_confirm(assessment=submitted, user=tra_vinh_staff)
        login_verified(client, tra_vinh_staff)
        page = client.get(reverse("assessments:assessment_reopen", args=[submitted.pk])).text
        said = " ".join(page.split("data-reopen-who>")[1].split("</p>")[0].split())
        unit = "đơn vị" if submitted.commune.ended_on else submitted.commune.name
        assert f"trở về trạng thái nháp để {unit} sửa" in said and "huyện" not in said
        crumbs = page.split('class="breadcrumb small"')[1].split("</ol>")[0]
        assert reverse("assessments:assessment_list") in crumbs
        assert f'href="{submitted.get_absolute_url()}"' in crumbs and "Mở lại" in crumbs

    def test_the_history_names_the_workflow_steps(self, client, tra_vinh_staff, submitted):
        """Submitting, confirming and reopening each read as their step, not as an edit ("Sửa")."""
        services.assessment_confirm(assessment=submitted, user=tra_vinh_staff)
        services.assessment_reopen(assessment=submitted, user=tra_vinh_staff, reason="Sai điểm")
        submitted.refresh_from_db()
        services.assessment_submit(assessment=submitted)
        login_verified(client, tra_vinh_staff)
        history = client.get(submitted.get_absolute_url()).context["history"]
        assert [row.action for row in history][:3] == ["Gửi", "Mở lại", "Xác nhận"]
        assert history[1].reason == "Sai điểm" and history[1].step == "reopen"

    def test_the_province_returns_a_submitted_one_and_the_unit_reads_why(
        self, client, tra_vinh_staff, tieu_can_officer, submitted
    ):
        login_verified(client, tra_vinh_staff)
        detail = client.get(submitted.get_absolute_url()).text
        url = reverse("assessments:assessment_return", args=[submitted.pk])
        assert f'href="{url}"' in detail and "Trả lại" in detail
        page = client.get(url)
        assert page.status_code == 200 and "Trả lại" in page.text and 'name="reason"' in page.text
        assert "reason" in client.post(url, {"reason": ""}).context["form"].errors
        submitted.refresh_from_db()
        assert submitted.status == Assessment.Status.SUBMITTED
        assert client.post(url, {"reason": "Thiếu minh chứng tiêu chí 2.1"}).status_code == 302
        submitted.refresh_from_db()
        assert submitted.status == Assessment.Status.DRAFT
        assert f'href="{url}"' not in client.get(submitted.get_absolute_url()).text

        officer = client.__class__()
        login_verified(officer, tieu_can_officer)
        response = officer.get(submitted.get_absolute_url())
        said = " ".join(response.text.split("data-sent-back>")[1].split("</div>")[0].split())
        assert said.startswith("Trả lại:") and "Thiếu minh chứng tiêu chí 2.1" in said
        assert response.context["history"][0].action == "Trả lại"
        assert officer.get(url).status_code == 403

    def test_confirmed_cannot_be_edited_through_the_form(
        self, client, tieu_can_officer, tra_vinh_staff, submitted
    ):
        services.assessment_confirm(assessment=submitted, user=tra_vinh_staff)
        client.force_login(tieu_can_officer)
        response = client.get(reverse("assessments:assessment_update", args=[submitted.pk]))
        assert response["Location"] == submitted.get_absolute_url()


def test_admin_pages_of_a_framework_in_use_ask_it_once(submitted, framework, client, administrator):
    """Django admin asks each inline's permissions for every row: whether the framework is in use is read
    once per page (it was 24 times on a framework's page), and an assessment's scores come with their
    criteria (a query a row before)."""
    login_verified(client, administrator)
    group = framework.groups.first()
    pages = [
        reverse("admin:assessments_framework_change", args=[framework.pk]),
        reverse("admin:assessments_skillgroup_change", args=[group.pk]),
        reverse("admin:assessments_assessment_change", args=[submitted.pk]),
    ]
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        statements = [q["sql"] for q in queries.captured_queries]
        in_use = [
            sql for sql in statements if 'FROM "assessments_assessment" WHERE' in sql and "LIMIT 1" in sql
        ]
        assert len(in_use) <= 1, (url, len(in_use))
        criteria = [sql for sql in statements if sql.startswith('SELECT "assessments_criterion"')]
        assert len(criteria) <= 1, (url, len(criteria))
