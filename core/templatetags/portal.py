"""Template helpers every list uses: links that keep the current filters, sortable headers; the
layout's fixed links."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.defaultfilters import floatformat
from django.templatetags.static import static
from django.utils.formats import date_format, get_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from core import crispy_fields, navigation
from core.history import reason_text

register = template.Library()

#: static path → URL, for fixed_static
_FIXED_STATIC: dict[str, str] = {}


@register.simple_tag
def fixed_url(name: str) -> str:
    """`{% url name %}` for a URL without arguments, reversed once per URLconf and script prefix: the
    layout links to the same pages on every request, and each `{% url %}` resolved them again."""
    return navigation.fixed_url(name)


@register.filter
def pk_url(pk, name: str) -> str:
    """`{{ row.pk|pk_url:"app:view" }}` is `{% url "app:view" row.pk %}` for a view taking one `pk`, its
    parts around the key reversed once (core.navigation.object_url): for the links on every row of a list."""
    return navigation.object_url(name, pk)


@register.simple_tag
def fixed_static(path: str) -> str:
    """`{% static path %}`, looked up once: the storage's manifest is read when the process starts, so
    a file's URL does not change until it restarts, and the layout asks for the same eight on every page."""
    try:
        return _FIXED_STATIC[path]
    except KeyError:
        url = _FIXED_STATIC[path] = static(path)
        return url


#: the settings a static file's URL depends on: the storage and the address (DEBUG: the manifest storage
#: gives unhashed names in development)
_FIXED_STATIC_SETTINGS = {"STORAGES", "STATIC_URL", "STATIC_ROOT", "DEBUG", "FORCE_SCRIPT_NAME"}


@receiver(setting_changed)
def _forget_fixed_static(*, setting, **kwargs) -> None:
    if setting in _FIXED_STATIC_SETTINGS:
        _FIXED_STATIC.clear()


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


@register.simple_tag(takes_context=True)
def crispy_field_markup(context):
    """templates/bootstrap5/field.html: the field crispy is drawing, in Python when it is a common one
    (core/crispy_fields.py), else through crispy-bootstrap5's own field template."""
    html = crispy_fields.draw(context)
    return html if html is not None else crispy_fields.fallback(context.template.engine).render(context)


@register.simple_tag
def form_field(field):
    """One field in Bootstrap 5 markup, as crispy's bootstrap5/field.html draws it: the label (an asterisk
    when required), the widget with Bootstrap's class, errors beside the field, help text. For the forms
    drawn without crispy: the list filters (partials/form_fields.html), a proposal's row form, a report's
    filter. Written here rather than in a template: a list's ten filter fields through an included template
    were a millisecond of every list page."""
    if field.is_hidden:
        return field.as_widget()
    auto_id = conditional_escape(field.auto_id)
    checkbox = field.widget_type == "checkbox"
    parts = [f'<div id="div_{auto_id}" class="mb-3{" form-check" if checkbox else ""}">']
    label_for, label = conditional_escape(field.id_for_label), conditional_escape(field.label)
    if checkbox:
        parts.append(bootstrap_widget(field))
        parts.append(f'<label for="{label_for}" class="form-check-label">{label}</label>')
    else:
        if field.label:
            asterisk = '<span class="asteriskField">*</span>' if field.field.required else ""
            parts.append(f'<label for="{label_for}" class="form-label">{label}{asterisk}</label>')
        parts.append(bootstrap_widget(field))
    for error in field.errors:
        error = conditional_escape(error)
        parts.append(f'<div class="invalid-feedback d-block"><strong>{error}</strong></div>')
    if field.help_text:
        help_text = conditional_escape(field.help_text)
        parts.append(f'<div id="{auto_id}_helptext" class="form-text">{help_text}</div>')
    parts.append("</div>")
    return mark_safe("".join(parts))


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


