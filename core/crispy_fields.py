"""crispy-bootstrap5's field template (bootstrap5/field.html), drawn in Python for the common fields.

crispy draws every field of a layout through bootstrap5/field.html: some thirty `{% if %}` and five included
templates per field, a quarter of a millisecond each. The secretary's form (19 fields) spent 5 of its 14 ms
there, and every form page pays it per field. templates/bootstrap5/field.html, put before crispy's by the
project's template folder, calls `draw` below: a text, number, date, select, textarea or checkbox field of
a vertical form is written here; anything else (a file, radio buttons, checkboxes of several choices, a
horizontal form, a table row, fields in a fieldset) goes to crispy's own template, found behind the
project's (`fallback`).

The markup is crispy's, element for element and attribute for attribute (tests/core/test_crispy_fields.py
compares the two on every kind of field, with and without errors and help text). It is drawn only while
crispy's templates are the ones copied here (DIGESTS): an upgrade that changes them turns the drawing off,
and that test says so.
"""

import hashlib

from django import forms
from django.conf import settings
from django.template import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

FIELD = "bootstrap5/field.html"
LAYOUT = "bootstrap5/layout/"
#: The templates the drawing copies, with the SHA-256 of their source as crispy-bootstrap5 2026.9 ships them.
DIGESTS = {
    FIELD: "1c6d91cfb43dd8909234f977c7934c9d9cc787fba77c33dec505d7717dfc1b99",
    LAYOUT + "help_text_and_errors.html": "80ed3b7f84f0d2b48a9bcb1af2045e177757aec4977470c0fc1e4fdcbb66c23c",
    LAYOUT + "field_errors.html": "baed12b2ad927393b64b3c189c2361c6384c2543f25f3183efbb152857919f72",
    LAYOUT + "field_errors_block.html": "098b3e84e7ed6e3da8f109a79bb83957476603193809f69bae1fac8626b58beb",
    LAYOUT + "help_text.html": "f071119a8ffb0cbffb2662e919d5670765eedc1821df22745893cab2541316cf",
}
#: Widgets whose markup is crispy's other templates (field_file.html, radio_checkbox_select.html).
LEFT_TO_CRISPY = (forms.FileInput, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.MultiWidget)

_copies_current: dict = {}  # engine → whether crispy's templates are still the ones copied here


def digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()


def fallback(engine):
    """crispy's own bootstrap5/field.html: the one behind templates/bootstrap5/field.html."""
    _own, origin = engine.find_template(FIELD)
    return engine.find_template(FIELD, skip=[origin])[0]


def copies_current(engine) -> bool:
    if engine not in _copies_current:
        sources = {name: engine.get_template(name).source for name in DIGESTS if name != FIELD}
        sources[FIELD] = fallback(engine).source
        _copies_current[engine] = all(digest(sources[name]) == DIGESTS[name] for name in DIGESTS)
    return _copies_current[engine]


def _widget_html(field, css: str) -> str:
    """`{% crispy_field field 'class' css %}`: the widget's class name and then `css` added to its class
    (crispy writes them into the widget's attrs, so a second drawing finds them there), and the widget."""
    converters = getattr(settings, "CRISPY_CLASS_CONVERTERS", {})
    widget = field.field.widget
    widget = getattr(widget, "widget", widget)
    class_name = widget.__class__.__name__.lower()
    class_name = converters.get(class_name, class_name)
    current = widget.attrs.get("class", "")
    if current:
        if current.find(class_name) == -1:
            current += f" {class_name}"
    else:
        current = class_name
    for part in css.split():
        if part not in current.split():
            current += f" {part}"
    widget.attrs["class"] = current
    return str(field)


def _help_and_errors(field, context: Context) -> str:
    """bootstrap5/layout/help_text_and_errors.html and the three templates it includes."""
    help_inline, error_inline = context.get("help_text_inline"), context.get("error_text_inline")
    auto_id = conditional_escape(field.auto_id)
    help_text = field.help_text
    parts = []
    if help_text and help_inline and not error_inline:
        parts.append(f'<span id="{auto_id}_helptext" class="form-text">{help_text}</span>')
    if context.get("form_show_errors") and field.errors:
        tag = "span" if error_inline else "p"
        field_id = conditional_escape(field.errors.field_id)
        parts.append(f'<div id="{field_id}_error" class="invalid-feedback">')
        for number, error in enumerate(field.errors, start=1):
            parts.append(
                f'<{tag} id="error_{number}_{auto_id}"><strong>{conditional_escape(error)}</strong></{tag}>'
            )
        parts.append("</div>")
    if help_text and not help_inline:
        own_id = f'id="{auto_id}_helptext" ' if field.auto_id else ""
        parts.append(f'<div {own_id}class="form-text">{help_text}</div>')
    return "".join(parts)


def draw(context: Context) -> SafeString | None:
    """The field in `context` as bootstrap5/field.html writes it, or None when it is left to crispy."""
    field = context.get("field")
    if field is None or not copies_current(context.template.engine):
        return None
    if field.is_hidden:
        return mark_safe(str(field))
    widget = field.field.widget
    if (
        isinstance(widget, LEFT_TO_CRISPY)
        or field.use_fieldset
        or context.get("tag")
        or context.get("label_class")
        or context.get("field_class")
        or "form-horizontal" in (context.get("form_class") or "")
    ):
        return None
    checkbox = isinstance(widget, forms.CheckboxInput)
    show_labels = context.get("form_show_labels")
    required = field.field.required
    asterisk = '<span class="asteriskField">*</span>' if required else ""
    required_class = " requiredField" if required else ""
    label = conditional_escape(field.label)
    wrapper = "form-check" if checkbox and show_labels else "mb-3"
    if extra := context.get("wrapper_class"):
        wrapper += f" {conditional_escape(extra)}"
    if extra := field.css_classes():
        wrapper += f" {conditional_escape(extra)}"
    invalid = " is-invalid" if field.errors else ""
    parts = ['<div class="mb-3">'] if checkbox else []
    parts.append(f'<div id="div_{conditional_escape(field.auto_id)}" class="{wrapper}">')
    if checkbox and show_labels:
        parts.append(_widget_html(field, "form-check-input" + invalid))
        parts.append(
            f'<label for="{conditional_escape(field.id_for_label)}" class="form-check-label{required_class}">'
            f"{label}{asterisk}</label>"
        )
    else:
        if field.label and not checkbox and show_labels:
            for_label = f'for="{conditional_escape(field.id_for_label)}"' if field.id_for_label else ""
            parts.append(f'<label {for_label} class="form-label{required_class}">{label}{asterisk}</label>')
        css = (
            "form-select"
            if isinstance(widget, forms.Select)
            else "form-check-input"
            if checkbox
            else "form-control"
        )
        parts.append(_widget_html(field, css + invalid))
    parts.append(_help_and_errors(field, context))
    parts.append("</div>")
    if checkbox:
        parts.append("</div>")
    return mark_safe("".join(parts))
