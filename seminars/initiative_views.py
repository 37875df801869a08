"""Models and solutions (mô hình, giải pháp): list, page, create and edit, scoped like everything else.

Communes, branches and seminars are chosen with autocompletes that answer from the user's scope only,
and the form accepts nothing else whatever is posted (its querysets come from `visible_to`).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from branches.unit_views import AUTOCOMPLETE_LIMIT
from core.mixins import PaginatedListMixin, ScopedObjectMixin, portal_view
from core.scope import mark_visible
from core.text import search_terms

from . import services
from .filters import InitiativeFilter
from .forms import may_edit
from .initiative_forms import InitiativeForm, seminar_label
from .models import Initiative, Seminar

# ---------------------------------------------------------------------------------------------------
# Views


class InitiativeQuerysetMixin(ScopedObjectMixin):
    model = Initiative

    def get_queryset(self):
        return super().get_queryset().select_related("province", "district", "commune", "programme")


class InitiativeListView(PaginatedListMixin, InitiativeQuerysetMixin, ListView):
    template_name = "seminars/initiative_list.html"
    context_object_name = "initiatives"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        self.filterset = InitiativeFilter(
            self.request.GET or None, queryset=super().get_queryset(), request=self.request
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


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


class InitiativeFormMixin(InitiativeQuerysetMixin):
    form_class = InitiativeForm
    template_name = "seminars/initiative_form.html"

    def cancel_url(self) -> str:
        return self.object.get_absolute_url() if self.object else reverse("seminars:initiative_list")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "cancel_url": self.cancel_url()}

    def form_valid(self, form):
        data = form.cleaned_data
        initiative = form.instance
        initiative.province, initiative.district = data["province"], data["district"]
        initiative.commune = data["commune"]
        try:
            self.object = services.initiative_save(
                initiative=initiative,
                communes=data["communes"],
                branches=data["branches"],
                seminars=data["seminars"],
                version=form.loaded(),
                user=self.request.user,
            )
        except ValidationError as error:  # a stale save (StaleEdit), or a year its unit did not exist in
            form.add_error(form.FIELD_FOR_CODE.get(getattr(error, "code", None)), error)
            return self.form_invalid(form)
        messages.success(self.request, _("“%(name)s” was saved.") % {"name": self.object.name})
        return redirect(self.object)


class InitiativeCreateView(InitiativeFormMixin, CreateView):
    pass


class InitiativeUpdateView(InitiativeFormMixin, UpdateView):
    def get_object(self, queryset=None):
        initiative = super().get_object(queryset)
        if not may_edit(self.request.user, initiative):
            raise PermissionDenied  # read (its branches apply it), not its commune's to change
        return initiative


@portal_view
def seminar_autocomplete(request):
    """Seminars of the user's scope, newest first, for linking a model/solution to them."""
    seminars = Seminar.objects.visible_to(request.user)
    for term in search_terms(request.GET.get("q")):
        seminars = seminars.filter(title_key__contains=term)
    results = [{"value": s.pk, "text": seminar_label(s)} for s in seminars[:AUTOCOMPLETE_LIMIT]]
    return JsonResponse({"results": results})
