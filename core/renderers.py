"""The portal's form renderer (settings.FORM_RENDERER): Django's, with the commonest widgets drawn in Python.

Django draws a widget through templates: an <input> or a <textarea> through its own and another for its
attributes, a <select> through one per option and one for each option's attributes. A commune filter of a
large province (130 communes) cost 20 ms of a 150 ms page, the nomination review's two selects more than
its table, the follow-up page's 25 row forms 14 ms in attributes alone. The markup is the same, character
for character (tests/core/test_renderers.py compares the two on every kind of widget).

A template is drawn in Python only while its source is Django's own, the one the code below copies: a
template of the same name put first by an app (another Django, a library's override) is rendered as it is,
and so is a select whose options name another template.
"""

from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape

ATTRS = "django/forms/widgets/attrs.html"
INPUT = "django/forms/widgets/input.html"
TEXTAREA = "django/forms/widgets/textarea.html"
SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"

#: The sources the functions below draw, as Django 5.2 ships them.
SOURCES = {
    ATTRS: (
        "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
        "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}"
    ),
    INPUT: (
        '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %} '
        "value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
        '{% include "django/forms/widgets/attrs.html" %}>\n'
    ),
    TEXTAREA: (
        '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
        "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n"
    ),
    SELECT: (
        '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
        "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
        '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
        "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
        "  </optgroup>{% endif %}{% endfor %}\n</select>\n"
    ),
    OPTION: (
        "<option value=\"{{ widget.value|stringformat:'s' }}\""
        '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n'
    ),
}
#: The source of text.html, hidden.html, number.html and the other inputs': input.html.
INCLUDES_INPUT = '{% include "django/forms/widgets/input.html" %}\n'


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


def input_html(widget: dict) -> str:
    """django/forms/widgets/input.html."""
    value = "" if widget["value"] is None else f' value="{_text(widget["value"])}"'
    kind, name = conditional_escape(widget["type"]), conditional_escape(widget["name"])
    return f'<input type="{kind}" name="{name}"{value}{_attrs(widget["attrs"])}>'


def textarea_html(widget: dict) -> str:
    """django/forms/widgets/textarea.html."""
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'
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


#: template name → the function that draws it
DRAWERS = {INPUT: input_html, TEXTAREA: textarea_html, SELECT: select_html}
#: drawing → the templates it copies
COPIES = {input_html: (INPUT, ATTRS), textarea_html: (TEXTAREA, ATTRS), select_html: (SELECT, OPTION, ATTRS)}


class FormRenderer(DjangoTemplates):
    def __init__(self):
        super().__init__()
        self._drawers: dict = {}  # template name → the function drawing it, or None: the template renders

    def _source(self, name: str) -> str | None:
        template = self.engine.get_template(name)
        return getattr(getattr(template, "template", None), "source", None)

    def _drawer(self, name: str):
        if name not in self._drawers:
            source = self._source(name)
            if source == INCLUDES_INPUT:  # text.html, hidden.html, …: input.html
                drawer = input_html
            else:
                drawer = DRAWERS.get(name) if source == SOURCES.get(name) else None
            # Drawn in Python only while every template the drawing copies is Django's own.
            if drawer is not None and any(self._source(each) != SOURCES[each] for each in COPIES[drawer]):
                drawer = None
            self._drawers[name] = drawer
        return self._drawers[name]

    def render(self, template_name, context, request=None):
        # What Django's renderer answers is the template's output stripped: so are these functions'.
        drawer = self._drawer(template_name)
        if drawer is not None:
            html = drawer(context["widget"])
            if html is not None:
                return html
        return super().render(template_name, context, request=request)
