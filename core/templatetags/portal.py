"""Template helpers every list uses: links that keep the current filters, sortable headers."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_header(context, field: str, label: str, param: str = "o"):
    """A column header that sorts by `field`, and reverses on a second click; the arrow shows the order."""
    current = context["request"].GET.get(param, "")
    if current == field:
        target, icon = f"-{field}", "bi-sort-up"
    elif current == f"-{field}":
        target, icon = field, "bi-sort-down"
    else:
        target, icon = field, "bi-arrow-down-up text-body-tertiary"
    params = context["request"].GET.copy()
    params[param] = target
    params.pop("page", None)
    arrow = format_html(' <i class="bi {} small" aria-hidden="true"></i>', icon)
    return format_html('<a href="?{}">{}{}</a>', params.urlencode(), label, arrow)


@register.simple_tag(takes_context=True)
def render_section(context, section):
    """A section another app contributes to this page (core.sections): its template, rendered with the
    page's context plus the section's own."""
    with context.push(**section.context):
        return context.template.engine.get_template(section.template).render(context)


@register.filter
def bootstrap_widget(field):
    """A bound field's widget with Bootstrap 5's class (and `is-invalid` when it has errors), for
    templates/partials/form_fields.html: what crispy's field templates add, without their cost."""
    from django import forms

    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.RadioSelect):
        css = ""
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    own = widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{own} {css}".strip()} if (own or css) else None)
