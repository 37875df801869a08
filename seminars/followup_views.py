"""The follow-up of proposed solutions (theo dõi thực hiện) and the seminar report, with its export.

Everything is read through seminars.selectors, so through the user's scope: a proposal of another
district does not exist for a district officer (404), on the page as in the update action.
"""

import dataclasses

import django_filters
from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView

from branches.filters import _communes, _districts, districts_of_the_past
from branches.selectors import settles_waiting
from core.excel import ExcelExport, export_response, xlsx_response
from core.filters import SortFilter, filter_summary
from core.mixins import PaginatedListMixin, PortalMixin, PrintableListMixin, RefusedWithReason, portal_view
from core.navigation import fixed_url, safe_next
from core.templatetags.portal import ceased_badge, numbers
from core.versioning import VersionedForm
from core.widgets import AutocompleteSelect, Textarea

from . import selectors, services
from .forms import may_edit
from .models import Proposal, proposal_result_error
from .selectors import OVERDUE, OWN


class ProposalFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=gettext_lazy("Search"),
        method="filter_search",
        help_text=gettext_lazy("Words of the proposal, its responsible unit or its seminar"),
    )
    district = django_filters.ModelChoiceFilter(
        label=gettext_lazy("District"),
        queryset=_districts,
        field_name="seminar__district",
        widget=AutocompleteSelect("branches:district_autocomplete"),
    )
    commune = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Commune"),
        queryset=_communes,
        field_name="seminar__commune",
        widget=AutocompleteSelect("branches:commune_autocomplete"),
    )
    # Unchosen, the open ones (what is still to follow up); chosen, any status: a proposal just marked done
    # is found again under "done". "Overdue": the open ones past their due date, what the first screen counts.
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[(OVERDUE, gettext_lazy("Overdue")), *Proposal.Status.choices],
        empty_label=gettext_lazy("Open (proposed or in progress)"),
        method="filter_status",
    )
    # A commune officer also reads the proposals of seminars its secretaries attended elsewhere; those it
    # follows up itself are its own seminars' (forms.may_edit), the set its first-screen tile counts.
    followed = django_filters.ChoiceFilter(
        label=gettext_lazy("Followed up by"),
        choices=[(OWN, gettext_lazy("My unit"))],
        empty_label=gettext_lazy("All"),
        method="filter_followed",
    )
    o = SortFilter(
        fields=[
            ("search_key", "proposal"),
            ("responsible", "responsible"),
            ("due_on", "due"),
            ("seminar__held_on", "seminar"),
        ],
    )

    class Meta:
        model = Proposal
        fields = []

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        if user.is_district_officer or user.is_commune_officer:
            # An officer has one unit only.
            del self.filters["district"]
            del self.filters["commune"]
        if not user.is_commune_officer:
            del self.filters["followed"]
        districts_of_the_past(self, user)

    def filter_search(self, queryset, name, value):
        return selectors.search_proposals(queryset, value)

    def filter_status(self, queryset, name, value):
        if value == OVERDUE:
            return selectors.overdue(queryset)
        return queryset.filter(status=value)

    def filter_followed(self, queryset, name, value):
        return queryset.filter(seminar__commune=self.request.user.commune_id)

    def _status(self) -> str:
        return (self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("status")) or ""

    @property
    def shows_open(self) -> bool:
        """Whether the list is of the open proposals (no status chosen)."""
        return not self._status()

    @property
    def shows_overdue(self) -> bool:
        return self._status() == OVERDUE

    @property
    def proposals(self):
        """The proposals the page lists with these filters, and its export writes."""
        return self.qs.open() if self.shows_open else self.qs


class ProposalUpdateForm(VersionedForm, forms.Form):
    """The small form on each row of the follow-up page: the new status and a note on the result. Drawn by
    templates/seminars/partials/proposal_update_form.html."""

    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=Proposal.Status.choices,
        widget=forms.Select(attrs={"class": "form-select-sm"}),
    )
    result = forms.CharField(
        label=gettext_lazy("Result"),
        required=False,
        max_length=2000,
        widget=Textarea(attrs={"rows": 2, "class": "form-control-sm"}),
    )
    # Where to come back to (the follow-up page with its filters); checked by safe_next when used.
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, proposal: Proposal | None = None, next_url: str = "", **kwargs):
        if proposal is not None:
            kwargs.setdefault(
                "initial", {"status": proposal.status, "result": proposal.result, "next": next_url}
            )
            # Each row's fields need their own ids, or the labels would point at the first row's.
            kwargs.setdefault("auto_id", f"id_p{proposal.pk}_%s")
        super().__init__(*args, version_of=proposal, **kwargs)

    def clean(self):
        cleaned = super().clean()
        error = proposal_result_error(status=cleaned.get("status"), result=cleaned.get("result"))
        if error is not None:
            self.add_error("result", error)
        return cleaned


