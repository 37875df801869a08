"""The officers' side of the secretary in the loop: inviting a secretary to an account (by e-mail or on a
printed slip), disabling it, and deciding the corrections secretaries propose."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.mixins import portal_view
from core.navigation import posted_from

from . import account_services as services
from . import selectors
from .account_forms import InvitationForm, RefuseForm
from .filters import CorrectionOrder
from .models import Correction, Invitation, Person
from .selectors import correction_list_rows, correction_rows, visible_corrections

#: the session key holding a printed slip's code between the POST and the slip page (shown once)
SLIP_SESSION_KEY = "invitation_slip"


@portal_view
def person_invite(request, pk):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    selectors.check_manages_person(request.user, person)  # first: its 403 says which unit keeps the record
    if not services.may_manage_accounts(request.user):
        raise PermissionDenied
    form = InvitationForm(
        request.POST if request.method == "POST" else None,
        person=person,
        cancel_url=person.get_absolute_url(),
    )
    if request.method == "POST" and form.is_valid():
        channel = form.cleaned_data["channel"]
        try:
            invitation, code = services.invitation_create(
                person=person,
                invited_by=request.user,
                channel=channel,
                link_base=request.build_absolute_uri("/").rstrip("/"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if channel == Invitation.Channel.EMAIL:
                messages.success(
                    request,
                    _("The invitation was sent to %(email)s; it is valid for %(days)d days.")
                    % {"email": invitation.email, "days": services.valid_days()},
                )
                return redirect(person)
            request.session[SLIP_SESSION_KEY] = {"invitation": invitation.pk, "code": code}
            messages.success(request, _("The invitation is ready: print the slip and hand it over."))
            return redirect("secretaries:invitation_slip", pk=invitation.pk)
    breadcrumbs = selectors.person_units(person, list(selectors.person_terms(person)))
    return render(
        request,
        "secretaries/invitation_form.html",
        {
            "form": form,
            "person": person,
            "days": services.valid_days(),
            "breadcrumbs": breadcrumbs,
        },
    )


@portal_view
def invitation_slip(request, pk):
    """The A4 slip with the code, shown once: the code is not stored, only its hash."""
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user).select_related("person", "invited_by"), pk=pk
    )
    slip = request.session.pop(SLIP_SESSION_KEY, None) or {}
    code = slip.get("code") if slip.get("invitation") == invitation.pk and invitation.is_open else None
    if code is None:
        messages.info(request, _("The code is shown only once. Invite again for a new code."))
        return redirect(invitation.person)
    return render(
        request,
        "secretaries/invitation_slip.html",
        {
            "invitation": invitation,
            "code": code,
            "activate_url": request.build_absolute_uri(reverse("own:activate")),
            "today": timezone.localdate(),
        },
    )


@portal_view
@require_POST
def invitation_revoke(request, pk):
    invitation = get_object_or_404(
        Invitation.objects.visible_to(request.user).select_related("person"), pk=pk
    )
    if not services.may_manage_accounts(request.user):
        raise PermissionDenied
    services.invitation_revoke(invitation=invitation, by=request.user)
    request.session.pop(SLIP_SESSION_KEY, None)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect(invitation.person)


@portal_view
@require_POST
@posted_from("secretaries:person_detail", "pk")
def person_account_active(request, pk):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    if not services.may_manage_accounts(request.user):
        raise PermissionDenied
    selectors.check_manages_person(request.user, person)
    active = request.POST.get("active") == "1"
    try:
        services.secretary_account_set_active(person=person, active=active, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(person)
    if active:
        messages.success(request, _("The account of %(name)s is enabled again.") % {"name": person.full_name})
    else:
        messages.success(
            request,
            _("The account of %(name)s is disabled and signed out everywhere.") % {"name": person.full_name},
        )
    return redirect(person)


@portal_view
def correction_list(request):
    status = request.GET.get("status", Correction.Status.PENDING)
    if status not in Correction.Status.values and status != "all":
        status = Correction.Status.PENDING
    corrections = visible_corrections(request.user)
    if status != "all":
        corrections = corrections.filter(status=status)
    if status == Correction.Status.PENDING:
        corrections = corrections.order_by("created_at", "pk")  # the longest waiting first
    corrections = CorrectionOrder(request.GET, queryset=corrections).qs
    rows = correction_list_rows(corrections[:200])
    return render(
        request,
        "secretaries/correction_list.html",
        {"rows": rows, "status": status, "statuses": Correction.Status.choices},
    )


@portal_view
def correction_review(request, pk):
    correction = get_object_or_404(
        visible_corrections(request.user).select_related("person", "proposed_by", "decided_by"), pk=pk
    )
    refuse_form = RefuseForm(
        request.POST if request.method == "POST" and request.POST.get("action") == "refuse" else None,
        cancel_url=reverse("secretaries:correction_list"),
    )
    if request.method == "POST":
        if not services.may_manage_accounts(request.user):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "accept":
                services.correction_accept(correction=correction, by=request.user)
                messages.success(
                    request,
                    _("The correction was applied to the record of %(name)s.")
                    % {"name": correction.person.full_name},
                )
                return redirect("secretaries:correction_list")
            if action == "refuse" and refuse_form.is_valid():
                services.correction_refuse(
                    correction=correction, by=request.user, reason=refuse_form.cleaned_data["reason"]
                )
                messages.success(request, _("The correction was refused; the person sees your reason."))
                return redirect("secretaries:correction_list")
        except ValidationError as error:
            if action == "refuse" and hasattr(error, "error_dict"):
                refuse_form.add_error(None, error)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect(correction)
    return render(
        request,
        "secretaries/correction_review.html",
        {
            "correction": correction,
            "row": correction_rows([correction])[0],
            "refuse_form": refuse_form,
            "may_decide": services.may_manage_accounts(request.user),
        },
    )
