"""The model/solution form (mô hình, giải pháp): communes, branches and seminars are chosen with
autocompletes that answer from the user's scope only, and the form accepts nothing else whatever is posted
(its querysets come from `visible_to`)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.forms import BranchChoiceField, CommuneChoiceField, form_actions
from branches.models import Branch, Commune
from core.forms import NO_CHOICE, ErrorSummary
from core.versioning import VERSION_FIELD, VersionedForm
from core.widgets import AutocompleteSelectMultiple, Textarea

from .forms import OrganisedForm, programmes_offered
from .models import Initiative, Seminar


class MultipleCommuneField(forms.ModelMultipleChoiceField):
    label_from_instance = CommuneChoiceField.label_from_instance


class MultipleBranchField(forms.ModelMultipleChoiceField):
    label_from_instance = BranchChoiceField.label_from_instance


class MultipleSeminarField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Seminar) -> str:
        return seminar_label(obj)


def seminar_label(seminar: Seminar) -> str:
    return f"{seminar.title} ({formats.date_format(seminar.held_on, 'SHORT_DATE_FORMAT')})"


class InitiativeForm(ErrorSummary, OrganisedForm, VersionedForm, forms.ModelForm):
    communes = MultipleCommuneField(
        label=gettext_lazy("Communes applying it"),
        queryset=Commune.objects.none(),
        required=False,
        widget=AutocompleteSelectMultiple("branches:commune_autocomplete"),
        help_text=gettext_lazy("Type part of the name, with or without diacritics."),
    )
    branches = MultipleBranchField(
        label=gettext_lazy("Branches applying it"),
        queryset=Branch.objects.none(),
        required=False,
        widget=AutocompleteSelectMultiple("branches:branch_autocomplete"),
        help_text=gettext_lazy("Type part of the name, with or without diacritics."),
    )
    seminars = MultipleSeminarField(
        label=gettext_lazy("Related seminars"),
        queryset=Seminar.objects.none(),
        required=False,
        widget=AutocompleteSelectMultiple("seminars:initiative_seminar_autocomplete"),
        help_text=gettext_lazy("Type part of the seminar's title."),
    )

    class Meta:
        model = Initiative
        fields = [
            "province",
            "district",
            "commune",
            "name",
            "description",
            "programme",
            "from_year",
            "to_year",
            "communes",
            "branches",
            "seminars",
            "results",
        ]
        widgets = {
            "description": Textarea(attrs={"rows": 4}),
            "results": Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Every choice comes from the user's own scope, whatever is posted.
        organiser = self.organiser_fields(user)
        self.fields["communes"].queryset = Commune.objects.visible_to(user).select_related("district")
        self.fields["branches"].queryset = Branch.objects.visible_to(user).select_related("commune")
        self.fields["seminars"].queryset = Seminar.objects.visible_to(user)
        # Offered as on the seminar form: of the unit's province and running while it existed.
        self.fields["programme"].queryset = programmes_offered(user, current=self.instance.programme_id)
        self.fields["programme"].empty_label = NO_CHOICE
        self.helper = FormHelper()
        self.helper.attrs = {"data-warn-unsaved": ""}
        self.helper.layout = Layout(
            VERSION_FIELD,
            Fieldset(
                "",
                *organiser,
                "name",
                "description",
                "programme",
                Row(Column("from_year", css_class="col-6"), Column("to_year", css_class="col-6")),
            ),
            Fieldset(_("Where it is applied"), "communes", "branches"),
            Fieldset(_("Seminars and results"), "seminars", "results"),
            form_actions(cancel_url),
        )

    #: a refusal of the service (services.initiative_save) shown next to its field
    FIELD_FOR_CODE = {
        "unit_ended": "from_year",
        "unit_not_begun": "from_year",
        "ends_after_unit": "to_year",
        "programme_outside_period": "programme",
    }

    def clean(self):
        cleaned = super().clean()
        district, commune, province = self.clean_organiser(cleaned)
        if province is None:
            return cleaned
        # What a model applies to lies within its organiser's own area.
        if commune is not None:
            outside = {
                "communes": [c for c in cleaned.get("communes") or [] if c.pk != commune.pk],
                "branches": [b for b in cleaned.get("branches") or [] if b.commune_id != commune.pk],
            }
        elif district is not None:
            outside = {
                "communes": [c for c in cleaned.get("communes") or [] if c.district_id != district.pk],
                "branches": [
                    b for b in cleaned.get("branches") or [] if b.commune.district_id != district.pk
                ],
            }
        else:
            outside = {
                "communes": [c for c in cleaned.get("communes") or [] if c.province_id != province.pk],
                "branches": [
                    b for b in cleaned.get("branches") or [] if b.commune.province_id != province.pk
                ],
            }
        for field, units in outside.items():
            if units:
                self.add_error(
                    field,
                    _("Outside the organiser's area: %(names)s.")
                    % {"names": ", ".join(u.name for u in units)},
                )
        programme = cleaned.get("programme")
        if programme and programme.province_id != province.pk:
            self.add_error("programme", _("This programme belongs to another province."))
        return cleaned
