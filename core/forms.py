"""crispy-forms pieces that never compile data as a template.

crispy renders the text of `HTML(...)`, a `Fieldset`'s legend and a button's label as a Django template
(`Template(text).render(context)`), and `format_html` escapes `<>` but not `{{ }}` / `{% %}`: data in them
(a `next` from the query, a name someone typed) could read the whole page context, the session cookie
included. These pieces hand their data to a fixed template as a context variable, autoescaped.
tests/core/test_no_data_in_templates.py keeps crispy's own pieces to constant text.

Beside them, what every form of the portal does alike: `prompt_to_choose`, `NO_CHOICE`, and `ErrorSummary`
for a long form's list of what to correct.
"""

from crispy_forms import layout
from crispy_forms.utils import TEMPLATE_PACK
from django import forms
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.translation import gettext_lazy as _

#: the label Django gives a choice not made yet
DJANGO_BLANK = "---------"

#: the empty choice of an optional list where leaving it empty is an answer (a seminar's or a model's
#: programme: none), in every form alike
NO_CHOICE = _("— None —")


def prompt_to_choose(form) -> None:
    """A choice not made yet reads "— Choose —" in every list of the form where Django wrote "---------" (a
    label of the form's own is kept)."""
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DJANGO_BLANK:
                field.empty_label = _("— Choose —")
        elif isinstance(field, forms.ChoiceField) and ("", DJANGO_BLANK) in field.choices:
            field.choices = [("", _("— Choose —")) if c == ("", DJANGO_BLANK) else c for c in field.choices]


class ErrorSummary:
    """A long form whose refused fields are listed above it (`templates/partials/form_errors.html`, given
    the form): the message beside a field 3,000 pixels down is not seen. Each names the field
    (`summary_label`: its label unless `summary_labels` says better) and links to it. The rows of
    formsets drawn below the form (a seminar's themes and proposals) are listed after its fields:
    `summarise_formsets`."""

    #: (formset, its heading, a row's name with %(number)s, the id of the element its own errors are in)
    summary_formsets: tuple = ()
    #: a field's name in the summary where its label says too little ("1.2. Comment" for "Comment")
    summary_labels: dict[str, str] = {}

    def summary_label(self, name: str, bound) -> str:
        return self.summary_labels.get(name) or str(bound.label)

    def summarise_formsets(self, *formsets) -> None:
        """Lists the refused rows of these formsets too, each given as (formset, its heading, a row's name
        with %(number)s, the id of the element above its rows where the formset's own errors are drawn)."""
        self.summary_formsets = formsets

    def _shown_order(self) -> list[str]:
        helper = getattr(self, "helper", None)
        layout = getattr(helper, "layout", None)
        laid_out = [pointer.name for pointer in layout.get_field_names()] if layout is not None else []
        laid_out = [name for name in dict.fromkeys(laid_out) if name in self.fields]
        return laid_out + [name for name in self.fields if name not in laid_out]

    @property
    def error_summary(self) -> list[tuple[str, str, str]]:
        """(the field's id, its name, its errors) for each visible field refused, in the order the page shows
        them (its crispy layout's, else the form's), then those of the formsets' rows, row by row."""
        found = []
        for name in self._shown_order():
            if name in self.errors:
                bound = self[name]
                if not bound.is_hidden:
                    found.append((bound.auto_id, self.summary_label(name, bound), " ".join(bound.errors)))
        for formset, heading, row_name, anchor in self.summary_formsets:
            if formset.non_form_errors():
                found.append((anchor, str(heading), " ".join(formset.non_form_errors())))
            for number, row in enumerate(formset.forms, start=1):
                if not row.errors or formset._should_delete_form(row):
                    continue
                name = row_name % {"number": number}
                visible = row.visible_fields()
                if row.non_field_errors() and visible:
                    found.append((visible[0].auto_id, name, " ".join(row.non_field_errors())))
                for bound in visible:
                    if bound.errors:
                        found.append((bound.auto_id, f"{name}: {bound.label}", " ".join(bound.errors)))
        return found


class CancelLink:
    """The Cancel link of a form's actions; `url` may come from the request (pass it through
    core.navigation.safe_next first)."""

    template = "partials/form_cancel.html"

    def __init__(self, url: str, css_class: str = "btn btn-outline-secondary"):
        self.url, self.css_class = url, css_class

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        return render_to_string(self.template, {"cancel_url": self.url, "css_class": self.css_class})


class Fieldset(layout.Fieldset):
    """crispy's Fieldset with a legend shown as text (it may be data, e.g. a criterion group's name)."""

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        fields = self.get_rendered_fields(form, context, template_pack, **kwargs)
        context.update({"fieldset": self, "legend": conditional_escape(self.legend), "fields": fields})
        return render_to_string(self.get_template_name(template_pack), context.flatten())


class Submit(layout.Submit):
    """crispy's Submit with a label shown as text (form_actions takes the label from its callers)."""

    def render(self, form, context, template_pack=TEMPLATE_PACK, **kwargs):
        context.update({"input": self})
        return render_to_string(self.get_template_name(template_pack), context.flatten())
