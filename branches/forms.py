from crispy_forms.bootstrap import FormActions
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.forms import CancelLink, Submit
from core.text import fold, normalize_name
from core.validators import validate_not_in_future
from core.versioning import VERSION_FIELD, VersionedForm
from core.widgets import AutocompleteSelect, DateInput

from .models import MAX_MEMBERS, Branch, Commune, too_many_members


def form_actions(cancel_url: str, label=None) -> FormActions:
    """Save (or `label`) and Cancel, side by side, at the end of every portal form."""
    return FormActions(
        Submit("submit", label or _("Save"), css_class="btn-primary"),
        CancelLink(cancel_url),
    )


class CommuneChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Commune) -> str:
        return f"{obj.name} — {obj.district.name}" if obj.district_id else obj.name


class BranchChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Branch) -> str:
        return f"{obj.name} — {obj.commune.name}"


class BranchForm(VersionedForm, forms.ModelForm):
    commune = CommuneChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.none(),
        # Only today's communes: a new branch is not attached to a unit that has ceased.
        widget=AutocompleteSelect("branches:commune_autocomplete", params={"current": "1"}),
        help_text=_("Type part of the name, with or without diacritics."),
    )

    class Meta:
        model = Branch
        fields = ["commune", "name", "kind", "member_count", "founded_on"]
        widgets = {"founded_on": DateInput()}

    def __init__(self, *args, user, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        # Only communes of the user's own scope can be chosen, whatever is posted: today's communes, and the
        # one an existing branch is attached to even if it has ceased (editing its name or member count must
        # not force a move; re-attaching a branch to a new commune is a step of its own).
        current = Q(ended_on__isnull=True)
        if self.instance.commune_id:
            current |= Q(pk=self.instance.commune_id)
        self.fields["commune"].queryset = (
            Commune.objects.visible_to(user).filter(current).select_related("district")
        )
        if user.is_commune_officer and self.instance.pk is None:
            self.initial.setdefault("commune", user.commune_id)  # their one commune, chosen already
        # The form's own limit is the branch's, said in its words: on PostgreSQL the field would otherwise
        # also say the column's (2,147,483,647) beside it.
        members = self.fields["member_count"]
        members.max_value = MAX_MEMBERS
        members.validators = [v for v in members.validators if not isinstance(v, MaxValueValidator)]
        members.validators.append(MaxValueValidator(MAX_MEMBERS, message=too_many_members()))
        self.helper = FormHelper()
        self.helper.layout = Layout(
            VERSION_FIELD,
            "commune",
            "name",
            Row(Column("kind", css_class="col-md-6"), Column("member_count", css_class="col-md-6")),
            "founded_on",
            FormActions(
                Submit("submit", _("Save"), css_class="btn-primary"),
                CancelLink(cancel_url),
            ),
        )

    def clean_name(self) -> str:
        return normalize_name(self.cleaned_data["name"])

    def clean(self):
        cleaned = super().clean()
        commune, name = cleaned.get("commune"), cleaned.get("name")
        if commune and name:
            clash = Branch.objects.filter(commune=commune, name_key=fold(name)).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "name",
                    _("%(commune)s already has a branch named “%(name)s”.")
                    % {"commune": commune.name, "name": clash.first().name},
                )
        return cleaned


class WaitingDateForm(forms.Form):
    """The day waiting branches join their new commune (the reform's day unless said otherwise)."""

    on = forms.DateField(
        label=_("Attached from"),
        widget=DateInput(attrs={"class": "form-control form-control-sm"}),
        validators=[validate_not_in_future],
        help_text=_("dd/mm/yyyy; 01/07/2025, the reform's day, unless the branch joined later."),
    )