class FollowupView(PrintableListMixin, PaginatedListMixin, PortalMixin, ListView):
    """Open proposals of the user's scope, overdue ones first, each with its own small update form (none in
    the print view, which prints what came of each)."""

    template_name = "seminars/followup.html"
    context_object_name = "proposals"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        base = selectors.followed_proposals(user=self.request.user)
        self.filterset = ProposalFilter(self.request.GET or None, queryset=base, request=self.request)
        return self.filterset.proposals

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            filter=self.filterset,
            shows_open=self.filterset.shows_open,
            shows_overdue=self.filterset.shows_overdue,
            **kwargs,
        )
        here = self.request.get_full_path()
        user = self.request.user
        # A proposal of a seminar the user's secretaries attended but another unit held is read, not
        # followed up here, nor is any by an account whose unit has ended (the province follows them up):
        # its row says who follows it up instead of offering a form the service would refuse.
        follows_up = services.may_follow_up(user) and not self.printing
        selectors.attach_followers(context["proposals"], user=user)
        context["rows"] = [
            (
                proposal,
                ProposalUpdateForm(proposal=proposal, next_url=here)
                if follows_up and may_edit(user, proposal.seminar)
                else None,
            )
            for proposal in context["proposals"]
        ]
        return context


def followup_export_file(request) -> ExcelExport:
    """The follow-up list as .xlsx: same scope, filters and order as the page (run by the worker for a
    large list: it reads only `request.user` and `request.GET`)."""
    base = selectors.followed_proposals(user=request.user)
    filterset = ProposalFilter(request.GET or None, queryset=base, request=request)
    proposals = filterset.proposals
    overdue = _("Overdue")

    def rows():
        for proposal in proposals.iterator(chunk_size=2000):
            seminar = proposal.seminar
            yield [
                proposal.text,
                proposal.responsible,
                proposal.due_on,
                proposal.get_status_display(),
                overdue if proposal.is_overdue else "",
                proposal.result,
                seminar.title,
                seminar.held_on,
                seminar.organiser_name,
            ]

    return ExcelExport(
        filename="theo-doi-de-xuat.xlsx",
        sheet_title=_("Follow-up"),
        title=_("Follow-up of proposed solutions"),
        scope=request.user.scope_label,
        filters_line=filter_summary(filterset),
        headers=[
            _("Proposed solution"),
            _("Responsible unit"),
            _("Due on"),
            _("Status"),
            overdue,
            _("Result"),
            _("Seminar"),
            _("Held on"),
            _("Organiser"),
        ],
        rows=rows(),
        source=proposals,
    )


@portal_view
def followup_export(request):
    return export_response(request, followup_export_file)


def not_followed_here(proposal) -> str:
    return _(
        "The proposals of this seminar are followed up by the unit that held it, %(organiser)s (by the "
        "provincial Youth Union once that unit has ended). Your unit reads them."
    ) % {"organiser": proposal.seminar.organiser_name}


@portal_view
def proposal_update(request, pk):
    """One proposal's follow-up on a page of its own: opened from its seminar's page (GET), and where a row
    of the follow-up page comes back to when what was posted needs correcting."""
    proposal = get_object_or_404(
        Proposal.objects.visible_to(request.user).select_related(
            "seminar__province", "seminar__district", "seminar__commune"
        ),
        pk=pk,
    )
    if not may_edit(request.user, proposal.seminar):
        # Read, as the seminar is (its secretaries took part): followed up by the unit that held it.
        raise RefusedWithReason(not_followed_here(proposal))
    back = safe_next(request, reverse("seminars:followup"))
    page = {"proposal": proposal, "back": back}
    if request.method != "POST":
        form = ProposalUpdateForm(proposal=proposal, next_url=back)
        return render(request, "seminars/proposal_update.html", {**page, "form": form})
    form = ProposalUpdateForm(request.POST, proposal=proposal, next_url=back)
    if form.is_valid():
        try:
            services.proposal_update(
                proposal=proposal,
                status=form.cleaned_data["status"],
                result=form.cleaned_data["result"],
                version=form.loaded(),
                user=request.user,
            )
        except ValidationError as error:
            # Updated by someone else since the list was loaded (StaleEdit: their change), or the officer's
            # unit has ended (services.check_may_follow_up): said with this officer's typing, on one page,
            # rather than a redirect that would lose what was typed.
            form.add_error(None, error)
            return render(request, "seminars/proposal_update.html", {**page, "form": form})
        messages.success(
            request,
            _("The proposal “%(text)s” is now: %(status)s.")
            % {"text": str(proposal), "status": proposal.get_status_display()},
        )
    else:
        # Said next to the field, with what was typed, on the proposal's own page.
        return render(request, "seminars/proposal_update.html", {**page, "form": form})
    return redirect(back)


