"""Whose assessment it is after a secretary moves district (assessments.selectors.assessed_elsewhere).

Nguyễn Văn Tèo was assessed (a draft) in Tiểu Cần, then moved to lead a branch in Càng Long. The
assessment stays with Tiểu Cần, which made it. Càng Long's officer sees Tèo in the commune grid, but the
row is read-only ("assessed by another unit"): the grid neither shows nor changes that assessment, and the
service refuses to start another one or to touch it.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from assessments.models import Assessment
from secretaries.services import term_appoint, term_end
from tests.assessments.conftest import all_scores
from tests.login import login_verified

# The world and the personas are built once for the module (tests/conftest.py: world_once).
pytestmark = pytest.mark.usefixtures("world_once")


@pytest.fixture
def moved(world, cang_long_branch):
    """Tèo's Tiểu Cần term ended; he now leads Ấp Đại Đức (Càng Long) as deputy secretary."""
    teo = world["tieu_can_person"]
    term_end(term=world["tieu_can_term"], ended_on=datetime.date(2026, 1, 31), reason="Chuyển nơi ở")
    term_appoint(
        person=teo,
        branch=cang_long_branch,
        role="bi_thu",
        started_on=datetime.date(2026, 2, 1),
        replace_current=True,
    )
    teo.refresh_from_db()
    assert teo.district == cang_long_branch.commune.district
    return teo


def grid(commune):
    return reverse("assessments:commune_grid", args=[commune.code])


def test_new_districts_grid_shows_the_row_read_only(client, cang_long_officer, moved, world, an_truong):
    client.force_login(cang_long_officer)
    response = client.get(grid(an_truong))
    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r.person == moved)
    assert row.elsewhere and row.locked and row.assessment is None
    assert "Đã được đơn vị khác đánh giá" in response.content.decode()
    assert all(cell.field.disabled and cell.value() is None for cell in row.bound_cells)  # no scores shown


def test_new_districts_grid_cannot_change_the_old_draft(
    client, cang_long_officer, moved, world, an_truong, criteria, framework
):
    old = world["tieu_can_assessment"]
    client.force_login(cang_long_officer)
    data = {"framework": framework.pk, "save": "1", f"c-{moved.pk}": "Ghi đè", f"v-{moved.pk}": "0"}
    data.update({f"s-{moved.pk}-{c.pk}": "1" for c in criteria})
    response = client.post(grid(an_truong), data)
    assert response.status_code == 302  # the read-only row is skipped, nothing else to save
    old.refresh_from_db()
    assert (old.overall_score, old.comment, old.district_id) == (4, "", world["tieu_can"].commune.district_id)
    assert Assessment.objects.filter(person=moved).count() == 1


def test_service_refuses_another_units_assessment(cang_long_officer, moved, world, framework, criteria):
    old = world["tieu_can_assessment"]
    with pytest.raises(ValidationError) as refused:
        services.assessment_save(
            person=moved, framework=framework, assessor=cang_long_officer, values=all_scores(criteria, 1)
        )
    assert refused.value.error_list[0].code == "assessed_elsewhere"
    # Handed the other unit's row directly (as the grid once did), it is not found in scope: refused too.
    with pytest.raises(ValidationError):
        services.assessment_save(
            person=moved,
            framework=framework,
            assessor=cang_long_officer,
            values=all_scores(criteria, 1),
            assessment=old,
        )
    old.refresh_from_db()
    assert old.overall_score == 4


def test_new_district_cannot_start_another_from_the_person_page(client, cang_long_officer, moved, framework):
    client.force_login(cang_long_officer)
    response = client.get(reverse("assessments:assessment_create") + f"?person={moved.pk}")
    assert response.status_code == 302 and response.url == moved.get_absolute_url()
    assert Assessment.objects.filter(person=moved).count() == 1


def test_old_district_keeps_its_assessment(client, tieu_can_officer, cang_long_officer, moved, world):
    old = world["tieu_can_assessment"]
    client.force_login(tieu_can_officer)
    assert client.get(reverse("assessments:assessment_update", args=[old.pk])).status_code == 200
    client.force_login(cang_long_officer)
    assert client.get(old.get_absolute_url()).status_code == 404


def test_provincial_staff_see_and_edit_it_in_the_grid(client, tra_vinh_staff, moved, world, an_truong):
    """Both districts are in the province's scope: the row is theirs to edit."""
    login_verified(client, tra_vinh_staff)
    row = next(r for r in client.get(grid(an_truong)).context["rows"] if r.person == moved)
    assert not row.elsewhere and row.assessment == world["tieu_can_assessment"]
