"""templates/partials/filter_panel.html: folded away on a phone until the person has filtered the list
(the `filtered_by` filter, core/templatetags/portal.py). Paging and sorting are not filtering, nor is a
default the view puts in."""

import django_filters
import pytest
from django import forms
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory

from branches.models import Branch
from core.templatetags.portal import filtered_by


class SampleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter()
    kind = django_filters.ChoiceFilter(choices=[("ap", "Ấp"), ("khom", "Khóm")])
    active = django_filters.BooleanFilter(widget=forms.CheckboxInput)
    o = django_filters.OrderingFilter(fields=[("name_key", "name")])

    class Meta:
        model = Branch
        fields = []


def chose(query: str, data: dict | None = None) -> bool:
    get = QueryDict(query)
    return filtered_by(SampleFilter(data if data is not None else get), get)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", False),
        ("page=2", False),
        ("o=-name", False),
        ("q=&kind=", False),  # the form sent back empty: "Xóa bộ lọc" leaves these
        ("q=tap+ngai", True),
        ("kind=khom&page=3", True),
        ("active=on", True),
    ],
)
def test_a_filter_is_chosen_by_the_query_string(query, expected):
    assert chose(query) is expected


def test_a_default_the_view_put_in_is_not_a_choice():
    # The assessment list fills in the year's framework when none is asked for: the filterset is bound to
    # that, the query string is empty.
    assert chose("", data={"kind": "ap"}) is False


def test_the_panel_is_shown_open_only_when_filtered():
    request = RequestFactory().get("/branches/", {"page": "2"})
    html = render_to_string(
        "partials/filter_panel.html",
        {"filter": SampleFilter(request.GET), "filter_id": "f", "request": request},
    )
    assert 'class="card card-body collapse d-lg-block"' in html
    request = RequestFactory().get("/branches/", {"q": "cay"})
    html = render_to_string(
        "partials/filter_panel.html",
        {"filter": SampleFilter(request.GET), "filter_id": "f", "request": request},
    )
    assert 'class="card card-body collapse d-lg-block show"' in html
