"""Models and solutions (mô hình, giải pháp): list (with its export), page, create and edit, scoped like
everything else.

Communes, branches and seminars are chosen with autocompletes that answer from the user's scope only,
and the form accepts nothing else whatever is posted (its querysets come from `visible_to`).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from branches.unit_views import AUTOCOMPLETE_LIMIT
from core.excel import ExcelExport, export_response
from core.filters import filter_summary
from core.mixins import PaginatedListMixin, PrintableListMixin, ScopedObjectMixin, portal_view
from core.scope import mark_visible
from core.text import search_terms

from . import services
from .filters import InitiativeFilter
from .forms import may_edit
from .initiative_forms import InitiativeForm, seminar_label
from .models import Initiative, Seminar
from .organised_selectors import initiatives_for_export, initiatives_for_list
from .organised_views import OrganisedFormMixin, OrganisedUpdateMixin

# ---------------------------------------------------------------------------------------------------
# Views


class InitiativeQuerysetMixin(ScopedObjectMixin):
    model = Initiative

    def get_queryset(self):
        return super().get_queryset().select_related("province", "district", "commune", "programme")


class InitiativeListView(PrintableListMixin, PaginatedListMixin, InitiativeQuerysetMixin, ListView):
    template_name = "seminars/initiative_list.html"
    context_object_name = "initiatives"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        base = initiatives_for_list(user=self.request.user)
        self.filterset = InitiativeFilter(self.request.GET or None, queryset=base, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


def initiative_export_file(request) -> ExcelExport:
    """The filtered list as .xlsx: same scope and filters as the page (run by the worker for a large list:
    it reads only `request.user` and `request.GET`)."""
    base = initiatives_for_export(user=request.user)
    filterset = InitiativeFilter(request.GET or None, queryset=base, request=request)
    initiatives = filterset.qs
    headers = [
        _("Name"),
        _("Organiser"),
        _("Unit when recorded"),
        _("Programme"),
        _("From year"),
        _("To year"),
        _("Communes applying it"),
        _("Number of branches applying it"),
        _("Results"),
    ]

    def rows():
        for initiative in initiatives.iterator(chunk_size=2000):
            yield [
                initiative.name,
                initiative.organiser_name,
                initiative.units_recorded,
                initiative.programme.name if initiative.programme_id else "",
                initiative.from_year,
                initiative.to_year,
                "\n".join(commune.name for commune in initiative.commune_list),
                initiative.branch_count,
                initiative.results,
            ]

    return ExcelExport(
        filename="mo-hinh-giai-phap.xlsx",
        sheet_title=_("Models and solutions"),
        title=_("List of models and solutions"),
        scope=request.user.scope_label,
        filters_line=filter_summary(filterset),
        headers=headers,
        rows=rows(),
        source=initiatives,
    )


@portal_view
def initiative_export(request):
    return export_response(request, initiative_export_file)


class InitiativeDetailView(InitiativeQuerysetMixin, DetailView):
    template_name = "seminars/initiative_detail.html"
    context_object_name = "initiative"

    def get_context_data(self, **kwargs):
        user = self.request.user
        initiative = self.object
        # Its programme is linked only where the reader may open it (a province's, read by a district);
        # asked with the units its breadcrumbs name, in the same query (check_links leaves those marked).
        mark_visible(
            [initiative.programme, initiative.province, initiative.district, initiative.commune], user
        )
        return super().get_context_data(
            communes=initiative.communes.visible_to(user).select_related("district"),
            branches=initiative.branches.visible_to(user).select_related("commune"),
            seminars=initiative.seminars.visible_to(user).order_by("-held_on"),
            may_edit=may_edit(user, initiative),
            **kwargs,
        )


class InitiativeFormMixin(OrganisedFormMixin, InitiativeQuerysetMixin):
    form_class = InitiativeForm
    list_url_name = "seminars:initiative_list"
    list_title = gettext_lazy("Models and solutions")
    add_title = gettext_lazy("Add model or solution")
    edit_title = gettext_lazy("Edit model or solution")

    def save(self, form, organised):
        data = form.cleaned_data
        return services.initiative_save(
            initiative=organised,
            communes=data["communes"],
            branches=data["branches"],
            seminars=data["seminars"],
            version=form.loaded(),
            user=self.request.user,
        )


class InitiativeCreateView(InitiativeFormMixin, CreateView):
    pass


class InitiativeUpdateView(OrganisedUpdateMixin, InitiativeFormMixin, UpdateView):
    pass


@portal_view
def seminar_autocomplete(request):
    """Seminars of the user's scope, newest first, for linking a model/solution to them."""
    seminars = Seminar.objects.visible_to(request.user)
    for term in search_terms(request.GET.get("q")):
        seminars = seminars.filter(title_key__contains=term)
    results = [{"value": s.pk, "text": seminar_label(s)} for s in seminars[:AUTOCOMPLETE_LIMIT]]
    return JsonResponse({"results": results})


@portal_view
def initiative_delete(request, pk):
    """Delete a model or solution recorded by mistake, after a page saying what goes with it: whoever may
    edit it, as the edit page loads it (outside the scope: 404)."""
    initiative = get_object_or_404(
        Initiative.objects.visible_to(request.user).select_related("province", "district", "commune"), pk=pk
    )
    if not may_edit(request.user, initiative):
        raise PermissionDenied
    if request.method == "POST":
        services.initiative_delete(initiative=initiative)
        messages.success(
            request, _("The model or solution “%(name)s” was deleted.") % {"name": initiative.name}
        )
        return redirect("seminars:initiative_list")
    return render(
        request,
        "seminars/initiative_confirm_delete.html",
        {
            "initiative": initiative,
            "commune_count": initiative.communes.count(),
            "branch_count": initiative.branches.count(),
            "seminar_count": initiative.seminars.count(),
        },
    )
