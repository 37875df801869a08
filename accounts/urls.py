from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .forms import LoginForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    path(
        "password_change/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=SetPasswordForm),
        name="password_reset_confirm",
    ),
    path("verify/", views.second_factor_verify, name="mfa_verify"),
    path("security/", views.account_security, name="account_security"),
    path("keepalive/", views.keepalive, name="keepalive"),
    path("security/enrol/", views.second_factor_enrol, name="mfa_enrol"),
    path("security/recovery-codes/", views.recovery_codes, name="mfa_recovery_codes"),
    path("security/recovery-codes/new/", views.recovery_codes_regenerate, name="mfa_recovery_regenerate"),
    path("security/remove/", views.second_factor_remove, name="mfa_remove"),
    path("", include("django.contrib.auth.urls")),
]
