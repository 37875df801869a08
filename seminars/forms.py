"""The seminar page's form: the seminar itself, its ordered themes and its proposals, saved together by
services.seminar_save."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from branches.models import Commune, District, Province
from core.forms import NO_CHOICE, ErrorSummary
from core.versioning import VERSION_FIELD, VersionedForm
from core.widgets import AutocompleteSelect, AutocompleteSelectMultiple, DateInput, Textarea
from secretaries.models import Person

from .models import MAX_OTHER_ATTENDEES, Programme, Proposal, Seminar, too_many_attendees, union_body_name
from .seminar_selectors import organiser_units, with_branch_name
from .services import check_held_by, check_held_not_ahead, proposal_due_error

PROVINCE, DISTRICT, COMMUNE = ORGANISER_KINDS = ("province", "district", "commune")


def participant_label(person: Person) -> str:
    """ "Lê Thị Như · Ấp Ông Rùm (1995)": the name, the branch (seminar_selectors.with_branch_name) and the
    year of birth, as the participants' autocomplete and the chosen options say it."""
    year = person.date_of_birth.year
    if person.branch_name:
        return f"{person.full_name} · {person.branch_name} ({year})"
    return f"{person.full_name} ({year})"


class ParticipantsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return participant_label(obj)


def organiser_value(unit) -> str:
    """How the form and the autocomplete name an organiser: "province:84", "district:846", "commune:29365"."""
    return f"{unit._meta.model_name}:{unit.pk}"


def organiser_label(unit, province=None) -> str:
    """ "Đoàn xã Tập Ngãi — Tỉnh Vĩnh Long", "Huyện đoàn Tiểu Cần (until 30/06/2025) — Tỉnh Trà Vinh": the
    Union body, its end if it ended, and the province (communes of the same name lie in several). `province`:
    the unit's province when the caller has it loaded already."""
    name = union_body_name(unit)
    if unit.ended_on is not None:
        name = _("%(name)s (until %(date)s)") % {
            "name": name,
            "date": date_format(unit.ended_on, "SHORT_DATE_FORMAT"),
        }
    if isinstance(unit, Province):
        return name
    return f"{name} — {(province or unit.province).name}"


def organiser_from_value(user, value: str, *, current=None):
    """The unit named by a posted "kind:pk", loaded through the user's scope; None if it names none of
    the units `organiser_units` offers."""
    kind, _sep, pk = (value or "").partition(":")
    kinds = dict(zip(ORGANISER_KINDS, organiser_units(user, current=current), strict=True))
    if kind not in kinds or not pk.isdigit():
        return None
    return kinds[kind].filter(pk=pk).first()


def fixed_organiser(user):
    """The unit a district or commune officer records for: nothing to choose."""
    if user.is_district_officer:
        return user.district
    if user.is_commune_officer:
        return user.commune
    return None


def may_edit(user, record) -> bool:
    """A commune officer reads the seminars its secretaries attended but edits only its commune's own; a
    district or commune officer reads its province's programmes (ProgrammeQuerySet.province_wide) and
    edits only its own unit's."""
    if user.is_commune_officer:
        return record.commune_id == user.commune_id
    if user.is_district_officer:
        return record.district_id == user.district_id
    return True


def programmes_offered(user, *, current=None):
    """The programmes a seminar or a model of `user` could belong to: of the user's scope (a district or
    commune officer's includes its province's own: ProgrammeQuerySet.province_wide), begun by this year and,
    for a district or commune officer, of its unit's province (one read through a seminar its secretaries
    attended, or a province's that went into it, is another's: InitiativeForm refuses it) and, for a unit
    that began or ended (Đoàn xã Tập Ngãi from 2025), running in a year it existed; and the record's
    `current` one (a seminar's date is checked on saving: models.programme_period_error). The seminar form
    and the models form offer these alike."""
    programmes = Programme.objects.visible_to(user)
    could_apply = Q(from_year__lte=timezone.localdate().year)
    unit = fixed_organiser(user)
    if unit is not None:
        could_apply &= Q(province=unit.province_id)
    if unit is not None and unit.began_on is not None:
        could_apply &= Q(to_year__isnull=True) | Q(to_year__gte=unit.began_on.year)
    if unit is not None and unit.ended_on is not None:
        could_apply &= Q(from_year__lte=unit.ended_on.year)
    if current is not None:
        could_apply |= Q(pk=current)
    return programmes.filter(could_apply)


