"""Seminars in Django admin: the portal's refusal of a seminar recorded twice holds there too."""

import datetime

from django.urls import reverse

from seminars.models import Seminar
from tests.test_versioning import login, open_form


def test_admin_refuses_a_second_record_of_one_seminar(client, administrator, world):
    """Another seminar of the same district given the first one's day and title (in other letter case) is
    refused next to the title, and nothing changes; a different title saves."""
    first = world["tieu_can_seminar"]
    other = Seminar.objects.create(
        province=first.province,
        district=first.district,
        title="Sinh hoạt chuyên đề",
        held_on=datetime.date(2021, 9, 1),
    )
    url = reverse("admin:seminars_seminar_change", args=[other.pk])
    form = open_form(login(client, administrator), url)

    response = client.post(url, {**form, "title": first.title.upper(), "held_on": "15/06/2021"})

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors.as_data()
    assert [e.code for e in errors["title"]] == ["duplicate"]
    other.refresh_from_db()
    assert (other.title, other.held_on) == ("Sinh hoạt chuyên đề", datetime.date(2021, 9, 1))

    response = client.post(url, {**form, "title": "Sinh hoạt chuyên đề tháng 6", "held_on": "15/06/2021"})
    assert response.status_code == 302
    other.refresh_from_db()
    assert (other.title, other.held_on) == ("Sinh hoạt chuyên đề tháng 6", datetime.date(2021, 6, 15))
