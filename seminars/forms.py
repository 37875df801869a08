"""The seminar page's form: the seminar itself, its ordered themes and its proposals, saved together by
services.seminar_save."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from branches.models import District, Province
from core.versioning import VERSION_FIELD, VersionedForm
from core.widgets import AutocompleteSelectMultiple, DateInput
from secretaries.models import Person

from .models import Programme, Proposal, Seminar

PROVINCE, DISTRICT = "province", "district"


class ParticipantsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.date_of_birth.year})"


def organiser_choices(user) -> list:
    """The province itself and its districts, grouped by province ("province:84", "district:846")."""
    districts: dict[int, list] = {}
    for district in District.objects.visible_to(user).order_by("name_key"):
        districts.setdefault(district.province_id, []).append((f"{DISTRICT}:{district.pk}", district.name))
    groups = []
    for province in Province.objects.visible_to(user).order_by("name_key"):
        own = [
            (
                f"{PROVINCE}:{province.pk}",
                _("%(province)s (the province itself)") % {"province": province.name},
            )
        ]
        groups.append((province.name, own + districts.get(province.pk, [])))
    return groups


class SeminarForm(VersionedForm, forms.ModelForm):
    organiser = forms.ChoiceField(label=_("Organiser"))
    participants = ParticipantsField(
        label=capfirst(Seminar._meta.get_field("participants").verbose_name),
        queryset=Person.objects.none(),
        required=False,
        widget=AutocompleteSelectMultiple("secretaries:person_autocomplete"),
        help_text=_("Type part of a name, with or without diacritics; choose as many as came."),
    )

    class Meta:
        model = Seminar
        fields = [
            "title",
            "held_on",
            "venue",
            "chair",
            "programme",
            "participants",
            "other_attendees",
            "outcome",
        ]
        widgets = {"held_on": DateInput(), "outcome": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Only what the user's own scope holds can be chosen, whatever is posted.
        self.fields["participants"].queryset = Person.objects.visible_to(user)
        self.fields["programme"].queryset = Programme.objects.visible_to(user)
        self.fields["programme"].empty_label = _("— None —")
        if user.is_district_officer:
            # A district officer records their own district's seminars only: nothing to choose.
            del self.fields["organiser"]
        else:
            self.fields["organiser"].choices = [("", _("— Choose —")), *organiser_choices(user)]
            seminar = self.instance
            if seminar.pk:
                self.initial["organiser"] = (
                    f"{DISTRICT}:{seminar.district_id}"
                    if seminar.district_id
                    else f"{PROVINCE}:{seminar.province_id}"
                )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            VERSION_FIELD,
            Fieldset(
                _("Seminar"),
                *(["organiser"] if "organiser" in self.fields else []),
                "title",
                Row(Column("held_on", css_class="col-sm-4"), Column("venue", css_class="col-sm-8")),
                Row(Column("chair", css_class="col-sm-6"), Column("programme", css_class="col-sm-6")),
            ),
            Fieldset(
                _("Participants"),
                "participants",
                Row(Column("other_attendees", css_class="col-sm-4")),
            ),
            Fieldset(_("Outcomes"), "outcome"),
        )

    def clean_organiser(self) -> tuple[Province, District | None]:
        # The value is one of the choices, all drawn from the user's scope (checked by ChoiceField).
        kind, _sep, pk = self.cleaned_data["organiser"].partition(":")
        if kind == DISTRICT:
            district = District.objects.visible_to(self.user).select_related("province").get(pk=pk)
            return district.province, district
        return Province.objects.visible_to(self.user).get(pk=pk), None

    def chosen_organiser(self) -> tuple[Province, District | None]:
        if self.user.is_district_officer:
            return self.user.district.province, self.user.district
        return self.cleaned_data["organiser"]


class ThemeForm(forms.Form):
    title = forms.CharField(label=_("Theme"), max_length=300)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(Column("ORDER", css_class="col-3 col-sm-2"), Column("title", css_class="col-9 col-sm-10")),
            "notes",
            "DELETE",
        )


class BaseThemeFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["ORDER"].label = _("No.")
        form.fields["ORDER"].widget.attrs.update({"min": 1, "class": "text-end"})
        if isinstance(index, int) and form.fields["ORDER"].initial is None:
            form.fields["ORDER"].initial = index + 1  # a new row is numbered where it stands
        form.fields["DELETE"].label = _("Remove this theme")

    def themes(self) -> list[dict]:
        """The themes in the order given by their numbers (a row left unnumbered keeps its place);
        the service numbers them 1…n."""
        kept = [
            (f.cleaned_data.get("ORDER") or position, position, f)
            for position, f in enumerate(self.forms, start=1)
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        return [
            {"title": f.cleaned_data["title"], "notes": f.cleaned_data["notes"]}
            for _o, _p, f in sorted(kept, key=lambda k: k[:2])
        ]


ThemeFormSet = forms.formset_factory(
    ThemeForm,
    formset=BaseThemeFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    can_order=True,
    can_delete=True,
)


class ProposalForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["text", "responsible", "due_on", "status", "result"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 2}),
            "result": forms.Textarea(attrs={"rows": 2}),
            "due_on": DateInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.render_hidden_fields = True
        self.helper.layout = Layout(
            VERSION_FIELD,
            "text",
            Row(
                Column("responsible", css_class="col-sm-5"),
                Column("due_on", css_class="col-sm-3"),
                Column("status", css_class="col-sm-4"),
            ),
            "result",
            "DELETE",
        )


class BaseProposalFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this proposal")

    def proposals(self) -> list[dict]:
        """The proposals to keep, then those ticked for removal ({"id", "version", "remove": True}): a
        removal is checked against the version too, as the follow-up page may have changed it meanwhile."""
        kept = [f for f in self.forms if f.has_changed() or f.instance.pk]
        return [
            {
                "id": f.instance.pk,
                "version": f.loaded(),
                **{k: f.cleaned_data[k] for k in ProposalForm.Meta.fields},
            }
            for f in kept
            if not self._should_delete_form(f)
        ] + [
            {"id": f.instance.pk, "version": f.loaded(), "remove": True}
            for f in kept
            if self._should_delete_form(f) and f.instance.pk
        ]


ProposalFormSet = forms.inlineformset_factory(
    Seminar, Proposal, form=ProposalForm, formset=BaseProposalFormSet, extra=0, can_delete=True
)