class OrganisedForm(forms.Form):
    """The organiser of a programme or a model/solution (the seminar form has its own, one choice): the
    administrator any unit, provincial staff a district or a commune of their province (or the province
    itself, left empty), a district or commune officer nothing (their own unit). Every choice comes from the
    user's scope, whatever is posted."""

    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.none(), required=False)
    district = forms.ModelChoiceField(
        label=_("District Union organising"),
        queryset=District.objects.none(),
        required=False,
        widget=AutocompleteSelect("branches:district_autocomplete"),
        help_text=_(
            "The district's Union (until 30/06/2025); leave empty when the province itself organises it."
        ),
    )
    commune = forms.ModelChoiceField(
        label=_("Commune Union organising"),
        queryset=Commune.objects.none(),
        required=False,
        widget=AutocompleteSelect("branches:commune_autocomplete", params={"current": "1"}),
        help_text=_("The commune's Union (from 01/07/2025); not together with a district."),
    )

    def organiser_fields(self, user) -> list[str]:
        """Sets the organiser's choices from the user's scope and drops those the user does not choose; the
        names of those left, for the form's layout."""
        self.fields["province"].queryset = Province.objects.visible_to(user)
        self.fields["district"].queryset = District.objects.visible_to(user).select_related("province")
        # Today's communes (and the one already organising it), as the branch form offers.
        organising = Q(ended_on__isnull=True) | Q(pk=self.instance.commune_id)
        self.fields["commune"].queryset = (
            Commune.objects.visible_to(user).filter(organising).select_related("province")
        )
        if user.is_administrator:
            return ["province", "district", "commune"]
        del self.fields["province"]
        if user.is_provincial_staff:
            if user.unit_ended_on is not None and not self.instance.commune_id:
                # An ended Tỉnh đoàn (Trà Vinh) never had a commune's Union under it: those began the day
                # after its end. The field would offer nothing its period allows.
                del self.fields["commune"]
                return ["district"]
            return ["district", "commune"]
        # A district or commune officer's records are their own unit's.
        del self.fields["district"]
        del self.fields["commune"]
        return []

    def clean_organiser(self, cleaned: dict):
        """Puts the organiser's district, commune and province in `cleaned` and returns them (the province
        None, and the error said, when there is none); checks the period (from_year, to_year) too."""
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
            return district, commune, None
        start, end = cleaned.get("from_year"), cleaned.get("to_year")
        if start and end and end < start:
            self.add_error("to_year", _("The period cannot end before it starts."))
        return district, commune, province


