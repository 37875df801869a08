"""Campaign pages: the list, the campaign (its facts, the quota use per district, its nominations for a
district officer, its history), the form with the district quotas, the steps of the state machine (open,
close for review, publish the decision) and the review page where provincial staff decide on nominations.

Every campaign is loaded through `Campaign.objects.visible_to(user)` first (outside scope → 404: a district
officer does not see a draft, other provinces' staff see nothing), and only then is the role checked
(a district officer on a staff page → 403).
"""

import copy
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, When
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.http import content_disposition_header
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView

from assessments.models import Assessment, Rating
from branches.models import Province
from core.excel import xlsx_response
from core.filters import filter_summary
from core.history import history_rows
from core.mixins import PaginatedListMixin, ScopedObjectMixin, edited_copy, portal_view
from core.text import search_terms
from core.versioning import StaleEdit

from . import selectors, services
from .campaign_forms import (
    BulkReviewForm,
    CampaignForm,
    DecisionCorrectionForm,
    DecisionFields,
    ProvinceChoiceForm,
    PublishForm,
    QuotaPageForm,
    ReviewFilter,
    default_title,
    first_free_year,
)
from .certificate import certificate_pdf
from .models import Campaign, Commendation, Nomination, nominating_unit

Status = Campaign.Status
REVIEW_PAGE_SIZE = 50


def _campaign(request, pk, *, manage: bool = False) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user).select_related("province"), pk=pk)
    if manage and not request.user.runs_commendations:
        request.user.check_may_change_today()  # an ended Tỉnh đoàn is told who runs them now
        raise PermissionDenied
    return campaign


def draw_quota_rows(rows: list, *, campaign: Campaign, review_url: str | None = None) -> SafeString:
    """The rows of the quota use per nominating unit (templates/awards/partials/campaign_quota_table.html),
    drawn here: a merged province's table has a row per commune (Vĩnh Long: 124 rows of 7 cells, most of
    the review page's templates). With `review_url`, each unit links to the review filtered on it; a unit
    over its quota is marked. A decided campaign's rows have no drafts, sent nominations nor places left:
    only what was decided."""
    decided = campaign.is_decided
    lines = []
    for row in rows:
        name = escape(row.unit.name)
        if review_url:
            name = f'<a href="{escape(review_url)}?{campaign.level}={int(row.unit.pk)}">{name}</a>'
        submitted = f'<span class="badge text-bg-warning">{row.submitted}</span>' if row.submitted else "0"
        over = ' class="table-danger"' if row.used > row.quota else ""
        if decided:
            lines.append(
                f"<tr{over}><td>{name}</td>"
                f'<td class="text-end">{row.quota}</td>'
                f'<td class="text-end">{row.approved}</td>'
                f'<td class="text-end">{row.revoked}</td>'
                f'<td class="text-end">{row.rejected}</td></tr>'
            )
            continue
        lines.append(
            f"<tr{over}><td>{name}</td>"
            f'<td class="text-end">{row.quota}</td>'
            f'<td class="text-end d-none d-sm-table-cell text-muted">{row.draft}</td>'
            f'<td class="text-end">{submitted}</td>'
            f'<td class="text-end">{row.approved}</td>'
            f'<td class="text-end">{row.rejected}</td>'
            f'<td class="text-end">{row.left}</td></tr>'
        )
    # Safe: the units' names and the link are escaped above; the rest are whole numbers.
    return mark_safe("\n".join(lines))


class CampaignQuerysetMixin(ScopedObjectMixin):
    model = Campaign

    def get_queryset(self):
        return super().get_queryset().select_related("province")


class ManagedCampaignMixin(CampaignQuerysetMixin):
    """A page about one campaign for provincial staff: 404 outside scope, then 403 for other roles."""

    def dispatch(self, request, *args, **kwargs):
        # Anonymous users and accounts without a role stop in PortalMixin before anything is loaded.
        if request.user.is_authenticated and request.user.has_portal_role:
            self.campaign = _campaign(request, kwargs["pk"], manage=True)
        return super().dispatch(request, *args, **kwargs)


# ---------------------------------------------------------------------------------------------------
# List and page


