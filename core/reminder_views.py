"""The reminders' pages: the settings of a logged-in user, and the one-click unsubscribe of a digest's link
(no login: the signed token names the user and the kind; a GET only shows what a POST will change)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import reminders
from .mixins import portal_view
from .reminder_forms import ReminderSettingsForm, UnsubscribeForm


@portal_view
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    user = request.user
    off = reminders.opted_out(user)
    initial = {"kinds": [code for code in reminders.KINDS if code not in off]}
    form = ReminderSettingsForm(
        request.POST if request.method == "POST" else None, initial=initial, cancel_url=reverse("home")
    )
    if request.method == "POST" and form.is_valid():
        reminders.reminder_preferences_save(user=user, wanted=set(form.cleaned_data["kinds"]))
        messages.success(request, _("Your reminder settings were saved."))
        return redirect("reminders:settings")
    return render(
        request,
        "reminders/settings.html",
        {"form": form, "email": user.email, "upcoming": reminders.reminders_for(user)},
    )


@require_http_methods(["GET", "POST"])
def reminder_unsubscribe(request, token: str):
    found = reminders.read_unsubscribe_token(token)
    if found is None:
        # An altered or foreign link: refused, and nothing says whose it might have been.
        raise Http404
    user, kind = found
    label = reminders.KINDS[kind].label
    form = UnsubscribeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        reminders.reminder_opt_out(user=user, kind=kind)
        messages.success(
            request, _("You will no longer receive these reminders: %(kind)s.") % {"kind": label}
        )
        return redirect("reminders:unsubscribe", token=token)
    return render(
        request,
        "reminders/unsubscribe.html",
        {"form": form, "label": label, "done": kind in reminders.opted_out(user)},
    )
