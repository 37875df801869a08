"""Nominations: an officer proposes their unit's secretaries (a commune officer in a campaign of communes, a
district officer in one of districts: Campaign.nominated_by), with the unit's eligible secretaries ranked
beside the form, submits, withdraws or deletes them, and takes one the province did not approve back to
draft to correct it; provincial staff approve or reject them one by one (the campaign's review page does it
in bulk).

Every nomination and campaign is loaded through `visible_to(user)` first (outside scope → 404), and only
then is the role checked (inside scope without the right → 403). The rules are the services'.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, TemplateView

from core.history import history_rows, merged
from core.mixins import PortalMixin, RefusedWithReason, ScopedObjectMixin, portal_view
from core.navigation import safe_next
from core.planning import object_or_404
from core.versioning import VERSION_FIELD

from . import selectors, services
from .documents import document_history_rows, document_response
from .models import DISTRICT, Campaign, Nomination, NominationDocument
from .nomination_forms import DecisionChangeForm, DocumentForm, NominationForm, RejectForm

#: the latest changes a nomination's page lists, its own and its documents'
HISTORY_LIMIT = 30

Status = Nomination.Status
CANDIDATES_SHOWN = 50


def _nominations(user):
    return Nomination.objects.visible_to(user).select_related(
        "campaign__province", "person", "district", "commune"
    )


def _load(request, pk) -> Nomination:
    return get_object_or_404(_nominations(request.user), pk=pk)


def _require_officer(user, campaign: Campaign) -> None:
    """Only an officer of a unit that nominates in the campaign (a commune officer reads the old province's
    campaigns, and nominates in none of them)."""
    if campaign.nominated_by(user):
        return
    if user.is_commune_officer and campaign.level == DISTRICT:
        # A bookmark or an old link: say whose campaign it was and where the commune nominates now.
        raise RefusedWithReason(
            _(
                "“%(campaign)s” was run by %(union)s before the 2025 reform, when the district Youth Unions "
                "nominated: you can read it, but communes do not nominate in it. Your commune nominates in "
                "the campaigns of %(today)s."
            )
            % {
                "campaign": campaign.title,
                "union": campaign.province.union_name,
                "today": user.commune.province.union_name,
            }
        )
    raise PermissionDenied


def _require_reviewer(user) -> None:
    if not user.runs_commendations:
        raise PermissionDenied


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# The district's form ---------------------------------------------------------------------------------------


class NominationFormMixin(PortalMixin):
    template_name = "awards/nomination_form.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        # Scope first (404), then the role (403); anonymous users and accounts without a role stop in
        # PortalMixin before anything is loaded.
        if user.is_authenticated and user.has_portal_role:
            self.load()
            _require_officer(user, self.campaign)
            # An ended unit (a Huyện đoàn after 30/06/2025) reads its nominations and proposes nothing more,
            # as it changes nothing else of today's (the province of the ended Tỉnh đoàn is refused above).
            user.check_may_change_today()
        return super().dispatch(request, *args, **kwargs)

    def form(self, data=None) -> NominationForm:
        raise NotImplementedError

    def render_form(self, form, **kwargs):
        return self.render_to_response(self.get_context_data(form=form, **kwargs))

    def get(self, request, *args, **kwargs):
        return self.render_form(self.form())


class NominationCreateView(NominationFormMixin, TemplateView):
    """The nomination page of a campaign: the window, the unit's quota use, its eligible secretaries ranked
    by the year's assessment score, and the form."""

    def load(self):
        self.campaign = get_object_or_404(
            Campaign.objects.visible_to(self.request.user).select_related("province"),
            pk=self.kwargs["campaign_pk"],
        )
        self.nomination = None

    @cached_property
    def use(self):
        """The unit's use of its quota (selectors.QuotaUse), or None: read once for the form and the page."""
        rows = selectors.quota_use(campaign=self.campaign, user=self.request.user)
        return rows[0] if rows else None

    def form(self, data=None) -> NominationForm:
        initial = {}
        chosen = self.request.GET.get("person", "")
        if chosen.isdigit():
            initial["person"] = int(chosen)
        return NominationForm(
            data,
            instance=Nomination(campaign=self.campaign),
            initial=initial,
            user=self.request.user,
            cancel_url=reverse("awards:campaign_detail", args=[self.campaign.pk]),
            # The quota used up, or the window not begun: the form saves a draft, and the page says why it
            # does not offer to submit.
            can_submit=(self.use is None or self.use.left > 0) and not self.campaign.before_window(),
        )

    def get_context_data(self, **kwargs):
        user = self.request.user
        is_open = self.campaign.status == Campaign.Status.OPEN
        return super().get_context_data(
            campaign=self.campaign,
            unit=user.unit,
            window=self.campaign.window(),
            is_open=is_open,
            # Not open: the page says so and nothing else (no quota advice, no ranking of whom to nominate).
            use=self.use if is_open else None,
            candidates=(
                selectors.candidates(
                    campaign=self.campaign, unit=user.unit, user=user, limit=CANDIDATES_SHOWN
                )
                if is_open
                else []
            ),
            candidates_shown=CANDIDATES_SHOWN,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        try:
            nomination = services.nomination_save(nomination=form.instance, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.render_form(form)
        name = nomination.person.full_name
        if not form.submitting:
            messages.success(request, _("The nomination of %(name)s was saved as a draft.") % {"name": name})
            return redirect(nomination)
        try:
            services.nomination_submit(nomination=nomination, user=request.user)
        except ValidationError as error:
            # The draft is kept: the officer corrects what the rule asks on its edit page and submits again.
            messages.warning(
                request,
                _("The nomination of %(name)s was saved as a draft but could not be submitted:")
                % {"name": name},
            )
            _refused(request, error)
            return redirect("awards:nomination_update", pk=nomination.pk)
        messages.success(request, _("The nomination of %(name)s was submitted.") % {"name": name})
        return redirect(nomination)


class NominationUpdateView(NominationFormMixin, TemplateView):
    def load(self):
        self.nomination = object_or_404(
            _nominations(self.request.user).select_related("branch__commune__district"), pk=self.kwargs["pk"]
        )
        self.campaign = self.nomination.campaign

    def refusal(self) -> str | None:
        """Why the nomination cannot be changed now (the service's rule, which it checks again on save)."""
        refusal = services.change_refusal(self.nomination, self.campaign)
        return refusal[0] if refusal else None

    def get(self, request, *args, **kwargs):
        refusal = self.refusal()
        if refusal:
            messages.error(request, refusal)
            return redirect(self.nomination)
        return super().get(request, *args, **kwargs)

    def form(self, data=None) -> NominationForm:
        return NominationForm(
            data,
            instance=self.nomination,
            user=self.request.user,
            cancel_url=self.nomination.get_absolute_url(),
            can_submit=not self.campaign.before_window(),
        )

    def get_context_data(self, **kwargs):
        selectors.communes_when_nominated([self.nomination], campaign=self.campaign)
        return super().get_context_data(
            campaign=self.campaign,
            nomination=self.nomination,
            window=self.campaign.window(),
            last_rejection=selectors.last_rejection(self.nomination),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        refusal = self.refusal()
        if refusal:
            messages.error(request, refusal)
            return redirect(self.nomination)
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        name = self.nomination.person.full_name
        try:
            nomination = services.nomination_save(
                nomination=form.instance, user=request.user, version=form.loaded()
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_form(form)
        if form.submitting:
            try:
                services.nomination_submit(nomination=nomination, user=request.user)
            except ValidationError as error:
                # The changes are saved (nomination_save committed): only the submission is refused.
                form.add_error(None, _("The changes were saved, but the nomination could not be submitted:"))
                for message in error.messages:
                    form.add_error(None, message)
                return self.render_form(form)
        if form.submitting:
            messages.success(request, _("The nomination of %(name)s was submitted.") % {"name": name})
        else:
            messages.success(request, _("The nomination of %(name)s was saved.") % {"name": name})
        return redirect(nomination)


# The nomination page ---------------------------------------------------------------------------------------


class NominationDetailView(ScopedObjectMixin, DetailView):
    model = Nomination
    template_name = "awards/nomination_detail.html"
    context_object_name = "nomination"
    # A refused upload comes back with its errors (nomination_document_upload).
    document_form = None

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "campaign__province",
                "person",
                "branch__commune",
                "district",
                "commune",
                "province",
                "reviewed_by",
                "commendation",
            )
        )

    def get_context_data(self, **kwargs):
        nomination, user = self.object, self.request.user
        campaign = nomination.campaign
        selectors.communes_when_nominated([nomination], campaign=campaign)
        assessment = (
            selectors.year_assessments(campaign=campaign, person=nomination.person_id)
            .visible_to(user)
            .only("pk", "overall_score", "rating", "status")
            .first()
        )
        try:
            commendation = nomination.commendation
        except Nomination.commendation.RelatedObjectDoesNotExist:
            commendation = None
        return super().get_context_data(
            campaign=campaign,
            assessment=assessment,
            commendation=commendation,
            actions=self.actions(),
            window=campaign.window(),
            last_rejection=selectors.last_rejection(nomination),
            history=merged(
                history_rows(nomination.history, limit=HISTORY_LIMIT),
                document_history_rows(nomination, limit=HISTORY_LIMIT),
                limit=HISTORY_LIMIT,
            ),
            documents=list(nomination.documents.select_related("uploaded_by")),
            document_form=self.document_form
            or DocumentForm(action_url=reverse("awards:nomination_document_upload", args=[nomination.pk])),
            **kwargs,
        )

    def actions(self) -> dict:
        """What the user may do now; the services check again on every post."""
        nomination, user = self.object, self.request.user
        campaign = nomination.campaign
        is_open = campaign.status == Campaign.Status.OPEN
        status = nomination.status
        officer = campaign.nominated_by(user)
        reviewing = (
            user.runs_commendations
            and status != Status.DRAFT
            and campaign.status
            in (
                Campaign.Status.OPEN,
                Campaign.Status.REVIEW,
            )
        )
        return {
            # Only a draft: a submitted one is withdrawn to draft first (services.change_refusal).
            "edit": officer and services.change_refusal(nomination, campaign) is None,
            "submit": officer and status == Status.DRAFT and is_open and not campaign.before_window(),
            "withdraw": officer and status == Status.SUBMITTED and is_open,
            "delete": officer and status == Status.DRAFT and not campaign.is_decided,
            # Not approved while nominations are still open: back to draft, to correct and send again.
            "revise": services.may_revise(nomination, user),
            "approve": reviewing and status == Status.SUBMITTED,
            "reject": reviewing and status == Status.SUBMITTED,
            # A decided one changes only on its own page, with a reason.
            "change_decision": reviewing and status in (Status.APPROVED, Status.REJECTED),
            "documents": services.may_edit_documents(nomination, user),
        }


# One-off actions --------------------------------------------------------------------------------------------


def _action(request, nomination, call, success: str, *, default: str | None = None):
    try:
        call()
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, success % {"name": nomination.person.full_name})
    return redirect(default or nomination.get_absolute_url())


@require_POST
@portal_view
def nomination_submit(request, pk):
    nomination = _load(request, pk)
    _require_officer(request.user, nomination.campaign)
    return _action(
        request,
        nomination,
        lambda: services.nomination_submit(nomination=nomination, user=request.user),
        _("The nomination of %(name)s was submitted."),
    )


@require_POST
@portal_view
def nomination_withdraw(request, pk):
    nomination = _load(request, pk)
    _require_officer(request.user, nomination.campaign)
    return _action(
        request,
        nomination,
        lambda: services.nomination_withdraw(nomination=nomination, user=request.user),
        _("The nomination of %(name)s was withdrawn to draft."),
    )


@require_POST
@portal_view
def nomination_revise(request, pk):
    """The nominating unit takes a nomination the province did not approve back to draft (while nominations
    are open), to correct it, attach what was missing and submit it again."""
    nomination = _load(request, pk)
    _require_officer(request.user, nomination.campaign)
    version = request.POST.get(VERSION_FIELD, "")
    return _action(
        request,
        nomination,
        lambda: services.nomination_revise(
            nomination=nomination, user=request.user, version=int(version) if version.isdigit() else None
        ),
        _(
            "The nomination of %(name)s is a draft again: correct what the province asked, then submit it to "
            "the province."
        ),
    )


@portal_view
def nomination_delete(request, pk):
    nomination = _load(request, pk)
    _require_officer(request.user, nomination.campaign)
    refusal = None
    if nomination.campaign.is_decided:
        refusal = _("The decision is published: the campaign is locked.")
    elif nomination.status != Status.DRAFT:
        refusal = _("Only a draft can be deleted.")
    if refusal:
        messages.error(request, refusal)
        return redirect(nomination)
    if request.method != "POST":
        return render(request, "awards/nomination_confirm_delete.html", {"nomination": nomination})
    try:
        services.nomination_delete(nomination=nomination, user=request.user)
    except ValidationError as error:
        _refused(request, error)
        return redirect(nomination)
    messages.success(
        request, _("The draft nomination of %(name)s was deleted.") % {"name": nomination.person.full_name}
    )
    return redirect("awards:nomination_create", campaign_pk=nomination.campaign_id)


@require_POST
@portal_view
def nomination_approve(request, pk):
    nomination = _load(request, pk)
    _require_reviewer(request.user)
    return _action(
        request,
        nomination,
        lambda: services.nomination_approve(nomination=nomination, reviewer=request.user),
        _("The nomination of %(name)s was approved."),
        default=safe_next(request, nomination.get_absolute_url()),
    )


@portal_view
def nomination_reject(request, pk):
    nomination = _load(request, pk)
    _require_reviewer(request.user)
    back = safe_next(request, nomination.get_absolute_url())
    data = request.POST if request.method == "POST" else None
    form = RejectForm(data, initial={"next": back}, cancel_url=back)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_reject(
                nomination=nomination, reviewer=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if error.code == "reason_missing":
                form.add_error("reason", error.messages)
            else:
                # The campaign's state or the nomination's forbid it: nothing to correct in the form.
                _refused(request, error)
                return redirect(back)
        else:
            messages.success(
                request,
                _("The nomination of %(name)s was not approved.") % {"name": nomination.person.full_name},
            )
            return redirect(back)
    return render(request, "awards/nomination_reject.html", {"form": form, "nomination": nomination})


@portal_view
def nomination_decision_change(request, pk):
    """Changing a decided nomination (approved → not approved, or back) before the decision is published:
    a page of its own, with the reason for the change and a tick to confirm, never a side effect of a bulk
    action."""
    nomination = _load(request, pk)
    _require_reviewer(request.user)
    back = safe_next(request, nomination.get_absolute_url())
    if nomination.status not in (Status.APPROVED, Status.REJECTED) or nomination.campaign.status not in (
        Campaign.Status.OPEN,
        Campaign.Status.REVIEW,
    ):
        messages.error(request, _("Only a decided nomination can have its decision changed."))
        return redirect(back)
    approve = nomination.status == Status.REJECTED
    data = request.POST if request.method == "POST" else None
    form = DecisionChangeForm(data, approve=approve, initial={"next": back}, cancel_url=back)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_decision_change(
                nomination=nomination,
                approve=approve,
                reason=form.cleaned_data["reason"],
                rejection_reason=form.cleaned_data.get("rejection_reason", ""),
                reviewer=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field, errors)
            elif error.code == "quota":
                # Said in the form, with the reason typed kept: another decision may be changed first.
                form.add_error(None, error)
            else:
                _refused(request, error)
                return redirect(back)
        else:
            text = (
                _("The nomination of %(name)s is now approved.")
                if approve
                else _("The nomination of %(name)s is now not approved.")
            )
            messages.success(request, text % {"name": nomination.person.full_name})
            return redirect(back)
    return render(
        request,
        "awards/nomination_decision_change.html",
        {"form": form, "nomination": nomination, "approve": approve},
    )


# Documents --------------------------------------------------------------------------------------------------


def _document(request, pk) -> NominationDocument:
    """A document, through its nomination's scope: outside it, 404."""
    return get_object_or_404(
        NominationDocument.objects.filter(
            nomination__in=Nomination.objects.visible_to(request.user)
        ).select_related("nomination__campaign__province", "nomination__person"),
        pk=pk,
    )


def _may_edit_documents(request, nomination) -> bool:
    """Whether the user may attach and remove the nomination's documents now; 403 to who never may (not the
    nominating unit), and a message to the unit while the nomination is not a draft."""
    if services.may_edit_documents(nomination, request.user):
        return True
    if not services.is_nominating_unit(nomination, nomination.campaign, request.user):
        raise PermissionDenied
    messages.error(request, services.documents_refusal(nomination)[0])
    return False


@require_POST
@portal_view
def nomination_document_upload(request, pk):
    """Attach a file to the nomination (those who may edit it). A refused file comes back on the
    nomination's page with the reason next to the field."""
    nomination = _load(request, pk)
    if not _may_edit_documents(request, nomination):
        return redirect(nomination)
    form = DocumentForm(
        request.POST,
        request.FILES,
        action_url=reverse("awards:nomination_document_upload", args=[nomination.pk]),
    )
    if form.is_valid():
        try:
            document = services.nomination_document_add(
                nomination=nomination,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        else:
            messages.success(
                request, _("The file “%(name)s” is attached.") % {"name": document.original_name}
            )
            return redirect(nomination)
    # The nomination's page again, with the refused file's error next to the field.
    view = NominationDetailView(document_form=form)
    view.setup(request, pk=pk)
    view.object = view.get_object()
    return view.render_to_response(view.get_context_data(object=view.object))


@portal_view
def nomination_document(request, pk):
    """The attached file, to whoever sees the nomination; never from /media/."""
    return document_response(_document(request, pk))


@portal_view
def nomination_document_delete(request, pk):
    """Remove an attached file, after a confirmation page."""
    document = _document(request, pk)
    nomination = document.nomination
    if not _may_edit_documents(request, nomination):
        return redirect(nomination)
    if request.method != "POST":
        return render(
            request,
            "awards/nomination_document_confirm_delete.html",
            {"document": document, "nomination": nomination},
        )
    try:
        services.nomination_document_delete(document=document, user=request.user)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The file “%(name)s” was removed.") % {"name": document.original_name})
    return redirect(nomination)