class CampaignListView(PaginatedListMixin, CampaignQuerysetMixin, ListView):
    template_name = "awards/campaign_list.html"
    context_object_name = "campaigns"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        user = self.request.user
        qs = super().get_queryset().order_by("-year", "province__code", "-pk")
        mine = nominating_unit(user)
        if mine is not None:
            # Their own unit's place in each campaign: its quota and the places taken (shown on the
            # campaigns their unit nominates in: Campaign.nominated_by).
            return qs.with_unit_quota(*mine)
        return qs.with_nomination_counts()

    def get_context_data(self, **kwargs):
        # Each row's window ("12 days left") is the campaign's own `window_note`, called by the template.
        user = self.request.user
        context = super().get_context_data(
            can_manage=user.runs_commendations, officer=nominating_unit(user) is not None, **kwargs
        )
        for campaign in context["campaigns"]:
            campaign.nominates = campaign.nominated_by(user)
        return context


class CampaignDetailView(CampaignQuerysetMixin, DetailView):
    template_name = "awards/campaign_detail.html"
    context_object_name = "campaign"

    def get_context_data(self, **kwargs):
        user = self.request.user
        campaign = self.object
        rows = selectors.quota_use(campaign=campaign, user=user)
        shown = rows
        if campaign.by_commune and user.acts_for_province:
            # 100 or more communes: the page lists those that nominated; the totals count them all, and
            # the quota page lists every commune.
            shown = [r for r in rows if r.total]
        context = {
            "can_manage": user.runs_commendations,
            "window_note": campaign.window_note(),
            "window_closed": campaign.window_closed(),
            "before_window": campaign.before_window(),
            # Closed for review before its deadline: the page names the day it really closed, the day the
            # decision may bear from (services.earliest_decision_date).
            "closed_early_on": None
            if campaign.is_draft or campaign.is_open
            else services.closed_early_on(campaign),
            "history": history_rows(campaign.history, limit=30),
            "quota_rows": shown,
            "quota_table_rows": draw_quota_rows(
                shown,
                campaign=campaign,
                review_url=None
                if campaign.is_draft
                else reverse("awards:campaign_review", args=[campaign.pk]),
            ),
            "quota_rows_hidden": len(rows) - len(shown),
            "quota_totals": selectors.quota_totals(rows),
            "overrides": [r for r in rows if r.quota != campaign.default_quota],
            "nominates": campaign.nominated_by(user),
            "corrections": _corrections(campaign) if campaign.is_decided else [],
            # Not offered to open past its deadline: the service refuses it (services.campaign_open).
            "open_refusal": services.open_refusal(campaign),
            # Nor to close before its window opens (services.campaign_close).
            "close_refusal": services.close_refusal(campaign),
        }
        if context["nominates"]:
            context["own_use"] = rows[0] if rows else None
            context["nominations"] = selectors.communes_when_nominated(
                list(
                    Nomination.objects.visible_to(user)
                    .filter(campaign=campaign)
                    .select_related("person", "branch__commune__district", "commendation")
                    .order_by("person__sort_key", "pk")
                ),
                campaign=campaign,
            )
        return super().get_context_data(**context, **kwargs)


# ---------------------------------------------------------------------------------------------------
# Create and edit


