"""Programmes (chương trình): list (with its export), page, create and edit, kept by their unit in the
portal as the models and solutions are (seminars/initiative_views.py), scoped like everything else: a
programme outside the reader's scope does not exist (404), and the seminars and models a page counts or
lists are the reader's."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from core.excel import ExcelExport, export_response
from core.filters import filter_summary
from core.history import history_rows
from core.mixins import PaginatedListMixin, PrintableListMixin, ScopedObjectMixin, portal_view

from . import services
from .filters import ProgrammeFilter
from .forms import may_edit
from .models import Programme
from .organised_selectors import programmes_for_list
from .organised_views import OrganisedFormMixin, OrganisedUpdateMixin
from .programme_forms import ProgrammeForm

# ---------------------------------------------------------------------------------------------------
# Views


class ProgrammeQuerysetMixin(ScopedObjectMixin):
    model = Programme

    def get_queryset(self):
        return super().get_queryset().select_related("province", "district", "commune")


class ProgrammeListView(PrintableListMixin, PaginatedListMixin, ProgrammeQuerysetMixin, ListView):
    template_name = "seminars/programme_list.html"
    context_object_name = "programmes"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        base = programmes_for_list(user=self.request.user)
        self.filterset = ProgrammeFilter(self.request.GET or None, queryset=base, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


def programme_export_file(request) -> ExcelExport:
    """The filtered list as .xlsx: same scope, filters and counts as the page (run by the worker for a large
    list: it reads only `request.user` and `request.GET`)."""
    base = programmes_for_list(user=request.user)
    filterset = ProgrammeFilter(request.GET or None, queryset=base, request=request)
    programmes = filterset.qs
    headers = [
        _("Name"),
        _("Organiser"),
        _("Unit when recorded"),
        _("From year"),
        _("To year"),
        _("Seminars"),
        _("Models and solutions"),
    ]

    def rows():
        for programme in programmes.iterator(chunk_size=2000):
            yield [
                programme.name,
                programme.organiser_name,
                programme.units_recorded,
                programme.from_year,
                programme.to_year,
                programme.seminar_count,
                programme.initiative_count,
            ]

    return ExcelExport(
        filename="chuong-trinh.xlsx",
        sheet_title=_("Programmes"),
        title=_("List of programmes"),
        scope=request.user.scope_label,
        filters_line=filter_summary(filterset),
        headers=headers,
        rows=rows(),
        source=programmes,
    )


@portal_view
def programme_export(request):
    return export_response(request, programme_export_file)


def programme_records(programme: Programme, user) -> dict:
    """A programme's seminars and models or solutions the user may open, and how many of each are another
    unit's (a province's programme gathers several: those of others are counted, not named, as a seminar's
    participants are, and never said to be none). For its page and its deletion page."""
    seminar_count, initiative_count = services.programme_records(programme)
    seminars = list(
        programme.seminars.visible_to(user)
        .select_related("province", "district", "commune")
        .order_by("-held_on", "-pk")
    )
    initiatives = list(
        programme.initiatives.visible_to(user)
        .select_related("province", "district", "commune")
        .order_by("-from_year", "name")
    )
    return {
        "seminars": seminars,
        "initiatives": initiatives,
        "seminar_count": seminar_count,
        "initiative_count": initiative_count,
        "seminars_hidden": seminar_count - len(seminars),
        "initiatives_hidden": initiative_count - len(initiatives),
    }


class ProgrammeDetailView(ProgrammeQuerysetMixin, DetailView):
    template_name = "seminars/programme_detail.html"
    context_object_name = "programme"

    def get_context_data(self, **kwargs):
        user = self.request.user
        programme = self.object
        return super().get_context_data(
            **programme_records(programme, user),
            history=history_rows(programme.history, limit=30),
            may_edit=may_edit(user, programme),
            **kwargs,
        )


class ProgrammeFormMixin(OrganisedFormMixin, ProgrammeQuerysetMixin):
    form_class = ProgrammeForm
    list_url_name = "seminars:programme_list"
    list_title = gettext_lazy("Programmes")
    add_title = gettext_lazy("Add programme")
    edit_title = gettext_lazy("Edit programme")

    def save(self, form, organised):
        return services.programme_save(programme=organised, version=form.loaded(), user=self.request.user)


class ProgrammeCreateView(ProgrammeFormMixin, CreateView):
    pass


class ProgrammeUpdateView(OrganisedUpdateMixin, ProgrammeFormMixin, UpdateView):
    pass


@portal_view
def programme_delete(request, pk):
    """Delete a programme recorded by mistake, after a page saying so: whoever may edit it, as the edit page
    loads it (outside the scope: 404). One that still has seminars or models is not deleted: the page says
    why and lists those the reader may open (services.programme_delete)."""
    user = request.user
    programme = get_object_or_404(
        Programme.objects.visible_to(user).select_related("province", "district", "commune"), pk=pk
    )
    if not may_edit(user, programme):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.programme_delete(programme=programme)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("seminars:programme_delete", pk=programme.pk)
        messages.success(request, _("The programme “%(name)s” was deleted.") % {"name": programme.name})
        return redirect("seminars:programme_list")
    records = programme_records(programme, user)
    return render(
        request,
        "seminars/programme_confirm_delete.html",
        {
            "programme": programme,
            "refusal": services.programme_in_use(records["seminar_count"], records["initiative_count"])
            if records["seminar_count"] or records["initiative_count"]
            else "",
            **records,
            "hidden_count": records["seminars_hidden"] + records["initiatives_hidden"],
        },
    )
