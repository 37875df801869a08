"""The portal's form renderer (settings.FORM_RENDERER): Django's, with the <select> element drawn in Python.

Django draws a select through a template per option and another for each option's attributes: a commune
filter of a large province (130 communes) cost 20 ms of a 150 ms page, the nomination review's two selects
more than its table. The markup is the same, character for character (tests/core/test_renderers.py
compares the two on every kind of select); a select whose widget names other templates is drawn by them.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _text(value) -> str:
    """A value as `{{ value|stringformat:'s' }}` writes it: as text, escaped unless already safe."""
    return conditional_escape(value if hasattr(value, "__html__") else f"{value}")


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: True is a bare attribute, False none."""
    return "".join(
        f" {conditional_escape(name)}" if value is True else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict) -> str | None:
    """django/forms/widgets/select.html for a widget's context, or None when an option has its own
    template."""
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            if option["template_name"] != OPTION:
                return None
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"  # the option template's last line
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            html = select_html(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
