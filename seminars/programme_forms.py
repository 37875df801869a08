"""The programme form (chương trình): the organiser is chosen as on the models/solutions form
(seminars/initiative_forms.py): the administrator any unit, provincial staff a district or a commune of
their province (or the province itself, left empty), a district or commune officer nothing (their own unit);
every choice comes from the user's scope whatever is posted."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from branches.forms import form_actions
from branches.models import Commune, District, Province
from core.versioning import VERSION_FIELD, VersionedForm
from core.widgets import AutocompleteSelect

from .models import Programme


class ProgrammeForm(VersionedForm, forms.ModelForm):
    province = forms.ModelChoiceField(
        label=gettext_lazy("Province"), queryset=Province.objects.none(), required=False
    )
    district = forms.ModelChoiceField(
        label=gettext_lazy("Organised by"),
        queryset=District.objects.none(),
        required=False,
        widget=AutocompleteSelect("branches:district_autocomplete"),
        help_text=gettext_lazy(
            "The district's Union (until 30/06/2025); leave empty when the province itself organises it."
        ),
    )
    commune = forms.ModelChoiceField(
        label=gettext_lazy("Organised by a commune"),
        queryset=Commune.objects.none(),
        required=False,
        widget=AutocompleteSelect("branches:commune_autocomplete", params={"current": "1"}),
        help_text=gettext_lazy("The commune's Union (from 01/07/2025); not together with a district."),
    )

    class Meta:
        model = Programme
        fields = ["province", "district", "commune", "name", "from_year", "to_year"]

    def __init__(self, *args, user, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Every choice comes from the user's own scope, whatever is posted.
        self.fields["province"].queryset = Province.objects.visible_to(user)
        self.fields["district"].queryset = District.objects.visible_to(user).select_related("province")
        # Today's communes (and the one already organising it), as the models form offers.
        organising = Q(ended_on__isnull=True) | Q(pk=self.instance.commune_id)
        self.fields["commune"].queryset = (
            Commune.objects.visible_to(user).filter(organising).select_related("province")
        )
        organiser = []
        if user.is_administrator:
            organiser = ["province", "district", "commune"]
        else:
            del self.fields["province"]
            if user.is_provincial_staff:
                organiser = ["district", "commune"]
            else:
                # A district or commune officer's programmes are their own unit's.
                del self.fields["district"]
                del self.fields["commune"]
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
    FIELD_FOR_CODE = {"unit_ended": "from_year", "unit_not_begun": "from_year"}

    def clean(self):
        cleaned = super().clean()
        user = self.user
        commune = None
        if user.is_district_officer:
            district, province = user.district, user.district.province
        elif user.is_commune_officer:
            district, commune, province = None, user.commune, user.commune.province
        else:
            district, commune = cleaned.get("district"), cleaned.get("commune")
            if district is not None and commune is not None:
                self.add_error("commune", _("An organiser is a district or a commune, not both."))
            unit = district or commune
            if user.is_provincial_staff:
                province = unit.province if unit is not None else user.province
            else:
                province = unit.province if unit is not None else cleaned.get("province")
        cleaned["district"], cleaned["commune"], cleaned["province"] = district, commune, province
        if province is None:
            self.add_error("province", _("Choose the province or the district that organises it."))
            return cleaned
        start, end = cleaned.get("from_year"), cleaned.get("to_year")
        if start and end and end < start:
            self.add_error("to_year", _("The period cannot end before it starts."))
        return cleaned
