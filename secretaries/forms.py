import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from branches.forms import BranchChoiceField, form_actions
from branches.models import Branch
from core.forms import ErrorSummary, prompt_to_choose
from core.text import fold, normalize_name
from core.versioning import VERSION_FIELD, VersionedForm
from core.widgets import AutocompleteSelect, DateInput

from . import portraits
from .birth_dates import validate_date_of_birth
from .models import Person, Term, check_expected_end, check_party_date
from .selectors import manages_person
from .sensitive import hidden_fields
from .services import current_secretary_term


def _short(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.full_name} ({obj.date_of_birth.year})"


class AppointmentFieldsMixin:
    """Branch, role and dates of an appointment, and the confirmation a replacement needs."""

    def add_appointment_fields(self, user):
        self.fields["branch"] = BranchChoiceField(
            label=_("Branch"),
            queryset=Branch.objects.visible_to(user).active().select_related("commune"),
            widget=AutocompleteSelect("branches:branch_autocomplete"),
            help_text=_("Type part of the branch name, with or without diacritics."),
        )
        self.fields["role"] = forms.ChoiceField(
            label=_("Role"), choices=Term.Role.choices, initial=Term.Role.SECRETARY
        )
        self.fields["started_on"] = forms.DateField(label=_("Term starts on"), widget=DateInput())
        self.fields["expected_end_on"] = forms.DateField(
            label=_("Term due to end on"), widget=DateInput(), required=False
        )
        self.fields["confirm_replace"] = forms.BooleanField(
            label=_("Replace the branch's current secretary"), required=False
        )
        # The confirmation is offered only for a branch that has a secretary to replace.
        self.current_secretary = self._current_secretary_of(self["branch"].value(), user)
        if self.current_secretary is None:
            self.fields["confirm_replace"].widget = forms.HiddenInput()
        else:
            self.fields["confirm_replace"].label = _("Replace %(person)s, secretary since %(date)s") % {
                "person": self.current_secretary.person.full_name,
                "date": _short(self.current_secretary.started_on),
            }

    @staticmethod
    def _current_secretary_of(branch_id, user) -> Term | None:
        if not str(branch_id or "").isdigit():
            return None
        branch = Branch.objects.visible_to(user).filter(pk=branch_id).first()
        return current_secretary_term(branch) if branch else None

    def clean_appointment(self, cleaned, person: Person | None = None):
        branch, role, started = cleaned.get("branch"), cleaned.get("role"), cleaned.get("started_on")
        try:
            check_expected_end(started_on=started, expected_end_on=cleaned.get("expected_end_on"))
        except ValidationError as error:
            self.add_error("expected_end_on", error)
        # A term counts from the day it is recorded (a branch with it is no longer vacant, its secretary is
        # assessed): one that has not begun would count too early and could be neither ended nor replaced.
        if started and started > timezone.localdate():
            self.add_error(
                "started_on",
                _("This day has not come yet: a term is recorded once it has begun."),
            )
        if not (branch and role == Term.Role.SECRETARY and started):
            return
        current = self.current_secretary
        if (
            current is None
            or current.branch_id != branch.pk
            or (person is not None and current.person_id == person.pk)
        ):
            return
        if started <= current.started_on:
            self.add_error(
                "started_on",
                _(
                    "%(person)s has been secretary of this branch since %(date)s; "
                    "the new term must start later."
                )
                % {"person": current.person.full_name, "date": _short(current.started_on)},
            )
        elif not cleaned.get("confirm_replace"):
            self.add_error(
                "confirm_replace",
                _(
                    "%(branch)s already has a secretary: %(person)s, since %(since)s. Tick this box to end "
                    "%(person)s's term on %(last_day)s and appoint the new secretary."
                )
                % {
                    "branch": branch.name,
                    "person": current.person.full_name,
                    "since": _short(current.started_on),
                    "last_day": _short(started - datetime.timedelta(days=1)),
                },
            )


class PartyDateRule:
    """The record's party rule (models.check_party_date), said beside the date: only a party member has a
    date of joining, and not before 18. The officer's form and the secretary's correction form alike."""

    def clean(self):
        cleaned = super().clean()
        try:
            check_party_date(
                is_party_member=cleaned.get("is_party_member"),
                date_of_birth=cleaned.get("date_of_birth"),
                party_joined_on=cleaned.get("party_joined_on"),
            )
        except ValidationError as error:
            self.add_error("party_joined_on", error)
        return cleaned


