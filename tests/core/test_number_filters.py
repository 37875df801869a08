"""The reports' number filters (core/templatetags/portal.py: places, grouped) write what Django's floatformat
and humanize's intcomma write, in Vietnamese and in English, for every kind of value a report hands them."""

from decimal import Decimal

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation

from core.templatetags.portal import grouped, numbers, places

NUMBERS = [
    None,
    "",
    "chữ",
    0,
    1,
    -1,
    3,
    2.5,
    0.125,
    -0.001,
    -0.005,
    33.333333333,
    66.66666666666667,
    100.0,
    1e-7,
    1234567.891,
    Decimal("0"),
    Decimal("-0.00"),
    Decimal("3.005"),
    Decimal("3.004999"),
    Decimal("4.5"),
    Decimal("2.675"),
    Decimal("-2.675"),
    Decimal("12345.6789"),
    Decimal("1E+3"),
    Decimal("NaN"),
    Decimal("Infinity"),
    float("nan"),
    float("inf"),
]
WHOLE = [0, 7, 999, 1000, -1000, 12345, 1234567, -1234567, 10**12, True, 3.5, Decimal("1234.5"), None, "1234"]


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("digits", [0, 1, 2, "2"])
def test_places_is_floatformat(language, digits):
    with translation.override(language):
        for value in NUMBERS:
            assert places(value, digits) == floatformat(value, digits), (value, digits)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_grouped_is_intcomma(language):
    with translation.override(language):
        for value in WHOLE:
            assert grouped(value) == intcomma(value), value


def test_they_write_the_languages_separators():
    template = Template("{% load portal %}{{ a|places:2 }} {{ n|grouped }}")
    context = Context({"a": Decimal("1234.5"), "n": 1234567})
    with translation.override("vi"):
        assert template.render(context) == "1234,50 1.234.567"
    with translation.override("en"):
        assert template.render(context) == "1234.50 1,234,567"


def test_a_drawn_table_reads_the_separators_of_the_language_it_is_drawn_in():
    # numbers() keeps each language's separators: the language active when a table is drawn decides.
    with translation.override("vi"):
        vietnamese = numbers()
    with translation.override("en"):
        english = numbers()
        assert numbers() is english
    assert (vietnamese.grouped(1234567), vietnamese.places(Decimal("2.675"), 2)) == ("1.234.567", "2,68")
    assert (english.grouped(1234567), english.places(Decimal("2.675"), 2)) == ("1,234,567", "2.68")


def test_the_separators_are_read_again_when_a_setting_changes(settings):
    with translation.override("en"):
        before = numbers()
        settings.FORMAT_MODULE_PATH = ["tests.core"]
        assert numbers() is not before