@register.simple_tag(takes_context=True)
def check_links(context, *names) -> str:
    """Mark the objects the context holds under `names` (those it has) with whether the user may open them
    (core.scope.mark_visible, one query), for `linkable` to leave a unit the user cannot open unlinked:
    the breadcrumbs of a record read through its branch name the units it was recorded under (a seminar of
    an old district attended by a commune's secretary), which the reader may not open. Writes nothing."""
    from core.scope import mark_visible

    request = context.get("request")
    # Those its view has marked already (with the page's other objects, in the same query) are left.
    objects = [
        obj for name in names if (obj := context.get(name)) is not None and not hasattr(obj, "visible")
    ]
    if request is not None and objects:
        mark_visible(objects, request.user)
    return ""


@register.filter
def linkable(obj) -> bool:
    """Whether a page links to `obj`: unless its view found the user may not open it (`visible` set by
    core.scope.mark_visible), where the link would answer 404 and the name is shown without one."""
    return getattr(obj, "visible", True) is not False


@register.filter
def filters_line(filterset) -> str:
    """The filters a list was narrowed by, in words (core.filters.filter_summary): printed under its
    heading (templates/partials/filters_printed.html) as its export writes them."""
    from core.filters import filter_summary

    return filter_summary(filterset) if filterset else ""


@register.filter
def filtered_by(filterset, query) -> bool:
    """Whether the query string (`request.GET`) chose any of a list's filters: templates/partials/
    filter_panel.html is then open on a phone too, showing what narrowed the list. Not the page nor the
    sort order, and not a default the view put in itself (the assessment list's framework of the year,
    which left that list's filters open above the rows on every phone)."""
    from django_filters import OrderingFilter

    form = filterset.form
    for name, field in form.fields.items():
        if isinstance(filterset.filters.get(name), OrderingFilter):
            continue
        value = field.widget.value_from_datadict(query, {}, form.add_prefix(name))
        values = value if isinstance(value, list | tuple) else [value]
        if any(v not in (None, "", False) for v in values):
            return True
    return False


# Numbers of the reports. A summary of a large province has some 130 rows of a dozen numbers each, and
# Django's floatformat and humanize's intcomma (Decimal arithmetic, then formats.number_format with its
# lazy look-ups, per cell) were a quarter of its time. These two write the same text (tests/core/
# test_number_filters.py compares them, in Vietnamese and in English) in a fraction of it. The separators
# are read once per language (`numbers()`), and a table drawn in its view reads them once for all its cells:
# each `get_format` looks the active language up again (~2 µs), and Tỉnh đoàn Vĩnh Long's assessment summary
# asked 2,500 times (5 ms of its 22).


class NumberFormat:
    """A language's separators, as `get_format` gives them, and the two ways the reports write a number."""

    __slots__ = ("by_three", "decimal", "thousand")

    def __init__(self):
        self.decimal = get_format("DECIMAL_SEPARATOR")
        self.thousand = get_format("THOUSAND_SEPARATOR")
        self.by_three = get_format("NUMBER_GROUPING") == 3

    def places(self, value, digits=2) -> str:
        """`{{ value|floatformat:digits }}` for digits ≥ 0: rounded half up to exactly `digits` places,
        the language's decimal separator, no grouping; "" for what is not a number (None, a word)."""
        try:
            number = value if isinstance(value, Decimal) else Decimal(str(value))
            digits = int(digits)
        except (InvalidOperation, ValueError, TypeError):
            return floatformat(value, digits)
        if not number.is_finite() or digits < 0:
            return floatformat(value, digits)
        rounded = number.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
        if not rounded:
            rounded = abs(rounded)  # no "-0.00"
        return f"{rounded:f}".replace(".", self.decimal)

    def grouped(self, value) -> str:
        """`{{ value|intcomma }}` for whole numbers: the language's thousand separator every three digits.
        Anything else is left to intcomma."""
        if type(value) is not int or not self.by_three:
            return intcomma(value)
        return f"{value:,}".replace(",", self.thousand)


#: language code → its NumberFormat, emptied when a setting changes (as Django's own format cache)
_NUMBER_FORMATS: dict[str | None, NumberFormat] = {}


def numbers() -> NumberFormat:
    """The active language's NumberFormat: a table drawn in a view asks once, then writes every cell with
    it (`numbers().grouped(…)` per cell would look the language up each time)."""
    language = get_language()
    found = _NUMBER_FORMATS.get(language)
    if found is None:
        found = _NUMBER_FORMATS[language] = NumberFormat()
    return found


