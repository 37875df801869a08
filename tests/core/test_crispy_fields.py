"""crispy's field template drawn in Python (core/crispy_fields.py, templates/bootstrap5/field.html): the
same elements and attributes as crispy-bootstrap5's own bootstrap5/field.html for every kind of field the
drawing takes, with and without errors, help text and labels; the others are drawn by crispy's template."""

import datetime
from unittest import mock

import pytest
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.template import Context, Template
from django.test.html import parse_html
from django.utils.safestring import mark_safe

from core import crispy_fields

CHOICES = [("", "---------"), ("1", "Hiếu Tử"), ("2", 'Tân "Hòa" <b>')]


class Everything(forms.Form):
    name = forms.CharField(
        label="Họ và tên", help_text=mark_safe("Như trên <em>căn cước</em>"), max_length=60
    )
    nickname = forms.CharField(label='Tên "gọi" <b>', required=False)
    unlabelled = forms.CharField(label="", required=False)
    kind = forms.ChoiceField(label="Loại", choices=CHOICES)
    many = forms.MultipleChoiceField(label="Nhiều", choices=CHOICES[1:], required=False)
    born_on = forms.DateField(
        label="Ngày sinh", widget=forms.DateInput(attrs={"type": "date"}), required=False
    )
    members = forms.IntegerField(label="Số đoàn viên", min_value=0)
    score = forms.DecimalField(
        label="Điểm", required=False, widget=forms.NumberInput(attrs={"class": "w-auto"})
    )
    note = forms.CharField(label="Ghi chú", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    agreed = forms.BooleanField(label="Đồng ý", help_text="Bắt buộc")
    public = forms.BooleanField(label="Công khai", required=False)
    step = forms.IntegerField(widget=forms.HiddenInput, initial=2)
    # Left to crispy's template:
    portrait = forms.FileField(label="Ảnh", required=False)
    channel = forms.ChoiceField(label="Kênh", choices=CHOICES[1:], widget=forms.RadioSelect)
    days = forms.MultipleChoiceField(
        label="Ngày", choices=CHOICES[1:], widget=forms.CheckboxSelectMultiple, required=False
    )


VALID = {"name": "Thạch Thị Sa Rê", "kind": "1", "members": "12", "agreed": "on", "step": "2", "channel": "1"}
INVALID = {"name": "", "kind": "9", "members": "-1", "score": "x", "born_on": "31/02/2026", "step": "2"}


def render(data, *, wrapper=False, **helper_options):
    form = Everything(data)
    form.required_css_class = "required"
    form.helper = FormHelper()
    form.helper.form_tag = False
    for name, value in helper_options.items():
        setattr(form.helper, name, value)
    fields = list(Everything.base_fields)
    if wrapper:
        fields[0] = Field("name", wrapper_class="col-md-6", css_class="extra")
    form.helper.layout = Layout(Row(Column(fields[0]), Column("nickname")), *fields[2:])
    return Template("{% load crispy_forms_tags %}{% crispy form %}").render(Context({"form": form}))


def crispy_own(*args, **kwargs):
    with mock.patch.object(crispy_fields, "draw", return_value=None):
        return render(*args, **kwargs)


CASES = {
    "blank": ({}, {}),
    "bound and valid": (VALID, {}),
    "errors": (INVALID, {}),
    "errors as blocks, help inline": (INVALID, {"help_text_inline": True}),
    "no labels": (INVALID, {"form_show_labels": False}),
    "no errors shown": (INVALID, {"form_show_errors": False}),
    "wrapper class": (INVALID, {"wrapper": True}),
}


@pytest.mark.parametrize("case", CASES)
def test_the_drawing_is_crispys_markup(case):
    data, options = CASES[case]
    drawn = render(data, **options)
    assert parse_html(drawn) == parse_html(crispy_own(data, **options))
    assert 'id="div_id_name"' in drawn  # not empty by accident


def test_crispys_templates_are_the_ones_copied():
    """Fails after an upgrade of crispy-bootstrap5 that changed its field templates: compare the new
    templates with core/crispy_fields.py, mend the drawing, and put the new digests in DIGESTS."""
    with mock.patch.object(crispy_fields, "_copies_current", {}):
        assert crispy_fields.copies_current(Template("").engine)


def _bound(template):
    context = Context()
    context.template = template
    return context


def test_common_fields_are_drawn_and_the_others_left_to_crispy():
    form = Everything(INVALID)
    drawn, left = set(), set()
    template = Template("")
    for name in Everything.base_fields:
        context = _bound(template)
        context.update({"field": form[name], "form_show_errors": True, "form_show_labels": True})
        (drawn if crispy_fields.draw(context) is not None else left).add(name)
    assert left == {"portrait", "channel", "days"}
    assert "name" in drawn and "kind" in drawn and "agreed" in drawn and "step" in drawn


def test_a_horizontal_form_or_a_table_row_is_left_to_crispy():
    form = Everything({})
    template = Template("")
    for extra in (
        {"form_class": "form-horizontal"},
        {"label_class": "col-2"},
        {"field_class": "col-10"},
        {"tag": "td"},
    ):
        context = _bound(template)
        context.update({"field": form["name"], "form_show_labels": True, **extra})
        assert crispy_fields.draw(context) is None, extra


def test_templates_other_than_the_copied_ones_turn_the_drawing_off():
    form = Everything({})
    context = _bound(Template(""))
    context.update({"field": form["name"], "form_show_labels": True})
    changed = {**crispy_fields.DIGESTS, "bootstrap5/layout/help_text.html": "0" * 64}
    with (
        mock.patch.object(crispy_fields, "_copies_current", {}),
        mock.patch.object(crispy_fields, "DIGESTS", changed),
    ):
        assert crispy_fields.draw(context) is None
        html = Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(Context({"form": form}))
    assert 'class="form-label requiredField"' in html  # crispy's own template drew it


def test_a_date_keeps_its_value_and_the_widget_its_own_class():
    form = Everything({"born_on": datetime.date(2026, 12, 3).isoformat(), "score": "4.5"})
    context = _bound(Template(""))
    context.update({"field": form["score"], "form_show_labels": True, "form_show_errors": True})
    assert 'class="w-auto numberinput form-control"' in crispy_fields.draw(context)
    context.update({"field": form["born_on"]})
    assert 'value="2026-12-03"' in crispy_fields.draw(context)


@pytest.mark.parametrize("data", [{}, INVALID], ids=["blank", "errors"])
def test_the_crispy_filter_draws_the_same(data):
    """`{{ form|crispy }}` (the password pages) passes crispy's defaults by another road: same markup."""

    def filtered():
        return Template("{% load crispy_forms_tags %}{{ form|crispy }}").render(
            Context({"form": Everything(data)})
        )

    drawn = filtered()
    with mock.patch.object(crispy_fields, "draw", return_value=None):
        own = filtered()
    assert parse_html(drawn) == parse_html(own) and 'id="div_id_name"' in drawn
