from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, ListView, TemplateView, UpdateView

from core.excel import ExcelExport, export_response
from core.filters import filter_summary
from core.history import history_rows
from core.home import panels_for
from core.mixins import (
    EditsACopyMixin,
    PaginatedListMixin,
    PortalMixin,
    PrintableListMixin,
    RefusedWithReason,
    ScopedObjectMixin,
    portal_view,
)
from core.scope import mark_visible
from core.sections import BRANCH_DEACTIVATE_PAGE, BRANCH_PAGE, sections_for
from core.text import search_terms

from . import selectors, services
from .exports import branch_sheet
from .filters import BranchFilter
from .forms import BranchForm
from .models import Branch, Commune, District, Province

AUTOCOMPLETE_LIMIT = 20


def healthz(request):
    """For the load balancer and the benchmark: the process answers and the database too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


class HomeView(PortalMixin, TemplateView):
    template_name = "branches/home.html"

    def dispatch(self, request, *args, **kwargs):
        # A branch secretary's first screen is their own record ("Hồ sơ của tôi").
        if request.user.is_authenticated and request.user.is_secretary:
            return redirect("own:home")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        level, _model = selectors.level_below(user)
        # What templates/branches/home.html shows: districts above the communes' level, communes for all
        # but a commune officer. The totals first: their unfiltered read of the counters is kept for the
        # request, and the table of units and the vacancies sum it again (branches/counters.py).
        totals = selectors.scope_totals(
            user=user, districts=level != "commune", communes=not user.is_commune_officer
        )
        level, units = selectors.home_units(user=user)
        units = selectors.sort_units(units, self.request.GET.get("o"))
        # Active branches the figures count but no row of the table holds: today's unit's still under an
        # ended commune, waiting for their new one (an ended unit's table counts its re-attached branches
        # under its own units). Said under the table, so its rows and the figures do not seem to disagree.
        table_branches = sum(u.branch_count for u in units)
        elsewhere = 0 if user.is_administrator else totals["branches"] - table_branches
        # An ended unit's table counts as on its last day, its figures as today: where they differ, the page
        # gives both sums in one sentence, so a report copying "the totals" knows which it takes.
        table_members = sum(u.member_count for u in units)
        differs_on_end = user.unit_ended_on is not None and (
            (table_branches, table_members) != (totals["branches"], totals["members"])
        )
        # An ended unit's banner names what it went into (Tỉnh Vĩnh Long), as its own page does.
        unit = user.unit
        successors = []
        if user.unit_ended_on is not None:
            successors = selectors.attach_successors([unit], model=type(unit), user=user)[0].successors
        return super().get_context_data(
            unit_successors=successors,
            totals=totals,
            unit_level=level,
            units=units,
            sortable_units=level != "province",  # the administrator's provinces: a column of districts more
            branches_elsewhere=max(elsewhere, 0),
            table_sums={"branches": table_branches, "members": table_members} if differs_on_end else None,
            settles_waiting=selectors.settles_waiting(user),
            panels=panels_for(user),
            **kwargs,
        )


class ProvinceListView(ScopedObjectMixin, ListView):
    """The provinces (today's first, then those that ended), and a search of every unit by name, old
    names included: an ended unit is found, marked as ended, with the units it went into."""

    model = Province
    template_name = "branches/province_list.html"
    context_object_name = "provinces"

    def get_queryset(self):
        provinces = super().get_queryset().order_by(F("ended_on").desc(nulls_first=True), "code")
        return selectors.attach_totals(provinces, user=self.request.user, level="province")

    def get_context_data(self, **kwargs):
        query = (self.request.GET.get("q") or "").strip()
        context = super().get_context_data(
            query=query,
            search_results=selectors.units_search(user=self.request.user, query=query) if query else None,
            **kwargs,
        )
        # An ended province's row counts the branches still under its communes (waiting for a new one), or for
        # its own account those it had on its last day: the table says which, or its total and the first
        # screen's disagree without a word.
        user = self.request.user
        context["ended_with_branches"] = any(p.ended_on and p.branch_count for p in context["provinces"])
        if context["ended_with_branches"]:
            waiting_only = user.unit_ended_on is None
            context["waiting_sums"] = selectors.waiting_sums(context["provinces"]) if waiting_only else []
            context["settles_waiting"] = selectors.settles_waiting(user)
        return context


class UnitDetailMixin(ScopedObjectMixin):
    def get_object(self, queryset=None):
        return selectors.unit_by_code(
            self.get_queryset() if queryset is None else queryset,
            code=self.kwargs["code"],
            on=self.request.GET.get("on"),
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            lineage=selectors.unit_lineage(self.object, user=self.request.user), **kwargs
        )


class ProvinceDetailView(UnitDetailMixin, DetailView):
    model = Province
    template_name = "branches/province_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        province = self.object
        districts = District.objects.visible_to(user).filter(province=province)
        direct_communes = Commune.objects.visible_to(user).filter(province=province, district__isnull=True)
        order = self.request.GET.get("o")
        context = super().get_context_data(
            districts=selectors.sort_units(
                selectors.attach_totals(districts, user=user, level="district"), order
            ),
            direct_communes=selectors.sort_units(
                selectors.attach_totals(direct_communes, user=user, level="commune"), order
            ),
            **kwargs,
        )
        # A province that goes on: its communes' table leaves out the branches still waiting under the ended
        # communes of the provinces that went into it, which the first screen and the provinces' list count
        # in it. Said under the table, in the provinces' list's numbers (Tỉnh Vĩnh Long: 490 + 86 = 576).
        formed_from = [
            row.predecessor for row in context["lineage"]["formed_from"] if row.predecessor.ended_on
        ]
        context["waiting_sums"] = []
        if province.ended_on is None and user.unit_ended_on is None and formed_from:
            province.branch_count = sum(unit.branch_count for unit in context["direct_communes"])
            province.branch_count += sum(unit.branch_count for unit in context["districts"])
            ended = selectors.attach_totals(formed_from, user=user, level="province")
            context["waiting_sums"] = selectors.waiting_sums([province, *ended])
            context["settles_waiting"] = selectors.settles_waiting(user)
        return context


class DistrictDetailView(UnitDetailMixin, DetailView):
    model = District
    template_name = "branches/district_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("province")

    def get_context_data(self, **kwargs):
        communes = Commune.objects.visible_to(self.request.user).filter(district=self.object)
        communes = selectors.attach_totals(communes, user=self.request.user, level="commune")
        return super().get_context_data(
            communes=selectors.sort_units(communes, self.request.GET.get("o")), **kwargs
        )


class CommuneDetailView(UnitDetailMixin, DetailView):
    model = Commune
    template_name = "branches/commune_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("province", "district")

    def get_context_data(self, **kwargs):
        user = self.request.user
        branches = selectors.attach_secretaries(
            list(Branch.objects.visible_to(user).filter(commune=self.object)), user=user
        )
        for branch in branches:
            branch.commune = self.object  # the table reads its commune's end: this one, not a query a row
        branches = selectors.attach_branch_successors(branches, user=user)
        # An ended commune that still has active branches: they wait for their new commune; those it had that
        # went into another are listed apart, under their commune today.
        ended = self.object.ended_on is not None
        waiting = [b for b in branches if b.is_active] if ended else []
        return super().get_context_data(
            branches=branches,
            waiting=waiting,
            moved_away=selectors.branches_moved_away(self.object, user=user) if ended else [],
            settles_waiting=selectors.settles_waiting(user),
            **kwargs,
        )


class BranchQuerysetMixin(ScopedObjectMixin):
    model = Branch

    def get_queryset(self):
        return super().get_queryset().select_related("commune__district__province", "commune__province")


class BranchListView(PrintableListMixin, PaginatedListMixin, BranchQuerysetMixin, ListView):
    template_name = "branches/branch_list.html"
    context_object_name = "branches"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        self.filterset = BranchFilter(
            self.request.GET or None, queryset=super().get_queryset(), request=self.request
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(filter=self.filterset, **kwargs)
        user = self.request.user
        branches = selectors.attach_secretaries(list(context["branches"]), user=user)
        context["branches"] = selectors.attach_branch_successors(branches, user=user)
        context["show_district"] = selectors.shows_districts(user)
        context["show_commune"] = selectors.shows_communes(user)
        context["waiting_count"] = selectors.waiting_count(user=user)
        return context


def branch_export_file(request) -> ExcelExport:
    """The branch list as .xlsx, with the same scope and filters as the page (run by the worker for a large
    list: it reads only `request.user` and `request.GET`)."""
    filterset = BranchFilter(
        request.GET or None, queryset=Branch.objects.visible_to(request.user), request=request
    )
    headers, rows = branch_sheet(filterset.qs, user=request.user)
    return ExcelExport(
        filename="chi-doan.xlsx",
        sheet_title=_("Branches"),
        title=_("List of branches"),
        scope=request.user.scope_label,
        filters_line=filter_summary(filterset),
        headers=headers,
        rows=rows,
        source=filterset.qs,
    )


@portal_view
def branch_export(request):
    return export_response(request, branch_export_file)


class BranchDetailView(BranchQuerysetMixin, DetailView):
    template_name = "branches/branch_detail.html"

    def waiting(self):
        """The branch if it is still under a commune that ended, waiting for its new one, with why, as the
        work list says it (selectors.attach_candidates: its `clashes`, a new commune that has its name
        already, else its commune was split): two queries then, none otherwise (the commune is loaded)."""
        branch = self.object
        if not branch.is_active or branch.commune.ended_on is None:
            return None
        selectors.attach_candidates([branch], user=None)
        return branch

    def get_context_data(self, **kwargs):
        # Its units today, in the breadcrumbs and the details: named without a link where the user may not
        # open them (an ended district reading its former branch, now under a commune of the new province).
        commune = self.object.commune
        # Its communes before (Xã Hiếu Tử, Huyện Tiểu Cần until 30/06/2025), named the same way.
        former = selectors.branch_former_communes(self.object)
        past = [unit for row in former for unit in (row.commune, row.commune.district, row.commune.province)]
        mark_visible([commune, commune.district, commune.province, *past], self.request.user)
        return super().get_context_data(
            former_communes=former,
            # The branch's secretaries and deputies: the secretaries app registers them (core.sections).
            sections=sections_for(BRANCH_PAGE, self.object, user=self.request.user),
            lineage=selectors.branch_lineage(self.object, user=self.request.user),
            waiting=self.waiting(),
            settles_waiting=selectors.settles_waiting(self.request.user),
            history=history_rows(self.object.history),
            **kwargs,
        )


def check_may_change_branch(request, branch: Branch) -> None:
    """403 for what may no longer change the branch: an account of an ended unit, or a branch ended by a
    merge or split (its page offers neither edit nor deactivate; an old link or typed URL says why)."""
    request.user.check_may_change_today()
    if branch.ended_on is not None:
        raise RefusedWithReason(services.ended_branch_refusal(branch))


class BranchCreateView(BranchQuerysetMixin, CreateView):
    form_class = BranchForm
    template_name = "branches/branch_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            request.user.check_may_change_today()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        # "Thêm chi đoàn" from a commune page arrives with that commune chosen.
        commune = self.request.GET.get("commune")
        return {"commune": commune} if commune and commune.isdigit() else {}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "cancel_url": reverse("branches:branch_list"),
        }

    def form_valid(self, form):
        self.object = services.branch_create(**form.fields_to_save())
        messages.success(self.request, _("Branch “%(name)s” was added.") % {"name": self.object.name})
        return redirect(self.object)


class BranchUpdateView(EditsACopyMixin, BranchQuerysetMixin, UpdateView):
    form_class = BranchForm
    template_name = "branches/branch_form.html"

    def get_object(self, queryset=None):
        branch = super().get_object(queryset)  # 404 outside the scope first, then 403
        check_may_change_branch(self.request, branch)
        return branch

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "cancel_url": self.object.get_absolute_url(),
        }

    def form_valid(self, form):
        try:
            self.object = services.branch_update(
                branch=self.object, version=form.loaded(), **form.fields_to_save()
            )
        except ValidationError as error:
            # Saved by someone else meanwhile (core.versioning.StaleEdit), or a founding date after the
            # branch's earliest term (shown next to it: the error names its field).
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Branch “%(name)s” was saved.") % {"name": self.object.name})
        return redirect(self.object)


@portal_view
def branch_deactivate(request, pk):
    branch = get_object_or_404(Branch.objects.visible_to(request.user).select_related("commune"), pk=pk)
    check_may_change_branch(request, branch)
    if request.method == "POST":
        services.branch_deactivate(branch=branch)
        messages.success(request, _("Branch “%(name)s” was marked inactive.") % {"name": branch.name})
        return redirect(branch)
    return render(
        request,
        "branches/branch_confirm_deactivate.html",
        {"branch": branch, "sections": sections_for(BRANCH_DEACTIVATE_PAGE, branch, user=request.user)},
    )


@require_POST
@portal_view
def branch_reactivate(request, pk):
    branch = get_object_or_404(Branch.objects.visible_to(request.user), pk=pk)
    request.user.check_may_change_today()
    try:
        services.branch_reactivate(branch=branch)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(branch)
    messages.success(request, _("Branch “%(name)s” is active again.") % {"name": branch.name})
    return redirect(branch)


def _autocomplete(queryset, request, label):
    for term in search_terms(request.GET.get("q")):
        queryset = queryset.filter(name_key__contains=term)
    results = [{"value": obj.pk, "text": label(obj)} for obj in queryset[:AUTOCOMPLETE_LIMIT]]
    return JsonResponse({"results": results})


def _unit_autocomplete(queryset, request, label):
    """Today's units first, then the ended ones (an old name still finds its unit), each ended one marked
    with its end date and the units it went into, whose pages `successors` links. "?current=1" (forms that
    attach something new to a unit) leaves the ended ones out."""
    if request.GET.get("current"):
        queryset = queryset.filter(ended_on__isnull=True)
    queryset = queryset.order_by(F("ended_on").desc(nulls_first=True), "name_key", "code")
    for term in search_terms(request.GET.get("q")):
        queryset = queryset.filter(name_key__contains=term)
    units = selectors.attach_successors(
        list(queryset[:AUTOCOMPLETE_LIMIT]), model=queryset.model, user=request.user
    )
    results = []
    for unit in units:
        text = label(unit)
        if unit.ended_on:
            text = _("%(unit)s (ceased %(date)s)") % {
                "unit": text,
                "date": date_format(unit.ended_on, "SHORT_DATE_FORMAT"),
            }
            if unit.successors:
                text += " → " + ", ".join(
                    _("%(unit)s (partly)") % {"unit": s.name} if s.partly else s.name for s in unit.successors
                )
        results.append(
            {
                "value": unit.pk,
                "text": text,
                "ended": bool(unit.ended_on),
                "successors": [
                    {"text": s.name, "url": s.get_absolute_url() if s.visible else None, "partly": s.partly}
                    for s in unit.successors
                ],
            }
        )
    return JsonResponse({"results": results})


@portal_view
def commune_autocomplete(request):
    # "?of_branches=1": a list of branches' filter, which also offers an ended unit today's communes.
    if request.GET.get("of_branches"):
        communes = selectors.communes_of_branches(request.user)
    else:
        communes = Commune.objects.visible_to(request.user)
    communes = communes.select_related("district")
    # Narrowed to the district chosen beside it, or to one province (a campaign's nominating communes).
    for level in ("district", "province"):
        unit = request.GET.get(level)
        if unit and unit.isdigit():
            communes = communes.filter(**{level: unit})
    return _unit_autocomplete(
        communes, request, lambda c: f"{c.name} — {c.district.name}" if c.district_id else c.name
    )


@portal_view
def district_autocomplete(request):
    districts = District.objects.visible_to(request.user).select_related("province")
    province = request.GET.get("province")
    if province and province.isdigit():
        districts = districts.filter(province=province)
    return _unit_autocomplete(districts, request, lambda d: f"{d.name} — {d.province.name}")


@portal_view
def branch_autocomplete(request):
    branches = Branch.objects.visible_to(request.user).active().select_related("commune")
    commune = request.GET.get("commune")
    if commune and commune.isdigit():
        branches = branches.filter(commune=commune)
    return _autocomplete(branches, request, lambda b: f"{b.name} — {b.commune.name}")
