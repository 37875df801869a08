"""Forms of the secretary in the loop: invitation, activation, corrections, consent."""

import copy

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from branches.forms import form_actions
from core.forms import ErrorSummary, Submit, prompt_to_choose
from core.validators import validate_not_in_future
from core.widgets import DateInput, Textarea

from .account_services import CORRECTABLE_FIELDS
from .birth_dates import validate_date_of_birth
from .choices import PublicConsent
from .forms import PartyDateRule
from .models import Invitation, Person
from .phones import formatted, validate_phone


class InvitationForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("How to hand over the invitation"),
        choices=Invitation.Channel.choices,
        widget=forms.RadioSelect,
        initial=Invitation.Channel.PRINTED,
    )

    def __init__(self, *args, person: Person, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        if not person.email:
            self.fields["channel"].choices = [(Invitation.Channel.PRINTED, Invitation.Channel.PRINTED.label)]
            self.fields["channel"].help_text = _("The record has no e-mail address: the code is printed.")
        self.helper = FormHelper()
        self.helper.layout = Layout("channel", form_actions(cancel_url, label=_("Invite")))


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Invitation code"),
        max_length=30,
        help_text=_("The 12 letters and digits on your slip or in your e-mail, e.g. ABCD-EFGH-JKMN."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("code", form_actions(reverse("login"), label=_("Continue")))


class AccountForm(forms.Form):
    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        help_text=_("Letters, digits and . _ - only, e.g. nguyenvanan."),
        validators=[User.username_validator],
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "username", "password1", "password2", form_actions(cancel_url, label=_("Create my account"))
        )

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This username is taken: choose another."))
        return username

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                validate_password(first, User(username=cleaned.get("username", ""), role=User.Role.SECRETARY))
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class CorrectionForm(ErrorSummary, PartyDateRule, forms.ModelForm):
    """The secretary's record as it is, to change what is wrong; only the changed fields are proposed."""

    note = forms.CharField(
        label=_("Note to your unit"),
        required=False,
        max_length=2000,
        widget=Textarea(attrs={"rows": 3}),
        help_text=_("Why the change, or where it can be checked (optional)."),
    )

    class Meta:
        model = Person
        fields = list(CORRECTABLE_FIELDS)
        widgets = {"date_of_birth": DateInput(), "party_joined_on": DateInput()}

    def __init__(self, *args, person: Person, cancel_url: str, **kwargs):
        # A copy: the form's validation writes the values into its instance, and the record must not change.
        super().__init__(*args, instance=copy.copy(person), **kwargs)
        self.fields["phone"].widget.attrs.update({"inputmode": "tel"})
        prompt_to_choose(self)
        self.helper = FormHelper()
        # Leaving with values typed and not sent (the language switch, a link) asks first (portal.js).
        self.helper.attrs = {"data-warn-unsaved": ""}
        self.helper.layout = Layout(
            "full_name",
            Row(Column("date_of_birth", css_class="col-sm-6"), Column("gender", css_class="col-sm-6")),
            Row(Column("ethnicity", css_class="col-sm-6"), Column("religion", css_class="col-sm-6")),
            Row(
                Column("education_level", css_class="col-sm-6"),
                Column("political_theory_level", css_class="col-sm-6"),
            ),
            # As on the officer's form (secretaries.forms.PersonForm): the date beside the box it depends on.
            Row(
                Column("is_party_member", css_class="col-sm-4 pt-sm-4"),
                Column("party_joined_on", css_class="col-sm-8"),
            ),
            "occupation",
            Row(Column("phone", css_class="col-sm-6"), Column("email", css_class="col-sm-6")),
            "note",
            form_actions(cancel_url, label=_("Send the correction")),
        )

    def clean_date_of_birth(self):
        # The model's validator, as for the phone below: what the officer's form refuses is refused here.
        born = self.cleaned_data["date_of_birth"]
        validate_date_of_birth(born)
        return born

    def clean_phone(self):
        # The model's validator, which `_post_clean` below would otherwise leave out: a number the secretary
        # mistypes is said to them now, not found by the officer who accepts it.
        phone = self.cleaned_data["phone"]
        validate_phone(phone)
        return formatted(phone)  # as the record keeps it: a number typed another way is not a change

    def clean_party_joined_on(self):
        joined = self.cleaned_data["party_joined_on"]
        if joined:
            validate_not_in_future(joined)
        return joined

    def _post_clean(self):
        # The record's own constraints are checked when an officer accepts; nothing is saved here.
        pass


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for refusal"), max_length=2000, widget=Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("reason")


class ConsentForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("May the Union show your portrait and achievements publicly (the honour wall)?"),
        choices=[
            (PublicConsent.GIVEN, _("Yes, I agree")),
            (PublicConsent.REFUSED, _("No (or withdraw my consent)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose to agree or to refuse.")},
    )

    def __init__(self, *args, cancel_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("own:consent")
        self.helper.layout = Layout("answer", Submit("submit", _("Save my answer"), css_class="btn-primary"))