# ---------------------------------------------------------------------------------------------------
# Report


class ReportYearForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int)
    # A merged province's 124 communes, most without a seminar in a year: the rows worth sending upward.
    active = forms.BooleanField(
        label=gettext_lazy("Only units with seminars or participants"), required=False
    )

    def __init__(self, *args, years: list[int], year: int, active: bool = False, **kwargs):
        super().__init__(*args, initial={"year": year, "active": active}, **kwargs)
        shown = sorted({*years, year}, reverse=True)
        self.fields["year"].choices = [(y, y) for y in shown]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_class = "d-print-none mb-3"
        self.helper.layout = Layout(
            Row(
                Column("year", css_class="col-6 col-sm-3 col-lg-2"),
                Column("active", css_class="col-12 col-sm-auto align-self-end"),
                Column(
                    HTML('<div class="form-label d-none d-sm-block">&nbsp;</div>'),
                    StrictButton(_("Show"), type="submit", css_class="btn-primary"),
                    css_class="col-auto mb-3",
                ),
                css_class="g-2",
            )
        )


#: the report's sortable columns (`?o=`, the column headers' sort_header), each a key of its rows: the rows
#: are a unit's each, at most a merged province's 130, sorted here; ties keep the report's order (by code)
REPORT_ORDER = {
    "unit": lambda row: (row.unit is not None, getattr(row.unit, "name_key", "")),
    "seminars": lambda row: row.seminars,
    "participants": lambda row: row.participants,
    "secretaries": lambda row: row.secretaries or 0,
    "share": lambda row: (row.share is not None, row.share or 0),
}


def _report_order(request) -> str:
    """The sort order asked for (`seminars`, `-share`), or "" for the report's own."""
    order = request.GET.get("o", "")
    return order if order.lstrip("-") in REPORT_ORDER else ""


def _report(request):
    years = selectors.report_years(user=request.user)
    default = selectors.default_report_year(user=request.user, years=years)
    year = selectors.parse_year(request.GET.get("year"), default=default)
    data = selectors.seminar_report(user=request.user, year=year)
    rows = data.rows
    if _only_active(request):
        # The rows narrowed, the totals still the whole scope's (as the page's last row says them).
        rows = [r for r in rows if r.seminars or r.participants or r.attended]
    if order := _report_order(request):
        rows = sorted(rows, key=REPORT_ORDER[order.lstrip("-")], reverse=order.startswith("-"))
    return years, dataclasses.replace(data, rows=rows)


def report_seminars_url(user) -> str | None:
    """The seminar list a report row's count links to, where the reader may filter it by the row's unit:
    the provincial staff (a district of the past, a commune of today, the province's own). The officers'
    lists have no unit filter and also hold the seminars their secretaries attended elsewhere; the
    administrator's rows are provinces, which the list does not filter by."""
    return fixed_url("seminars:seminar_list") if user.is_provincial_staff else None


def _seminars_link(row, *, seminars_url: str, year: int) -> str | None:
    if row.unit is None:
        return f"{seminars_url}?level=province&year={year}"
    if row.level in ("district", "commune"):
        return f"{seminars_url}?{row.level}={int(row.unit.pk)}&year={year}"
    return None


def _only_active(request) -> bool:
    return request.GET.get("active") in ("on", "1", "true")


