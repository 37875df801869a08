from urllib.parse import urlencode

from django import forms
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.urls import reverse


class AutocompleteSelect(forms.Select):
    """A select that renders only the chosen option; the others come from a scoped JSON endpoint.

    No page ever ships thousands of <option>s: static/js/portal.js turns the element into a Tom Select
    that asks `url_name` as the user types. `forward` names other fields whose values narrow the search
    (for example the district when choosing a commune); `params` are fixed query parameters sent with every
    search (for example only current secretaries).
    """

    def __init__(
        self, url_name: str, *, forward: tuple[str, ...] = (), params: dict | None = None, attrs=None
    ):
        super().__init__(attrs)
        self.url_name = url_name
        self.forward = forward
        self.params = params or {}

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-autocomplete-url"] = reverse(self.url_name)
        if self.params:
            attrs["data-autocomplete-params"] = urlencode(self.params)
        if self.forward:
            attrs["data-autocomplete-forward"] = ",".join(self.forward)
        return attrs

    def optgroups(self, name, value, attrs=None):
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return super().optgroups(name, value, attrs)
        # Only well-formed ids: a bad value posted back must not break the re-rendered form.
        chosen = [v for v in value if v not in ("", None) and str(v).isdigit()]
        options = [] if self.allow_multiple_selected else [self.create_option(name, "", "", not chosen, 0)]
        for index, obj in enumerate(queryset.filter(pk__in=chosen) if chosen else [], start=len(options)):
            label = self.choices.field.label_from_instance(obj)
            options.append(self.create_option(name, obj.pk, label, True, index))
        return [(None, options, 0)]


class AutocompleteSelectMultiple(AutocompleteSelect, forms.SelectMultiple):
    """The same, for several choices: every posted value is read, and there is no empty option."""


class DateInput(forms.DateInput):
    """Dates typed the Vietnamese way, dd/mm/yyyy."""

    input_type = "text"

    def __init__(self, attrs=None):
        defaults = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**defaults, **(attrs or {})}, format="%d/%m/%Y")


def unix_line_breaks(text):
    """Line breaks as stored: `\\n`. Browsers post a text area's breaks as `\\r\\n` (the HTML standard), where
    what was seeded, imported or saved before has `\\n`."""
    if isinstance(text, str):
        return text.replace("\r\n", "\n").replace("\r", "\n")
    return text


class Textarea(forms.Textarea):
    """The portal's text area (every multi-line field of its forms): what is posted comes with `\\n` line
    breaks, so that a text saved unchanged is stored unchanged. Kept as `\\r\\n`, it differed from the stored
    text: the history recorded a change of nothing, and another tab's save listed it as changed (a stale
    form's false conflict). Named `Textarea` as Django's is: crispy's class for the field comes from its
    name."""

    def value_from_datadict(self, data, files, name):
        return unix_line_breaks(super().value_from_datadict(data, files, name))


class AdminTextarea(Textarea, AdminTextareaWidget):
    """Django admin's text area, with the same `\n` line breaks."""


#: `formfield_overrides` of the admin pages of the records whose changes are compared and kept (a history,
#: a version): a TextField saved unchanged there is stored unchanged too
ADMIN_TEXT_AREAS = {models.TextField: {"widget": AdminTextarea}}