class PersonForm(ErrorSummary, PartyDateRule, VersionedForm, forms.ModelForm):
    portrait = forms.FileField(
        label=_("Portrait"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": portraits.ACCEPT}),
        help_text=_("A JPEG, PNG or WebP photo, at most 5 MB."),
    )

    class Meta:
        model = Person
        fields = [
            "full_name",
            "gender",
            "date_of_birth",
            "ethnicity",
            "religion",
            "education_level",
            "political_theory_level",
            "is_party_member",
            "party_joined_on",
            "occupation",
            "phone",
            "email",
        ]
        widgets = {"date_of_birth": DateInput(), "party_joined_on": DateInput()}

    def __init__(self, *args, user, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        prompt_to_choose(self)
        if "religion" in hidden_fields(user):
            # Sensitive data this user may not see (secretaries/sensitive.py): not shown, so not changed.
            del self.fields["religion"]
        self.add_extra_fields(user)
        self.helper = FormHelper()
        self.helper.form_tag = True
        self.helper.attrs = {"enctype": "multipart/form-data", "data-warn-unsaved": ""}
        self.helper.layout = Layout(VERSION_FIELD, *self.layout_parts(), form_actions(cancel_url))

    def add_extra_fields(self, user):
        """Hook for subclasses that add fields to the person's own."""

    def layout_parts(self):
        return [
            Fieldset(
                _("Personal details"),
                "full_name",
                Row(Column("gender", css_class="col-sm-4"), Column("date_of_birth", css_class="col-sm-8")),
                Row(
                    Column("ethnicity", css_class="col-sm-6"),
                    *([Column("religion", css_class="col-sm-6")] if "religion" in self.fields else []),
                ),
                Row(
                    Column("education_level", css_class="col-sm-6"),
                    Column("political_theory_level", css_class="col-sm-6"),
                ),
                Row(
                    Column("is_party_member", css_class="col-sm-4 pt-sm-4"),
                    Column("party_joined_on", css_class="col-sm-8"),
                ),
                "occupation",
                Row(Column("phone", css_class="col-sm-6"), Column("email", css_class="col-sm-6")),
                "portrait",
            )
        ]

    def clean_full_name(self) -> str:
        return normalize_name(self.cleaned_data["full_name"])

    def clean_date_of_birth(self):
        # Here, not only in the model's validation after clean(): clean() compares it with the Party date.
        born = self.cleaned_data["date_of_birth"]
        validate_date_of_birth(born)
        return born

    def clean_portrait(self):
        upload = self.cleaned_data.get("portrait")
        if not upload:
            return None
        return portraits.image_process(upload)


class PersonCreateForm(AppointmentFieldsMixin, PersonForm):
    """A new secretary or deputy: the person and their appointment, saved together."""

    def add_extra_fields(self, user):
        self.add_appointment_fields(user)
        # Offered only once a person with the same name and birth date is found in scope (see clean).
        self.fields["confirm_not_duplicate"] = forms.BooleanField(
            label=_("This is another person, with the same name and date of birth"),
            required=False,
            widget=forms.HiddenInput(),
        )
        self.duplicates: list[Person] = []

    def layout_parts(self):
        return [
            Fieldset(
                _("Appointment"),
                "branch",
                Row(
                    Column("role", css_class="col-md-4"),
                    Column("started_on", css_class="col-md-4"),
                    Column("expected_end_on", css_class="col-md-4"),
                ),
                "confirm_replace",
            ),
            *super().layout_parts(),
            "confirm_not_duplicate",
        ]

    def clean(self):
        cleaned = super().clean()
        self.clean_appointment(cleaned)
        self.clean_duplicates(cleaned)
        return cleaned

    def clean_duplicates(self, cleaned):
        """Someone with the same name and birth date in scope is most likely the same person: show them
        (the template links to them and to appointing them) unless the officer says it is someone else."""
        name, born = cleaned.get("full_name"), cleaned.get("date_of_birth")
        if not (name and born):
            return
        self.duplicates = list(
            Person.objects.visible_to(self.user).filter(name_key=fold(name), date_of_birth=born)[:5]
        )
        if self.duplicates:
            self.fields["confirm_not_duplicate"].widget = forms.CheckboxInput()
            if not cleaned.get("confirm_not_duplicate"):
                self.add_error(
                    "confirm_not_duplicate",
                    _(
                        "%(name)s, born %(date)s, is already in the portal. Appoint that person instead, or "
                        "tick this box if this is someone else."
                    )
                    % {"name": self.duplicates[0].full_name, "date": _short(born)},
                )


class AppointmentForm(AppointmentFieldsMixin, forms.Form):
    def __init__(self, *args, user, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["person"] = PersonChoiceField(
            label=_("Person"),
            queryset=Person.objects.visible_to(user),
            widget=AutocompleteSelect("secretaries:person_autocomplete"),
            help_text=_("Someone already in the portal. For someone new, use “Add secretary”."),
        )
        self.add_appointment_fields(user)
        # Appointing the branch's secretary again: nobody to replace (the refusal says they already are).
        if self.current_secretary is not None and str(self["person"].value()) == str(
            self.current_secretary.person_id
        ):
            self.fields["confirm_replace"].widget = forms.HiddenInput()
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "person",
            "branch",
            Row(
                Column("role", css_class="col-md-4"),
                Column("started_on", css_class="col-md-4"),
                Column("expected_end_on", css_class="col-md-4"),
            ),
            "confirm_replace",
            form_actions(cancel_url, _("Appoint")),
        )

    def clean_person(self):
        # A person the unit reads and does not keep (serving in another commune's branch now) is that unit's
        # to appoint: the person page offers nothing to change on their record, and this says why.
        person = self.cleaned_data["person"]
        if not manages_person(self.user, person):
            raise forms.ValidationError(
                _("This record is kept by another unit: your unit reads it and does not change it."),
                code="not_kept",
            )
        return person

    def clean(self):
        cleaned = super().clean()
        self.clean_appointment(cleaned, person=cleaned.get("person"))
        return cleaned


class TermEndForm(VersionedForm, forms.Form):
    ended_on = forms.DateField(label=_("Last day of the term"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        required=False,
        help_text=_("For example: moved away, over the Union age."),
    )

    def __init__(self, *args, term: Term, cancel_url: str, **kwargs):
        super().__init__(*args, version_of=term, **kwargs)
        self.term = term
        self.helper = FormHelper()
        self.helper.layout = Layout(
            VERSION_FIELD, "ended_on", "reason", form_actions(cancel_url, _("End term"))
        )

    def clean_ended_on(self):
        ended = self.cleaned_data["ended_on"]
        if ended < self.term.started_on:
            raise forms.ValidationError(
                _("The term began on %(date)s; it cannot end before that.")
                % {"date": _short(self.term.started_on)}
            )
        if ended > timezone.localdate():
            raise forms.ValidationError(
                _("This day has not come yet: a term's end is recorded once its last day has come.")
            )
        return ended


#: how far ahead a term's expected end may be set: a branch elects its committee for a term of at most this
#: many years (a re-election or an extension sets the next end from today)
TERM_YEARS_AHEAD_AT_MOST = 5


class TermExtendForm(VersionedForm, forms.Form):
    """A current term's expected end moved: re-elected at the branch's congress, extended, or corrected."""

    expected_end_on = forms.DateField(label=_("Term due to end on"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=100,
        required=False,
        help_text=_("For example: re-elected at the branch congress of 15/11/2026; the term extended."),
    )

    def __init__(self, *args, term: Term, cancel_url: str, **kwargs):
        super().__init__(*args, version_of=term, **kwargs)
        self.term = term
        if term.expected_end_on:
            self.fields["expected_end_on"].help_text = _("Now: %(date)s.") % {
                "date": _short(term.expected_end_on)
            }
        self.helper = FormHelper()
        self.helper.layout = Layout(
            VERSION_FIELD, "expected_end_on", "reason", form_actions(cancel_url, _("Save"))
        )

    def clean_expected_end_on(self):
        due = self.cleaned_data["expected_end_on"]
        if due < self.term.started_on:
            raise forms.ValidationError(
                _("The term began on %(date)s; it cannot be due to end before that.")
                % {"date": _short(self.term.started_on)}
            )
        today = timezone.localdate()
        try:
            latest = today.replace(year=today.year + TERM_YEARS_AHEAD_AT_MOST)
        except ValueError:  # 29 February
            latest = today.replace(year=today.year + TERM_YEARS_AHEAD_AT_MOST, day=28)
        if due > latest:
            raise forms.ValidationError(
                _(
                    "A term is elected for at most %(years)d years: "
                    "the expected end can be %(date)s at the latest."
                )
                % {"years": TERM_YEARS_AHEAD_AT_MOST, "date": _short(latest)}
            )
        if due == self.term.expected_end_on:
            raise forms.ValidationError(_("This is already the term's expected end."))
        return due
