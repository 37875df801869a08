"""Programmes (chương trình): list, page, create and edit, kept by their unit in the portal as the models
and solutions are (seminars/initiative_views.py), scoped like everything else: a programme outside the
reader's scope does not exist (404), and the seminars and models a page counts or lists are the reader's."""

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from core.history import history_rows
from core.mixins import PaginatedListMixin, ScopedObjectMixin

from . import services
from .filters import ProgrammeFilter
from .forms import may_edit
from .models import Initiative, Programme, Seminar
from .organised_views import OrganisedFormMixin, OrganisedUpdateMixin
from .programme_forms import ProgrammeForm

# ---------------------------------------------------------------------------------------------------
# Views


def _scoped_count(records, user):
    """The number of a programme's `records` (seminars or models) the user may read, as one subquery per
    list rather than a query per row."""
    counted = (
        records.visible_to(user)
        .filter(programme=OuterRef("pk"))
        .order_by()
        .values("programme")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


class ProgrammeQuerysetMixin(ScopedObjectMixin):
    model = Programme

    def get_queryset(self):
        return super().get_queryset().select_related("province", "district", "commune")


class ProgrammeListView(PaginatedListMixin, ProgrammeQuerysetMixin, ListView):
    template_name = "seminars/programme_list.html"
    context_object_name = "programmes"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        user = self.request.user
        programmes = (
            super()
            .get_queryset()
            .annotate(
                seminar_count=_scoped_count(Seminar.objects, user),
                initiative_count=_scoped_count(Initiative.objects, user),
            )
        )
        self.filterset = ProgrammeFilter(self.request.GET or None, queryset=programmes, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


class ProgrammeDetailView(ProgrammeQuerysetMixin, DetailView):
    template_name = "seminars/programme_detail.html"
    context_object_name = "programme"

    def get_context_data(self, **kwargs):
        user = self.request.user
        programme = self.object
        return super().get_context_data(
            seminars=programme.seminars.visible_to(user)
            .select_related("province", "district", "commune")
            .order_by("-held_on", "-pk"),
            initiatives=programme.initiatives.visible_to(user)
            .select_related("province", "district", "commune")
            .order_by("-from_year", "name"),
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
