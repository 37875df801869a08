"""The portal's form renderer draws a <select> in Python (core/renderers.py): the same markup as Django's
templates, character for character, for every kind of select a form of the portal or of Django admin has."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.renderers import FormRenderer
from core.widgets import AutocompleteSelect

CHOICES = [("", "---------"), (1, "Hiếu Tử"), ("2", 'Tân "Hòa" <b>'), (3, mark_safe("<i>đã</i>"))]
GROUPED = [("Huyện Tiểu Cần", [(1, "Hiếu Tử"), (2, "Tập Ngãi")]), ("", [(9, "Khác & còn lại")])]


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED)
    many = forms.MultipleChoiceField(choices=CHOICES[1:], required=False)
    yes_no = forms.NullBooleanField()
    typed = forms.TypedChoiceField(choices=[(1, 1), (2, 2)], coerce=int, disabled=True)
    marked = forms.ChoiceField(
        choices=CHOICES,
        widget=forms.Select(attrs={"class": "form-select", "data-autosubmit": True, "hidden": False}),
    )
    searched = forms.ChoiceField(
        choices=[(1, "x")], widget=AutocompleteSelect("branches:branch_autocomplete")
    )


@pytest.mark.parametrize(
    "data",
    [None, {"plain": "2", "grouped": "9", "many": ["1", "3"], "yes_no": "true", "marked": "<script>"}],
    ids=["unbound", "bound"],
)
def test_a_select_is_drawn_as_djangos_templates_draw_it(data):
    ours, djangos = Everything(data, renderer=FormRenderer()), Everything(data, renderer=DjangoTemplates())
    for name in Everything.base_fields:
        assert str(ours[name]) == str(djangos[name]), name
    assert 'value="2" selected' in str(ours["plain"]) if data else "selected" in str(ours["plain"])
    assert "&lt;b&gt;" in str(ours["plain"]) and "<i>đã</i>" in str(ours["plain"])


def test_an_option_with_a_template_of_its_own_is_drawn_by_it():
    class Starred(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    form = Everything(renderer=FormRenderer())
    form.fields["plain"].widget = Starred(choices=CHOICES)
    assert str(form["plain"]).count('type="select"') == len(CHOICES)


def test_the_portal_uses_it():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
