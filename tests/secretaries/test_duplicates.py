"""The person form warns of someone already in scope with the same name and date of birth (issue 13)."""

from django.urls import reverse

from secretaries.models import Person
from tests.factories import BranchFactory
from tests.secretaries.test_secretary_views import person_data


def test_same_name_and_birth_date_shows_the_existing_person(client, tieu_can_officer, world, hieu_tu):
    teo = world["tieu_can_person"]
    branch = BranchFactory(commune=hieu_tu, name="Ấp Trùng")
    client.force_login(tieu_can_officer)
    data = person_data(
        branch, full_name="nguyen van teo", date_of_birth=teo.date_of_birth.strftime("%d/%m/%Y")
    )
    response = client.post(reverse("secretaries:person_create"), data)
    assert response.status_code == 200
    assert "confirm_not_duplicate" in response.context["form"].errors
    page = response.content.decode()
    assert teo.get_absolute_url() in page and f"?person={teo.pk}" in page
    assert Person.objects.filter(name_key="nguyen van teo").count() == 1

    response = client.post(reverse("secretaries:person_create"), {**data, "confirm_not_duplicate": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(name_key="nguyen van teo").count() == 2


def test_someone_outside_scope_is_not_shown(client, cang_long_officer, world, an_truong):
    teo = world["tieu_can_person"]  # Tiểu Cần's: the Càng Long officer must not learn of him
    branch = BranchFactory(commune=an_truong, name="Ấp Khác")
    client.force_login(cang_long_officer)
    data = person_data(branch, full_name=teo.full_name, date_of_birth=teo.date_of_birth.strftime("%d/%m/%Y"))
    response = client.post(reverse("secretaries:person_create"), data)
    assert response.status_code == 302
