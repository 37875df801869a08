"""The programme form (chương trình): its organiser chosen as a model/solution's (forms.OrganisedForm)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms

from branches.forms import form_actions
from core.forms import ErrorSummary
from core.versioning import VERSION_FIELD, VersionedForm

from .forms import OrganisedForm
from .models import Programme


class ProgrammeForm(ErrorSummary, OrganisedForm, VersionedForm, forms.ModelForm):
    class Meta:
        model = Programme
        fields = ["province", "district", "commune", "name", "from_year", "to_year"]

    def __init__(self, *args, user, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        organiser = self.organiser_fields(user)
        self.helper = FormHelper()
        self.helper.attrs = {"data-warn-unsaved": ""}
        self.helper.layout = Layout(
            VERSION_FIELD,
            Fieldset(
                "",
                *organiser,
                "name",
                Row(Column("from_year", css_class="col-6"), Column("to_year", css_class="col-6")),
            ),
            form_actions(cancel_url),
        )

    #: a refusal of the service (services.programme_save) shown next to its field
    FIELD_FOR_CODE = {
        "unit_ended": "from_year",
        "unit_not_begun": "from_year",
        "ends_after_unit": "to_year",
        "records_before_period": "from_year",
        "records_after_period": "to_year",
        "duplicate": "name",
    }

    def clean(self):
        cleaned = super().clean()
        self.clean_organiser(cleaned)
        return cleaned