def draw_report_rows(
    rows,
    *,
    waiting_url: str | None,
    current: bool = True,
    seminars_url: str | None = None,
    year: int | None = None,
) -> SafeString:
    """The report's rows (selectors.seminar_report), drawn here: a merged province's table has a row per
    commune (Vĩnh Long: 124 rows, most of the page's templates). Each row names its unit (the province level
    when none); an ended unit says when it ceased and, where its row holds branches still waiting for a new
    commune, says so, linked to their work list (`waiting_url`) for those who settle them. Then the
    seminars (linked to the seminar list of that unit and `year`, given its `seminars_url`), the secretaries
    who took part and, in this year's report (`current`), today's secretaries and the share who attended."""
    waiting_label = escape(_("Its branches waiting for their new commune"))
    waiting = (
        f'<a class="link-secondary" href="{waiting_url}">{waiting_label}</a>'
        if waiting_url
        else waiting_label
    )
    figures = numbers()
    lines = []
    for row in rows:
        unit = row.unit
        if unit is None:
            key, name = "province", escape(_("Province level"))
        else:
            key, name = int(unit.pk), escape(unit.name)
            if unit.ended_on:
                name += f" {ceased_badge(unit.ended_on)}"
                if row.waiting:
                    name += f'<div class="small text-muted" data-waiting>{waiting}</div>'
        share = "—"
        if row.share is not None:
            attended = figures.grouped(row.attended)
            # How many, under the share on a phone: beside it, the column was cut at the screen's edge.
            count = f'<span class="small text-muted d-block d-sm-inline">({attended})</span>'
            share = f"{figures.places(row.share, 1)}% {count}"
        today = ""
        if current:
            secretaries = figures.grouped(row.secretaries)
            today = (
                f'<td class="text-end d-none d-sm-table-cell" data-secretaries>{secretaries}</td>'
                f'<td class="text-end text-nowrap" data-share>{share}</td>'
            )
        seminars = figures.grouped(row.seminars)
        if seminars_url and row.seminars:
            link = _seminars_link(row, seminars_url=seminars_url, year=year)
            seminars = f'<a href="{escape(link)}">{seminars}</a>' if link else seminars
        lines.append(
            f'<tr data-unit="{key}"><td>{name}</td>'
            f'<td class="text-end" data-seminars>{seminars}</td>'
            f'<td class="text-end" data-participants>{figures.grouped(row.participants)}</td>'
            f"{today}</tr>"
        )
    # Safe: the units' names and the labels are escaped above; the rest is the portal's link and numbers.
    return mark_safe("\n".join(lines))


@portal_view
def report(request):
    years, data = _report(request)
    form = ReportYearForm(years=years, year=data.year, active=_only_active(request))
    # An ended unit's row in a later year holds its branches still waiting for a new commune: a link to
    # their work list for those who settle them.
    waiting_url = fixed_url("branches:branch_waiting") if settles_waiting(request.user) else None
    rows = draw_report_rows(
        data.rows,
        waiting_url=waiting_url,
        current=data.current,
        seminars_url=report_seminars_url(request.user),
        year=data.year,
    )
    context = {
        "form": form,
        "report": data,
        "rows": rows,
        "only_active": _only_active(request),
        "order": _report_order(request),
    }
    return render(request, "seminars/report.html", context)


@portal_view
def report_export(request):
    _years, data = _report(request)
    headers = [_("Year"), data.unit_header, _("Seminars"), _("Secretaries who took part")]
    if data.current:  # a past year's report has no share of today's secretaries (selectors.seminar_report)
        headers += [_("Current secretaries"), _("Of them, attended a seminar"), _("Share who attended (%)")]
    province_level = _("Province level")

    def line(row, name):
        cells = [data.year, name, row.seminars, row.participants]
        if data.current:
            share = round(row.share, 1) if row.share is not None else None
            cells += [row.secretaries, row.attended, share]
        return cells

    waiting = _("Its branches waiting for their new commune")

    def name(row):
        if row.unit is None:
            return province_level
        # As on the page: an ended unit's row of a later year holds only its branches still waiting.
        return f"{row.unit.name} ({waiting})" if row.waiting else row.unit.name

    rows = [line(row, name(row)) for row in data.rows]
    return xlsx_response(
        filename=f"toa-dam-{data.year}.xlsx",
        sheet_title=_("Seminars"),
        title=_("Seminar report, %(year)s") % {"year": data.year},
        scope=request.user.scope_label,
        headers=headers,
        rows=rows,
        total=line(data.total, _("Total")),
    )
