"""Provincial staff's framework pages: copy last year's, change the copy while unused (points out of 100,
periods, self-assessment, conditions), and nothing more once it is in use or when it is not theirs."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments.models import Framework, Method, Period, RatingCondition
from core.versioning import VERSION_FIELD
from tests.conftest import framework_2026

pytestmark = pytest.mark.usefixtures("world_once")


@pytest.fixture
def copied(as_persona, world):
    """Trà Vinh's staff copy the common 2026 framework for 2027, through the page."""
    client = as_persona("tra_vinh_staff")
    response = client.post(
        reverse("assessments:framework_copy", args=[framework_2026().pk]), {"year": "2027"}
    )
    copy = Framework.objects.get(year=2027, province=world["tieu_can"].commune.province)
    assert response.status_code == 302 and response.url == reverse(
        "assessments:framework_detail", args=[copy.pk]
    )
    return client, copy


def edit_data(framework, **changes) -> dict:
    data = {
        VERSION_FIELD: str(framework.version),
        "name": "Bộ tiêu chí 2027 (Quy định 366)",
        "method": Method.POINTS,
        "period": Period.QUARTER,
        "self_assessment": "on",
        "excellent_from": "90",
        "good_from": "70",
        "fulfilled_from": "50",
        "cond_xuat_sac_tieu_chi": "50",
    }
    for group, points in zip(framework.groups.order_by("order"), (30, 40, 30), strict=True):
        data[f"part_{group.pk}"] = group.name
        data[f"part_points_{group.pk}"] = str(points)
        criteria = list(group.criteria.order_by("order"))
        share, rest = divmod(points, len(criteria))
        for index, criterion in enumerate(criteria):
            data[f"crit_{criterion.pk}"] = criterion.name
            data[f"crit_points_{criterion.pk}"] = str(share + (1 if index < rest else 0))
    return {**data, **changes}


def test_copy_then_make_it_points_out_of_100(copied):
    client, copy = copied
    url = reverse("assessments:framework_edit", args=[copy.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, edit_data(copy))
    assert response.status_code == 302
    copy = Framework.objects.get(pk=copy.pk)
    assert (copy.method, copy.period, copy.self_assessment) == (Method.POINTS, Period.QUARTER, True)
    assert (copy.scale_min, copy.scale_max, copy.excellent_from) == (0, 100, Decimal("90.00"))
    assert copy.points_problems() == []
    assert list(copy.rating_conditions.values_list("rating", "kind", "min_percent")) == [
        ("xuat_sac", RatingCondition.Kind.CRITERION_FLOOR, Decimal("50.00"))
    ]
    page = client.get(reverse("assessments:framework_detail", args=[copy.pk]))
    assert "framework-problems" not in page.text and "framework-conditions" in page.text


def test_points_that_do_not_add_up_are_shown(copied):
    client, copy = copied
    first_group = copy.groups.get(order=1)
    client.post(
        reverse("assessments:framework_edit", args=[copy.pk]),
        edit_data(copy, **{f"part_points_{first_group.pk}": "25"}),
    )
    page = client.get(reverse("assessments:framework_detail", args=[copy.pk]))
    assert "framework-problems" in page.text and "95" in page.text


def test_thresholds_out_of_order_are_refused(copied):
    client, copy = copied
    response = client.post(
        reverse("assessments:framework_edit", args=[copy.pk]), edit_data(copy, good_from="95")
    )
    assert response.status_code == 200 and Framework.objects.get(pk=copy.pk).method == Method.SCALE


def test_a_framework_in_use_or_not_ones_own_is_not_changed(copied, as_persona):
    client, copy = copied
    # The common one (in use by the world's draft): staff may read and copy it, not change it.
    common = framework_2026()
    assert client.get(reverse("assessments:framework_edit", args=[common.pk])).status_code == 403
    # Another province's staff do not even see Trà Vinh's.
    other = as_persona("vinh_long_staff")
    assert other.get(reverse("assessments:framework_detail", args=[copy.pk])).status_code == 404


def test_a_year_taken_is_refused(copied):
    client, copy = copied
    response = client.post(
        reverse("assessments:framework_copy", args=[copy.pk]), {"year": "2027"}, follow=True
    )
    assert Framework.objects.filter(year=2027, province=copy.province).count() == 1
    assert "2027" in response.text


def test_the_list_costs_the_same_with_more_frameworks(copied, count_queries):
    client, copy = copied
    url = reverse("assessments:framework_list")
    with count_queries() as small:
        assert client.get(url).status_code == 200
    for year in (2028, 2029, 2030):
        client.post(reverse("assessments:framework_copy", args=[copy.pk]), {"year": str(year)})
    with count_queries() as large:
        page = client.get(url)
    assert "2030" in page.text and len(large) == len(small)
