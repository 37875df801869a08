"""templates/partials/form_fields.html and the form_field tag (core/templatetags/portal.py): the list
filters' fields in Bootstrap 5 markup without crispy (whose nested field templates cost 10–18 ms of a list
page): labels, the widget's class, errors beside the field, help text; all of it escaped."""

from django import forms
from django.template.loader import render_to_string


class SampleForm(forms.Form):
    q = forms.CharField(label="Tìm", required=False, help_text="Tên, không cần dấu")
    kind = forms.ChoiceField(label="Loại", choices=[("ap", "Ấp"), ("khom", "Khóm")])
    active = forms.BooleanField(label="Đang hoạt động", required=False)
    o = forms.CharField(widget=forms.HiddenInput, required=False)


def test_fields_render_with_bootstrap_classes_labels_and_help():
    html = render_to_string("partials/form_fields.html", {"form": SampleForm()})
    assert '<label for="id_q" class="form-label">' in html
    assert 'class="form-control"' in html and 'name="q"' in html
    assert '<select name="kind" class="form-select"' in html
    assert 'class="form-check-input"' in html and 'class="form-check-label"' in html
    assert '<input type="hidden" name="o"' in html
    assert 'id="id_q_helptext" class="form-text">Tên, không cần dấu</div>' in html
    assert html.count('class="asteriskField"') == 1  # kind is required


def test_errors_are_shown_beside_their_field():
    form = SampleForm({"kind": "cho"})
    html = render_to_string("partials/form_fields.html", {"form": form})
    assert '<select name="kind" class="form-select is-invalid"' in html
    kind_block = html[html.index('id="div_id_kind"') :]
    kind_block = kind_block[: kind_block.index('id="div_id_active"')]
    assert "invalid-feedback" in kind_block and str(form.errors["kind"][0]) in kind_block


def test_the_list_filters_render_through_the_partial(rf):
    from django.template.loader import get_template

    source = get_template("partials/filter_panel.html").template.source
    assert "crispy" not in source and "partials/form_fields.html" in source
    panel = type("Filter", (), {"form": SampleForm(), "filters": {}})()
    html = render_to_string(
        "partials/filter_panel.html", {"filter": panel, "filter_id": "f", "request": rf.get("/")}
    )
    assert 'id="div_id_q"' in html and 'role="search"' in html


def test_labels_errors_and_help_are_escaped():
    class Risky(forms.Form):
        name = forms.CharField(label="<b>Tên</b>", help_text="<i>gợi ý</i>", max_length=2)

    html = render_to_string("partials/form_fields.html", {"form": Risky({"name": "<script>"})})
    assert "<b>" not in html and "<i>" not in html and "<script>" not in html
    assert "&lt;b&gt;Tên&lt;/b&gt;" in html and "&lt;i&gt;gợi ý&lt;/i&gt;" in html
    assert html.count('class="invalid-feedback d-block"') == 1
