from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.utils.translation import gettext_lazy as _

from core.deferred import run_after_response


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Log in"), css_class="btn-primary w-100"))


class PasswordResetForm(DjangoPasswordResetForm):
    """Sends the mail after the response: an address with an account then answers as fast as one without,
    so the timing does not tell which addresses have an account (ASVS V6)."""

    def send_mail(self, *args, **kwargs):
        run_after_response(super().send_mail, *args, **kwargs)
