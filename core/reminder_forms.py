from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout
from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import CancelLink, Submit
from .reminders import kind_choices


class ReminderSettingsForm(forms.Form):
    """Which kinds of reminder come by e-mail (the first screen shows them whatever is chosen here)."""

    kinds = forms.MultipleChoiceField(
        label=_("Send me by e-mail"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One mail a day at most, only with what is new or newly due."),
    )

    def __init__(self, *args, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = kind_choices()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "kinds",
            FormActions(Submit("submit", _("Save"), css_class="btn-primary"), CancelLink(cancel_url)),
        )


class UnsubscribeForm(forms.Form):
    """The one-click link's confirmation: a button, so a mail scanner that follows links changes nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            FormActions(Submit("submit", _("Stop these reminders"), css_class="btn-primary"))
        )