class SeminarForm(ErrorSummary, VersionedForm, forms.ModelForm):
    # Chosen through the autocomplete (seminars:organiser_autocomplete): a national administrator's choices
    # would be some 4,000 units. Only the chosen one is rendered, and the choices hold only what the posted
    # value names within the user's scope, so anything else is refused as an invalid choice.
    organiser = forms.ChoiceField(
        label=_("Organiser"),
        widget=AutocompleteSelect("seminars:organiser_autocomplete"),
        help_text=_("Type part of the name of the province, district or commune."),
    )
    participants = ParticipantsField(
        # The export's column, "Bí thư Chi đoàn tham dự" (the field's own name is lower case, for sentences).
        label=_("Participating secretaries"),
        queryset=Person.objects.none(),
        required=False,
        widget=AutocompleteSelectMultiple("seminars:participant_autocomplete"),
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
        widgets = {"held_on": DateInput(), "outcome": Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Only what the user's own scope holds can be chosen, whatever is posted.
        self.fields["participants"].queryset = with_branch_name(Person.objects.visible_to(user))
        self.fields["programme"].queryset = programmes_offered(user, current=self.instance.programme_id)
        self.fields["programme"].empty_label = NO_CHOICE
        # The form's own limit is the seminar's, said in its words (as the branch form's member count): on
        # PostgreSQL the field would otherwise also say the column's (2,147,483,647) beside it.
        others = self.fields["other_attendees"]
        others.max_value = MAX_OTHER_ATTENDEES
        others.validators = [v for v in others.validators if not isinstance(v, MaxValueValidator)]
        others.validators.append(MaxValueValidator(MAX_OTHER_ATTENDEES, message=too_many_attendees()))
        if (ended := user.unit_ended_on) is not None:
            # Said before the whole form is filled in, not only on saving (check_held_by).
            self.fields["held_on"].help_text = _(
                "Up to %(date)s: %(unit)s ended that day and records nothing dated later."
            ) % {"date": date_format(ended, "SHORT_DATE_FORMAT"), "unit": user.unit}
        if fixed_organiser(user) is not None:
            # A district or commune officer records their own unit's seminars only: nothing to choose.
            del self.fields["organiser"]
        else:
            seminar = self.instance
            current = seminar.organiser if seminar.pk else None
            if current is not None:
                self.initial["organiser"] = organiser_value(current)
            if self.is_bound:
                # What is posted, loaded through the user's scope (one query); None for anything else.
                self.organiser_unit = organiser_from_value(
                    user, self.data.get(self.add_prefix("organiser")), current=current
                )
            else:
                self.organiser_unit = current  # loaded with the seminar, through the same scope
            choices = [("", _("— Choose —"))]
            if (unit := self.organiser_unit) is not None:
                province = seminar.province if unit == current else None  # loaded with the seminar
                choices.append((organiser_value(unit), organiser_label(unit, province)))
            self.fields["organiser"].choices = choices
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
            # No heading of its own: the field's label says "Kết quả" already.
            Fieldset("", "outcome"),
        )

    def clean_organiser(self) -> tuple[Province, District | None, Commune | None]:
        # The value is the one choice, the unit loaded through the user's scope (checked by ChoiceField).
        unit = self.organiser_unit
        if isinstance(unit, District):
            return unit.province, unit, None
        if isinstance(unit, Commune):
            return unit.province, None, unit
        return unit, None, None

    def chosen_organiser(self) -> tuple[Province, District | None, Commune | None]:
        user = self.user
        if user.is_district_officer:
            return user.district.province, user.district, None
        if user.is_commune_officer:
            return user.commune.province, None, user.commune
        return self.cleaned_data["organiser"]

    def clean_held_on(self):
        day = self.cleaned_data.get("held_on")
        check_held_not_ahead(day)  # a ValidationError here is shown next to the date
        return day

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("held_on")
        if day is not None:
            try:
                self.check_held_by(day)
            except ValidationError as error:
                # The date itself is refused (its unit had ended, or not begun): add_error drops it from
                # cleaned_data, so the checks that read it (the programme's period, the proposals' due dates)
                # give no advice on fields that are right. The service checks the same again.
                self.add_error("held_on", error)
        return cleaned

    def check_held_by(self, day) -> None:
        """The service's refusal of a day its organiser (or the user's own unit) did not exist, said next to
        the date before anything that reads the date."""
        organiser = fixed_organiser(self.user)
        if organiser is None and (chosen := self.cleaned_data.get("organiser")) is not None:
            province, district, commune = chosen
            organiser = commune or district or province
        if organiser is None:  # an organiser refused: its own error says so
            self.user.check_may_record_on(day)
        else:
            check_held_by(organiser=organiser, day=day, user=self.user)

    #: a refusal of the service shown next to its field
    FIELD_FOR_CODE = {
        "unit_ended": "held_on",
        "unit_not_begun": "held_on",
        "held_ahead": "held_on",
        "programme_outside_period": "programme",
        "duplicate": "title",
    }

    def add_service_error(self, error) -> None:
        for item in getattr(error, "error_list", [error]):
            field = self.FIELD_FOR_CODE.get(getattr(item, "code", None))
            self.add_error(field if field in self.fields else None, item)


class ThemeForm(forms.Form):
    title = forms.CharField(label=_("Theme"), max_length=300)
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=2000, widget=Textarea(attrs={"rows": 2})
    )
    # Drawn by templates/seminars/partials/theme_row.html (a formset's rows, without crispy).


class BaseThemeFormSet(forms.BaseFormSet):
    # Said of what is missing, in either language (Django's own is "Please submit at least 1 form.").
    default_error_messages = {
        "too_few_forms": ngettext_lazy(
            "Add at least %(num)d discussion theme.", "Add at least %(num)d discussion themes.", "num"
        ),
    }

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
            "text": Textarea(attrs={"rows": 2}),
            "result": Textarea(attrs={"rows": 2}),
            "due_on": DateInput(),
        }

    # Drawn by templates/seminars/partials/proposal_row.html (a formset's rows, without crispy).


class BaseProposalFormSet(forms.BaseInlineFormSet):
    #: the seminar's date as typed in its form (set by the view before validating): no proposal falls due
    #: before it
    held_on = None

    def __init__(self, *args, follows_up: bool = True, **kwargs):
        # An account that may no longer follow proposals up (its unit ended: services.may_follow_up) corrects
        # a proposal's text, unit and due date, not its status or result, and removes none of those saved.
        self.follows_up = follows_up
        super().__init__(*args, **kwargs)

    def clean(self):
        super().clean()
        for form in self.forms:
            if not form.cleaned_data or self._should_delete_form(form):
                continue
            error = proposal_due_error(held_on=self.held_on, due_on=form.cleaned_data.get("due_on"))
            if error is not None:
                form.add_error("due_on", error)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Remove this proposal")
        if not self.follows_up:
            form.fields["status"].disabled = form.fields["result"].disabled = True
            form.fields["status"].help_text = _("Followed up by today's units, on the follow-up page.")
            if form.instance.pk:
                form.fields["DELETE"].disabled = True

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
