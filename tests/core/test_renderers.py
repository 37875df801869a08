"""The portal's form renderer draws inputs, text areas and selects in Python (core/renderers.py): the same
markup as Django's templates, character for character, for every kind of these widgets a form of the portal
or of Django admin has; a template whose source is not Django's own is rendered as it is."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from core.renderers import INPUT, FormRenderer
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
    text = forms.CharField(initial='Tân "Hòa" <b>', widget=forms.TextInput(attrs={"placeholder": "a < b"}))
    empty_text = forms.CharField(required=False, max_length=20)
    safe_text = forms.CharField(initial=mark_safe("<i>đã</i>"))
    hidden = forms.IntegerField(widget=forms.HiddenInput, initial=3)
    number = forms.DecimalField(initial=Decimal("4.50"), min_value=0, disabled=True)
    day = forms.DateField(initial=datetime.date(2026, 12, 3), widget=forms.DateInput(attrs={"type": "date"}))
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput(render_value=True), initial="bí mật")
    tick = forms.BooleanField(required=False, initial=True)
    portrait = forms.FileField(required=False)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control-sm"}), initial="x\n<y>"
    )
    blank_note = forms.CharField(widget=forms.Textarea, required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "plain": "2",
            "grouped": "9",
            "many": ["1", "3"],
            "yes_no": "true",
            "marked": "<script>",
            "text": '" onfocus="x',
            "note": "</textarea><script>",
            "blank_note": "  ",
            "tick": "on",
            "email": "không phải thư",
        },
    ],
    ids=["unbound", "bound"],
)
def test_each_widget_is_drawn_as_djangos_templates_draw_it(data):
    ours, djangos = Everything(data, renderer=FormRenderer()), Everything(data, renderer=DjangoTemplates())
    for name in Everything.base_fields:
        assert str(ours[name]) == str(djangos[name]), name
    assert 'value="2" selected' in str(ours["plain"]) if data else "selected" in str(ours["plain"])
    assert "&lt;b&gt;" in str(ours["plain"]) and "<i>đã</i>" in str(ours["plain"])


def test_the_python_drawing_is_used():
    """Else the comparison above would compare Django's templates with themselves."""
    renderer = FormRenderer()
    for name in ("text", "hidden", "note", "plain"):
        assert renderer._drawer(Everything()[name].field.widget.template_name) is not None, name


def test_a_template_that_is_not_djangos_own_is_rendered(monkeypatch):
    renderer = FormRenderer()
    source = renderer._source
    monkeypatch.setattr(renderer, "_source", lambda name: "changed" if name == INPUT else source(name))
    assert renderer._drawer("django/forms/widgets/text.html") is None
    assert renderer._drawer(INPUT) is None
    assert renderer._drawer("django/forms/widgets/textarea.html") is not None


def test_an_option_with_a_template_of_its_own_is_drawn_by_it():
    class Starred(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    form = Everything(renderer=FormRenderer())
    form.fields["plain"].widget = Starred(choices=CHOICES)
    assert str(form["plain"]).count('type="select"') == len(CHOICES)


def test_the_portal_uses_it():
    from django.forms.renderers import get_default_renderer

    assert isinstance(get_default_renderer(), FormRenderer)
