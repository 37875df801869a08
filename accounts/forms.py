from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordChangeForm as DjangoPasswordChangeForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.contrib.auth.forms import SetPasswordForm as DjangoSetPasswordForm
from django.db.models import Sum
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.forms import Submit
from core.jobs import enqueue

from .mail import send_password_reset_mail
from .password_validation import RoleMinimumLengthValidator, needs_long_password

#: a wrong password says how many attempts are left once this few remain before the lockout
WARN_ATTEMPTS_LEFT = 2


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Log in"), css_class="btn-primary w-100"))

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError as error:
            left = self._attempts_left() if error.code == "invalid_login" else None
            if left is not None and 0 < left <= WARN_ATTEMPTS_LEFT:
                minutes = round(settings.AXES_COOLOFF_TIME * 60)
                warning = ngettext(
                    "%(count)d attempt left: after that, logging in is blocked for %(minutes)d minutes.",
                    "%(count)d attempts left: after that, logging in is blocked for %(minutes)d minutes.",
                    left,
                ) % {"count": left, "minutes": minutes}
                raise forms.ValidationError(
                    [error, forms.ValidationError(warning, code="attempts_left")]
                ) from None
            raise

    def _attempts_left(self) -> int | None:
        """Before the lockout of this username from this address (django-axes has just counted this
        failure: its handler runs inside authenticate())."""
        from axes.models import AccessAttempt

        username = self.cleaned_data.get("username")
        address = getattr(self.request, "axes_ip_address", None)
        if not username or not address:
            return None
        failures = AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(
            n=Sum("failures_since_start")
        )["n"]
        return settings.AXES_FAILURE_LIMIT - (failures or 0)


class PasswordResetForm(DjangoPasswordResetForm):
    """The mail goes through the job queue (accounts/mail.py): an address with an account then answers as
    fast as one without, so the timing does not tell which addresses have an account (ASVS V6)."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        enqueue(
            send_password_reset_mail,
            user_id=context["user"].pk,
            to_email=to_email,
            domain=context["domain"],
            site_name=context["site_name"],
            protocol=context["protocol"],
            from_email=from_email,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            subject_template_name=subject_template_name,
            email_template_name=email_template_name,
            html_email_template_name=html_email_template_name,
        )


class SecondFactorCodeForm(forms.Form):
    """One code: six digits from the authenticator app or, at the code step, a recovery code."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(
        self,
        *args,
        submit_label,
        help_text="",
        submit_class="btn-primary w-100",
        recovery_code=False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = help_text
        if not recovery_code:
            # The app's six digits: a phone's number pad. Not where a recovery code (letters too) is taken.
            self.fields["code"].widget.attrs["inputmode"] = "numeric"
        self.helper = FormHelper()
        self.helper.add_input(_button(submit_label, submit_class))


class ConfirmForm(forms.Form):
    """A button that confirms a POST action (no fields)."""

    def __init__(self, *args, submit_label, submit_class="btn-outline-primary", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(_button(submit_label, submit_class))


def _button(label, classes: str) -> Submit:
    # Submit's own "btn btn-primary" would win over an outline style given as css_class.
    button = Submit("submit", label)
    button.field_classes = f"btn {classes}"
    return button


class RulesForThisAccount:
    """The new password's help lists the rules as they apply to the account: the longer minimum of
    administrators and provincial staff is not shown to a secretary or an officer."""

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        validators = [
            validator
            for validator in password_validation.get_default_password_validators()
            if needs_long_password(user) or not isinstance(validator, RoleMinimumLengthValidator)
        ]
        self.fields["new_password1"].help_text = password_validation.password_validators_help_text_html(
            validators
        )


class PasswordChangeForm(RulesForThisAccount, DjangoPasswordChangeForm):
    pass


class SetPasswordForm(RulesForThisAccount, DjangoSetPasswordForm):
    """The password reset's last step."""