class CampaignFormView(CampaignQuerysetMixin, TemplateView):
    """The campaign and its district quotas, saved together by services.campaign_save."""

    template_name = "awards/campaign_form.html"
    object = None

    def has_permission(self) -> bool:
        if self.request.user.acts_for_province:
            self.request.user.check_may_change_today()  # an ended Tỉnh đoàn is told who runs them now
        return self.request.user.runs_commendations

    def province(self) -> Province | None:
        raise NotImplementedError

    def cancel_url(self) -> str:
        return self.object.get_absolute_url() if self.object else reverse("awards:campaign_list")

    def build(self, province: Province, data=None) -> CampaignForm:
        campaign = edited_copy(self.object) or Campaign(province=province)
        initial = {}
        if self.object is None:
            year = first_free_year(province)
            initial = {"year": year, "title": default_title(year)}
        return CampaignForm(
            data, instance=campaign, province=province, cancel_url=self.cancel_url(), initial=initial
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def get(self, request, *args, **kwargs):
        province = self.province()
        if province is None:
            return self.render_to_response(self.get_context_data(province_form=self.province_form()))
        return self.render_to_response(self.get_context_data(form=self.build(province), province=province))

    def post(self, request, *args, **kwargs):
        province = self.province()
        if province is None:
            return self.render_to_response(self.get_context_data(province_form=self.province_form()))
        form = self.build(province, request.POST)
        if form.is_valid():
            try:
                campaign = services.campaign_save(
                    campaign=form.instance, quotas=form.quotas(), user=request.user, version=form.loaded()
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(
                    request, _("The campaign “%(title)s” was saved.") % {"title": campaign.title}
                )
                return redirect(campaign)
        return self.render_to_response(self.get_context_data(form=form, province=province))

    def province_form(self):
        return None


def _errors_to_form(form, error: ValidationError) -> None:
    """A service's refusal, next to the field it names when the form has that field."""
    if isinstance(error, StaleEdit):
        form.add_error(None, error)
    elif hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class CampaignCreateView(CampaignFormView):
    def province(self) -> Province | None:
        user = self.request.user
        if user.is_provincial_staff:
            return user.province
        # The administrator chooses the province first: the quota fields are its districts.
        form = self.province_form()
        return form.cleaned_data["province"] if form.is_valid() else None

    def province_form(self) -> ProvinceChoiceForm:
        if not hasattr(self, "_province_form"):
            data = self.request.GET if "province" in self.request.GET else None
            self._province_form = ProvinceChoiceForm(
                data, user=self.request.user, cancel_url=self.cancel_url()
            )
        return self._province_form


class CampaignUpdateView(ManagedCampaignMixin, CampaignFormView):
    def get(self, request, *args, **kwargs):
        if self.campaign.is_decided:
            return self.locked()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.campaign.is_decided:
            return self.locked()
        return super().post(request, *args, **kwargs)

    def locked(self):
        messages.error(self.request, _("The decision is published: the campaign is locked."))
        return redirect(self.campaign)

    def province(self) -> Province:
        return self.campaign.province

    @property
    def object(self):
        return self.campaign


# ---------------------------------------------------------------------------------------------------
# Quotas per unit


class CampaignQuotaView(PaginatedListMixin, ManagedCampaignMixin, ListView):
    """The quota of each nominating unit, a page at a time: a province of the 2025 world has 100 or more
    communes (Vĩnh Long 124), so staff search ("tap ngai" finds Xã Tập Ngãi), page and set the overrides of
    the communes shown; empty is the default quota."""

    template_name = "awards/campaign_quotas.html"
    context_object_name = "units"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        units = selectors.nominating_units(self.campaign)
        for term in search_terms(self.request.GET.get("q")):
            units = units.filter(name_key__contains=term)
        if self.request.GET.get("overridden"):
            # Only the units given a quota of their own: what the province changed, to review it.
            units = units.filter(pk__in=self.campaign.quotas.values(self.campaign.level))
        return units

    def page(self, data=None):
        self.object_list = self.get_queryset()
        context = self.get_context_data(
            campaign=self.campaign,
            query=self.request.GET.get("q", ""),
            overridden=bool(self.request.GET.get("overridden")),
            override_count=self.campaign.quotas.count(),
        )
        context["units"] = units = list(context["units"])
        context["form"] = QuotaPageForm(data, units=units, campaign=self.campaign)
        return context

    def get(self, request, *args, **kwargs):
        if self.campaign.is_decided:
            return _locked(request, self.campaign)
        return self.render_to_response(self.page())

    def post(self, request, *args, **kwargs):
        if self.campaign.is_decided:
            return _locked(request, self.campaign)
        context = self.page(request.POST)
        form = context["form"]
        if form.is_valid():
            try:
                services.campaign_quotas_save(
                    campaign=self.campaign, quotas=form.quotas(), user=request.user, version=form.loaded()
                )
            except ValidationError as error:
                _errors_to_form(form, error)
            else:
                messages.success(request, _("The quotas shown were saved."))
                return redirect(request.get_full_path())
        return self.render_to_response(context)


def _locked(request, campaign):
    messages.error(request, _("The decision is published: the campaign is locked."))
    return redirect(campaign)


# ---------------------------------------------------------------------------------------------------
# The steps of the campaign


def _step(request, pk, service, success):
    """`success`: the message, or a function of the campaign that gives it."""
    campaign = _campaign(request, pk, manage=True)
    try:
        campaign = service(campaign=campaign, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = success(campaign) if callable(success) else success
        messages.success(request, text % {"title": campaign.title})
    return redirect("awards:campaign_detail", pk=pk)


@require_POST
@portal_view
def campaign_open(request, pk):
    return _step(
        request,
        pk,
        services.campaign_open,
        lambda campaign: (
            _("Nominations are open for “%(title)s”: the communes can nominate.")
            if campaign.by_commune
            else _("Nominations are open for “%(title)s”: the districts can nominate.")
        ),
    )


@require_POST
@portal_view
def campaign_close(request, pk):
    return _step(
        request,
        pk,
        services.campaign_close,
        _("Nominations are closed for “%(title)s”: the review has started."),
    )


def _approved(campaign: Campaign, user) -> list[Nomination]:
    """The approved nominations of a campaign, unit by unit, with the commune of each branch at the close of
    the window: what publishing will turn into commendations."""
    return selectors.communes_when_nominated(
        list(
            selectors.nominations_for_review(campaign=campaign, user=user).filter(
                status=Nomination.Status.APPROVED
            )
        ),
        campaign=campaign,
    )


@portal_view
def campaign_publish(request, pk):
    """Publishing in two steps: the decision (number, date after the window closed and not in the future,
    signer), checked next to its fields; then a confirmation page with the list to be published, the
    decision line and a certificate preview, whose button publishes and locks the campaign."""
    campaign = _campaign(request, pk, manage=True)
    if campaign.is_decided:
        messages.info(request, _("The decision on this campaign is already published."))
        return redirect("awards:commendation_list", campaign_pk=campaign.pk)
    form = PublishForm(
        request.POST if request.method == "POST" else None,
        campaign=campaign,
        cancel_url=campaign.get_absolute_url(),
    )
    if request.method == "POST" and "back" not in request.POST:
        # What keeps the campaign from being published is said whatever the typed decision.
        try:
            services.campaign_publish_check(campaign=campaign)
        except ValidationError as error:
            form.is_valid()
            form.add_service_errors(error)
    if request.method == "POST" and "back" not in request.POST and form.is_valid():
        data = form.cleaned_data
        if data["confirm"]:
            try:
                campaign = services.campaign_publish(
                    campaign=campaign,
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    decision_signer=data["decision_signer"],
                    user=request.user,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(
                    request,
                    _("Decision %(number)s is published: the campaign is locked.")
                    % {"number": campaign.decision_number},
                )
                return redirect("awards:commendation_list", campaign_pk=campaign.pk)
        else:
            approved = _approved(campaign, request.user)
            preview = (
                reverse("awards:campaign_publish_preview", args=[campaign.pk])
                + "?"
                + urlencode(
                    {
                        "decision_number": data["decision_number"],
                        "decision_date": data["decision_date"].strftime("%d/%m/%Y"),
                        "decision_signer": data["decision_signer"],
                    }
                )
            )
            return render(
                request,
                "awards/campaign_publish_confirm.html",
                {
                    "campaign": campaign,
                    "form": form,
                    "approved": approved,
                    "decision": data,
                    "preview_url": preview,
                },
            )
    return _publish_page(request, campaign, form)


def _publish_page(request, campaign, form):
    rows = selectors.quota_use(campaign=campaign, user=request.user)
    return render(
        request,
        "awards/campaign_publish.html",
        {
            "campaign": campaign,
            "form": form,
            "quota_rows": [r for r in rows if r.total],
            "quota_totals": selectors.quota_totals(rows),
        },
    )


@portal_view
def campaign_publish_preview(request, pk):
    """The certificate as it will read once the decision is published, drawn for the first approved
    nomination (or the first one sent, before any is approved) with the decision typed on the publish
    page; dots where the decision is not given yet. Nothing is saved."""
    campaign = _campaign(request, pk, manage=True)
    nomination = (
        Nomination.objects.visible_to(request.user)
        .filter(campaign=campaign)
        .exclude(status=Nomination.Status.DRAFT)
        .select_related("person", "branch__commune__district", "district", "commune")
        .order_by(
            Case(When(status=Nomination.Status.APPROVED, then=0), default=1),
            "district__code",
            "commune__code",
            "person__sort_key",
            "pk",
        )
        .first()
    )
    if nomination is None:
        raise Http404
    form = DecisionFields(request.GET, campaign=campaign)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    preview = copy.copy(campaign)
    preview.decision_number = data.get("decision_number") or "……"
    preview.decision_date = data.get("decision_date") or timezone.localdate()
    preview.decision_signer = data.get("decision_signer") or ""
    commendation = Commendation(
        nomination=nomination,
        campaign=preview,
        person=nomination.person,
        branch=nomination.branch,
        district=nomination.district,
        commune=nomination.commune,
        province_id=nomination.province_id,
        year=campaign.year,
    )
    response = HttpResponse(certificate_pdf(commendation, corrected_on=None), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, "xem-truoc-giay-chung-nhan.pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@portal_view
def campaign_correct(request, pk):
    """The correction (đính chính) of a published decision: the only way to change its number, date or
    signer. Recorded with its reason; the certificates are reissued with the corrected decision."""
    campaign = _campaign(request, pk, manage=True)
    if not campaign.is_decided:
        messages.error(request, _("Only a published decision can be corrected."))
        return redirect(campaign)
    form = DecisionCorrectionForm(
        request.POST if request.method == "POST" else None,
        campaign=campaign,
        cancel_url=campaign.get_absolute_url(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_correct(
                campaign=campaign,
                decision_number=form.cleaned_data["decision_number"],
                decision_date=form.cleaned_data["decision_date"],
                decision_signer=form.cleaned_data["decision_signer"],
                reason=form.cleaned_data["reason"],
                user=request.user,
                version=form.loaded(),
            )
        except ValidationError as error:
            if isinstance(error, StaleEdit):
                form.add_error(None, error)
            else:
                form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("The correction is recorded: the certificates now carry decision %(number)s.")
                % {"number": form.cleaned_data["decision_number"]},
            )
            return redirect(campaign)
    return render(
        request,
        "awards/campaign_correct.html",
        {"campaign": campaign, "form": form, "corrections": _corrections(campaign)},
    )


def _corrections(campaign: Campaign):
    return list(campaign.corrections.select_related("corrected_by").order_by("-corrected_at", "-pk"))


# ---------------------------------------------------------------------------------------------------
# Review


class CampaignReviewView(PaginatedListMixin, ManagedCampaignMixin, ListView):
    """The campaign's nominations for provincial staff: filter by district and status, decide one by one
    (the nomination pages) or tick several and approve or reject them at once (all or none)."""

    template_name = "awards/campaign_review.html"
    context_object_name = "nominations"
    paginate_by = REVIEW_PAGE_SIZE

    def get_queryset(self):
        base = selectors.nominations_for_review(campaign=self.campaign, user=self.request.user)
        self.filterset = ReviewFilter(
            self.request.GET or None, queryset=base, campaign=self.campaign, request=self.request
        )
        return self.filterset.qs

    def bulk_form(self, data=None) -> BulkReviewForm:
        return BulkReviewForm(data, action_url=self.request.get_full_path())

    def get(self, request, *args, **kwargs):
        self.form = self.bulk_form()
        return super().get(request, *args, **kwargs)

    def chosen(self, ids: list[int]) -> list[Nomination]:
        """The ticked nominations, loaded through this campaign's scoped nominations: an id that is not
        one of them (another campaign's, another province's, a made-up one) refuses the whole decision."""
        chosen = list(
            Nomination.objects.visible_to(self.request.user)
            .filter(campaign=self.campaign, pk__in=ids)
            .select_related("person")
            .order_by("district__code", "commune__code", "person__sort_key", "pk")
        )
        missing = len(ids) - len(chosen)
        if missing:
            raise ValidationError(
                ngettext(
                    "%(count)d ticked nomination is not in this campaign: nothing was changed.",
                    "%(count)d ticked nominations are not in this campaign: nothing was changed.",
                    missing,
                )
                % {"count": missing}
            )
        return chosen

    def post(self, request, *args, **kwargs):
        self.form = self.bulk_form(request.POST)
        if self.form.is_valid():
            try:
                chosen = self.chosen(self.form.cleaned_data["nomination"])
                count, skipped = services.nominations_review(
                    nominations=chosen,
                    approve=self.form.approve,
                    reviewer=request.user,
                    reason=self.form.cleaned_data["reason"],
                )
            except ValidationError as error:
                for message in error.messages:
                    self.form.add_error(None, message)
            else:
                if self.form.approve:
                    text = ngettext(
                        "%(count)d nomination was approved.", "%(count)d nominations were approved.", count
                    )
                else:
                    text = ngettext(
                        "%(count)d nomination was not approved.",
                        "%(count)d nominations were not approved.",
                        count,
                    )
                messages.success(request, text % {"count": count})
                if skipped:
                    messages.warning(
                        request,
                        ngettext(
                            "%(count)d ticked nomination was already decided and keeps its decision: change "
                            "it from its own page, with a reason.",
                            "%(count)d ticked nominations were already decided and keep their decision: "
                            "change them from their own pages, with a reason.",
                            skipped,
                        )
                        % {"count": skipped},
                    )
                return redirect(request.get_full_path())
        if self.form.has_error("nomination", "required"):
            # The ticks sit in the table, outside the form: its own error would not be seen.
            messages.error(request, _("No nomination is ticked."))
        else:
            messages.error(request, _("Nothing was changed."))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        campaign = self.campaign
        rows = selectors.quota_use(campaign=campaign, user=user)
        ratings = dict(Rating.choices)
        unit = self.filterset.form.cleaned_data.get(campaign.level) if self.filterset.is_bound else None
        # Narrowed to a unit, the quota above the list is that unit's (the table below keeps every unit's).
        shown = [r for r in rows if unit is None or r.unit.pk == unit.pk]
        context = super().get_context_data(
            campaign=campaign,
            filter=self.filterset,
            form=self.form,
            quota_rows=rows,
            quota_table_rows=draw_quota_rows(
                rows, campaign=campaign, review_url=reverse("awards:campaign_review", args=[campaign.pk])
            ),
            quota_rows_hidden=0,
            quota_totals=selectors.quota_totals(shown),
            quota_unit=unit if shown else None,
            can_decide=campaign.status in (Status.OPEN, Status.REVIEW),
            ticked=set(getattr(self.form, "cleaned_data", {}).get("nomination", [])),
            **kwargs,
        )
        context["nominations"] = selectors.communes_when_nominated(
            list(context["nominations"]), campaign=campaign
        )
        for nomination in context["nominations"]:
            nomination.rating_label = ratings.get(nomination.rating, "")
            # A submitted assessment counts, and is said to be not confirmed yet (selectors.Candidate).
            nomination.unconfirmed = nomination.assessment_status == Assessment.Status.SUBMITTED
        context["status_counts"] = counts = selectors.status_counts(rows, unit=unit)
        context["sent_count"] = sum(n for status, _label, n in counts if status != Nomination.Status.DRAFT)
        return context


@portal_view
def campaign_review_export(request, pk):
    """ "Xuất Excel" of the review list: the nominations the page lists, filtered and sorted as it is (its
    filters said above the table), every page of them; what the standing committee reads before deciding.
    The columns are the page's: no personal data beyond them."""
    campaign = _campaign(request, pk, manage=True)
    filterset = ReviewFilter(
        request.GET or None,
        queryset=selectors.nominations_for_review(campaign=campaign, user=request.user),
        campaign=campaign,
        request=request,
    )
    nominations = selectors.communes_when_nominated(list(filterset.qs), campaign=campaign)
    ratings = {value: str(label) for value, label in Rating.choices}
    statuses = {value: str(label) for value, label in Nomination.Status.choices}
    # A campaign of districts names the commune of each branch too; in one of communes it is the unit's.
    communes = not campaign.by_commune
    headers = [
        campaign.unit_label,
        _("Full name"),
        _("Branch"),
        *([_("Commune")] if communes else []),
        _("Score"),
        _("Rating"),
        _("Summary of achievements"),
        _("Status"),
        _("Reason for not approving"),
    ]

    def rating(nomination):
        # A submitted assessment's rating is said to be not confirmed yet, as on the page
        # (selectors.Candidate).
        label = ratings.get(nomination.rating)
        if label and nomination.assessment_status == Assessment.Status.SUBMITTED:
            return _("%(rating)s (not confirmed)") % {"rating": label}
        return label

    def rows():
        for nomination in nominations:
            yield [
                nomination.unit.name,
                nomination.person.full_name,
                nomination.branch.name,
                *([nomination.commune_then.name] if communes else []),
                nomination.score,
                rating(nomination),
                nomination.summary,
                statuses[nomination.status],
                nomination.rejection_reason or None,
            ]

    return xlsx_response(
        filename=f"xet-duyet-tuyen-duong-{campaign.year}.xlsx",
        sheet_title=_("Review %(year)s") % {"year": campaign.year},
        title=_("Nominations for commendation %(year)s of %(province)s")
        % {"year": campaign.year, "province": campaign.province.name},
        scope=campaign.province.name,
        filters_line=filter_summary(filterset),
        headers=headers,
        rows=rows(),
    )