@receiver(setting_changed)
def _forget_number_formats(**kwargs) -> None:
    _NUMBER_FORMATS.clear()


@register.filter(is_safe=True)
def places(value, digits=2):
    """`{{ value|floatformat:digits }}` for digits ≥ 0 (NumberFormat.places)."""
    return numbers().places(value, digits)


@register.filter(is_safe=True)
def grouped(value):
    """`{{ value|intcomma }}` for whole numbers (NumberFormat.grouped)."""
    return numbers().grouped(value)


def ceased_badge(ended_on) -> str:
    """The badge of a unit that ended, as the tables of units show it beside its name ("chấm dứt
    30/06/2025")."""
    text = gettext("ceased %(date)s") % {"date": date_format(ended_on, "SHORT_DATE_FORMAT")}
    return f'<span class="badge text-bg-secondary">{conditional_escape(text)}</span>'


def ended_note(unit, *, with_province: bool = False, waiting: bool = False) -> str:
    """After the name of a unit that ended, in the tables drawn in views: its end ("(đến ngày 30/06/2025)"),
    with `with_province` its province before it ("· Tỉnh Trà Vinh (đến ngày …)"); with `waiting` (a report
    rolled up to today's units, where an ended unit's row holds only its branches still waiting for their
    new commune) it says so; nothing for a unit that goes on."""
    if not unit.ended_on:
        return ""
    province = f"· {conditional_escape(unit.province.name)} " if with_province else ""
    until = f"{conditional_escape(gettext('until'))} {date_format(unit.ended_on, 'SHORT_DATE_FORMAT')}"
    held = ""
    if waiting:
        held = f" · {conditional_escape(gettext('Its branches waiting for their new commune'))}"
    return f' <span class="small text-muted">{province}({until}){held}</span>'


@register.filter
def history_reason(stored):
    """A stored reason in the reader's language where it is one a service writes (core.history.reason_text):
    Django admin's history table, which reads the records themselves; a term's reason for ending."""
    return reason_text(stored or "")


@register.filter
def until(unit):
    """`ended_note` in a template: "(đến ngày 30/06/2025)" after the name of a unit that ended."""
    return mark_safe(ended_note(unit))  # escaped in ended_note


@register.simple_tag
def unit_rows(units, level: str):
    """The rows of templates/partials/unit_table.html, drawn here: a merged province's first screen lists
    its 124 communes, the administrator's list of provinces 97 (most of those pages' templates). Each unit:
    its code, its name linked to its page and, once it ended, since when; the districts (for provinces), the
    communes (above a commune), the branches and the members that `branches.selectors.attach_totals` set."""
    lines = []
    figures = numbers()
    for unit in units:
        name = f'<a href="{conditional_escape(unit.get_absolute_url())}">{conditional_escape(unit.name)}</a>'
        if unit.ended_on:
            name += f" {ceased_badge(unit.ended_on)}"
        cells = [f'<td class="text-muted">{conditional_escape(unit.code)}</td>', f"<td>{name}</td>"]
        if level == "province":
            # A province without districts (since 01/07/2025 none has): a dash, not a count of nothing.
            districts = figures.grouped(unit.district_count) if unit.district_count else "—"
            cells.append(f'<td class="text-end">{districts}</td>')
        if level != "commune":
            cells.append(f'<td class="text-end">{figures.grouped(unit.commune_count)}</td>')
        cells.append(f'<td class="text-end">{figures.grouped(unit.branch_count)}</td>')
        cells.append(f'<td class="text-end">{figures.grouped(unit.member_count)}</td>')
        lines.append(f"<tr>{''.join(cells)}</tr>")
    # Safe: the codes, names and links are escaped above; the rest are numbers and the portal's words.
    return mark_safe("\n".join(lines))


@register.simple_tag
def unit_totals(units) -> dict[str, int]:
    """The sums of `unit_rows`' units for the table's total row: its communes, branches and members."""
    return {
        "communes": sum(getattr(unit, "commune_count", 0) or 0 for unit in units),
        "branches": sum(unit.branch_count or 0 for unit in units),
        "members": sum(unit.member_count or 0 for unit in units),
    }
