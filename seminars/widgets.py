from django import forms
from django.urls import reverse


class AutocompleteSelectMultiple(forms.SelectMultiple):
    """Like branches.widgets.AutocompleteSelect, for several choices: only the chosen options are rendered;
    the others come from a scoped JSON endpoint, which static/js/portal.js asks as the user types."""

    def __init__(self, url_name: str, *, attrs=None):
        super().__init__(attrs)
        self.url_name = url_name

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["data-autocomplete-url"] = reverse(self.url_name)
        return attrs

    def optgroups(self, name, value, attrs=None):
        queryset = getattr(self.choices, "queryset", None)
        if queryset is None:
            return super().optgroups(name, value, attrs)
        chosen = [v for v in value if v not in ("", None) and str(v).isdigit()]
        objects = queryset.filter(pk__in=chosen) if chosen else []
        options = [
            self.create_option(name, obj.pk, self.choices.field.label_from_instance(obj), True, index)
            for index, obj in enumerate(objects)
        ]
        return [(None, options, 0)]
