"""A branch secretary's own pages ("Hồ sơ của tôi", /toi/): their record and everything the portal holds
about them, read-only; their consent; their correction proposals; the download of all their data. And the
activation of the account from an invitation code, before they have one.

Nothing here goes through a scope: the secretary's account is bound to one Person, and every read is of
that person (request.user.person). Any other account gets 404 (core.mixins.secretary_view).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from branches.rollup import unit_names
from core.excel import xlsx_workbook_response
from core.mixins import secretary_view
from core.navigation import posted_from
from core.personal_data import record_sensitive_access
from core.sections import OWN_PAGE, sections_for
from core.subject_data import subject_sheets
from core.text import fold

from . import account_services as services
from .account_forms import AccountForm, CodeForm, ConsentForm, CorrectionForm
from .choices import ETHNICITIES, PublicConsent
from .models import Person
from .selectors import consent_history, correction_rows, person_terms, person_units
from .sensitive import SENSITIVE_FIELDS

#: the session key holding the code between the code page and the account form (never in a URL after)
CODE_SESSION_KEY = "activation_code"
REVOKED_MESSAGE = _lazy(
    "This code was replaced by a newer invitation or withdrawn. Ask your unit for a new one."
)


def _person(request) -> Person:
    return Person.objects.select_related("province", "district").get(pk=request.user.person_id)


def _own_page(request, person: Person, *, consent_form: ConsentForm | None = None):
    if consent_form is None:
        # Their answer so far chosen, so the form shows what they said (and changing it is one click).
        consent_form = ConsentForm(
            cancel_url=reverse("own:home"),
            initial={"answer": person.public_consent}
            if person.public_consent in (PublicConsent.GIVEN, PublicConsent.REFUSED)
            else None,
        )
    return render(
        request,
        "secretaries/own/home.html",
        {
            "person": person,
            "terms": list(person_terms(person)),
            "ethnicity_name": dict(ETHNICITIES).get(person.ethnicity, ""),
            # Assessments (and, beside them, self-assessment), seminars, commendations: each app's own part.
            "sections": sections_for(OWN_PAGE, person, user=request.user),
            "consent_form": consent_form,
            "consents": consent_history(person),
            "corrections": correction_rows(person.corrections.select_related("decided_by")),
        },
    )


@secretary_view
def own_home(request):
    return _own_page(request, _person(request))


@secretary_view
@require_POST
@posted_from("own:home")
def own_consent(request):
    person = _person(request)
    form = ConsentForm(request.POST, cancel_url=reverse("own:home"))
    if not form.is_valid():
        # Said beside the question, which the page then brings into view (portal.js): on a phone it is five
        # screens below the top, where a message at the top would leave it.
        return _own_page(request, person, consent_form=form)
    services.consent_answer(person=person, answer=form.cleaned_data["answer"], user=request.user)
    messages.success(request, _("Your answer was recorded today."))
    return redirect("own:home")


@secretary_view
def own_correction(request):
    person = _person(request)
    form = CorrectionForm(
        request.POST if request.method == "POST" else None, person=person, cancel_url=reverse("own:home")
    )
    if request.method == "POST" and form.is_valid():
        changes = {name: form.cleaned_data.get(name) for name in services.CORRECTABLE_FIELDS}
        try:
            sent = services.correction_propose(
                person=person, user=request.user, changes=changes, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Who answers: the unit, and for religion (sensitive data) the provincial Youth Union.
            if all(correction.sensitive for correction in sent):
                text = _(
                    "Your correction was sent to the provincial Youth Union, which alone decides on "
                    "religion. You will see its answer here."
                )
            elif any(correction.sensitive for correction in sent):
                text = _(
                    "Your correction was sent: religion to the provincial Youth Union, which alone decides "
                    "on it, the rest to your unit. You will see their answers here."
                )
            else:
                text = _("Your correction was sent to your unit. You will see its answer here.")
            messages.success(request, text)
            return redirect("own:home")
    # A request still waiting is said first: a second one would be decided against the record as it is.
    pending = correction_rows(person.corrections.pending().select_related("person").order_by("created_at"))
    return render(
        request,
        "secretaries/own/correction_form.html",
        {"form": form, "person": person, "pending": pending},
    )


@secretary_view
def own_export(request):
    """Everything the portal holds about the person, one sheet per kind (Law 91/2025/QH15)."""
    person = _person(request)
    filename = f"du-lieu-cua-toi-{slugify(fold(person.full_name)) or person.pk}.xlsx"
    # The line under the title names the unit that keeps the record, as every export's does.
    units = person_units(person, list(person_terms(person)))
    unit = unit_names(*(getattr(units[level], "name", None) for level in ("commune", "district", "province")))
    response, rows = xlsx_workbook_response(
        filename=filename,
        title=_("Data held about %(name)s") % {"name": person.full_name},
        scope=unit,
        sheets=subject_sheets(person),
    )
    record_sensitive_access(
        what="own-data-export", fields=SENSITIVE_FIELDS, rows=rows, user=request.user, subject_id=person.pk
    )
    return response


# Activation: anonymous pages, reached from the login page, the e-mail's link or the slip.


def _locked(request, template: str, form):
    form.add_error(None, _("Too many wrong codes from this address. Try again in 15 minutes."))
    return render(request, template, {"form": form, "step": "code"}, status=429)


def activate(request):
    """Step 1: the code (typed, or carried from the e-mail's link)."""
    if request.user.is_authenticated:
        return redirect("home")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if services.activation_locked(request):
            return _locked(request, "secretaries/own/activate.html", form)
        if form.is_valid():
            code = form.cleaned_data["code"]
            invitation = services.invitation_by_code(code)
            if invitation is None:
                services.activation_failed(request, "invalid")
                form.add_error("code", _("This code is not valid."))
            elif invitation.used_at is not None:
                services.activation_failed(request, "used")
                form.add_error("code", _("This code has already been used."))
            elif invitation.revoked_at is not None:
                services.activation_failed(request, "revoked")
                form.add_error("code", REVOKED_MESSAGE)
            elif invitation.is_expired:
                services.activation_failed(request, "expired")
                form.add_error("code", _("This code has expired. Ask your unit for a new one."))
            else:
                request.session[CODE_SESSION_KEY] = services.normalise_code(code)
                return redirect("own:activate_account")
    return render(request, "secretaries/own/activate.html", {"form": form, "step": "code"})


def activate_start(request, code):
    """The e-mail's link: the code goes to the session and leaves the address bar at once."""
    if request.user.is_authenticated:
        return redirect("home")
    request.session[CODE_SESSION_KEY] = services.normalise_code(code)
    return redirect("own:activate_account")


def activate_account(request):
    """Step 2: a username and a password; the account is bound to the invitation's person."""
    if request.user.is_authenticated:
        return redirect("home")
    code = request.session.get(CODE_SESSION_KEY, "")
    invitation = services.invitation_by_code(code)
    if invitation is None or not invitation.is_open:
        if code:
            services.activation_failed(request, "link")
            request.session.pop(CODE_SESSION_KEY, None)
        messages.error(request, _("Type the code of your invitation."))
        return redirect("own:activate")
    form = AccountForm(request.POST if request.method == "POST" else None, cancel_url=reverse("login"))
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_redeem(
                code=code, username=form.cleaned_data["username"], password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session.pop(CODE_SESSION_KEY, None)
            messages.success(request, _("Your account is ready. Log in with your username and password."))
            return redirect("login")
    return render(
        request,
        "secretaries/own/activate.html",
        {
            "form": form,
            "step": "account",
            "person_name": invitation.person.full_name,
            "today": timezone.now(),
        },
    )
