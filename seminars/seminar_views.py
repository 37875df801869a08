"""Seminar pages: the list (with its export), the seminar, and one page that creates or edits a seminar with
its themes and proposals."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView, TemplateView

from branches.rollup import provinces_today, unit_names
from branches.unit_views import AUTOCOMPLETE_LIMIT
from core.excel import ExcelExport, export_response
from core.filters import filter_summary
from core.history import history_rows
from core.mixins import PaginatedListMixin, PrintableListMixin, ScopedObjectMixin, edited_copy, portal_view
from core.scope import mark_visible
from core.versioning import StaleEdit
from secretaries.models import Person

from . import services
from .filters import SeminarFilter
from .forms import (
    ProposalFormSet,
    SeminarForm,
    ThemeFormSet,
    fixed_organiser,
    may_edit,
    organiser_label,
    organiser_value,
    participant_label,
)
from .models import Seminar, union_body_name
from .photo_views import gallery_context
from .seminar_selectors import organiser_search, participant_search, seminars_for_list


class SeminarQuerysetMixin(ScopedObjectMixin):
    model = Seminar

    def get_queryset(self):
        return super().get_queryset().select_related("province", "district", "commune", "programme")


class SeminarListView(PrintableListMixin, PaginatedListMixin, SeminarQuerysetMixin, ListView):
    template_name = "seminars/seminar_list.html"
    context_object_name = "seminars"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        base = seminars_for_list(user=self.request.user)
        self.filterset = SeminarFilter(self.request.GET or None, queryset=base, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(filter=self.filterset, **kwargs)


def seminar_export_file(request) -> ExcelExport:
    """The filtered list as .xlsx: same scope and filters as the page (run by the worker for a large list:
    it reads only `request.user` and `request.GET`)."""
    base = seminars_for_list(user=request.user)
    filterset = SeminarFilter(request.GET or None, queryset=base, request=request)
    seminars = filterset.qs
    headers = [
        _("Date"),
        _("Title"),
        _("Organiser"),
        _("Programme"),
        _("Venue"),
        _("Chaired by"),
        _("Participating secretaries"),
        _("Other attendees"),
        _("Discussion themes"),
        _("Open proposals"),
        _("Outcomes"),
        _("Unit when recorded"),
        _("Unit today"),
    ]
    successors = provinces_today()

    def rows():
        for seminar in seminars.iterator(chunk_size=2000):
            yield [
                seminar.held_on,
                seminar.title,
                seminar.organiser_name,
                seminar.programme.name if seminar.programme_id else "",
                seminar.venue,
                seminar.chair,
                seminar.participant_count,
                seminar.other_attendees,
                "\n".join(f"{t.order}. {t.title}" for t in seminar.theme_list),
                seminar.open_proposal_count,
                seminar.outcome,
                seminar.units_recorded,
                # A seminar names no branch: today's unit is its commune if that goes on, else its province,
                # or the one it went into.
                unit_names(seminar.commune.name, seminar.province.name)
                if seminar.commune_id and seminar.commune.ended_on is None
                else successors.get(seminar.province_id, seminar.province.name),
            ]

    return ExcelExport(
        filename="toa-dam.xlsx",
        sheet_title=_("Seminars"),
        title=_("List of seminars"),
        scope=request.user.scope_label,
        filters_line=filter_summary(filterset),
        headers=headers,
        rows=rows(),
        source=seminars,
    )


@portal_view
def seminar_export(request):
    return export_response(request, seminar_export_file)


class SeminarDetailView(SeminarQuerysetMixin, DetailView):
    template_name = "seminars/seminar_detail.html"
    context_object_name = "seminar"
    #: the photo form as posted, when an upload was refused (photo_views.photo_upload): shown with its
    #: errors and what was typed
    photo_form = None

    def get_queryset(self):
        people = Person.objects.only("id", "full_name", "sort_key", "date_of_birth").order_by(
            "sort_key", "pk"
        )
        return (
            super()
            .get_queryset()
            .prefetch_related("themes", "proposals", Prefetch("participants", queryset=people))
        )

    def get_context_data(self, **kwargs):
        seminar = self.object
        editable = may_edit(self.request.user, seminar)
        # Its programme is linked only where the reader may open it (a province's, read by a district);
        # asked with the units its breadcrumbs name, in the same query (check_links leaves those marked).
        mark_visible(
            [seminar.programme, seminar.province, seminar.district, seminar.commune], self.request.user
        )
        participants = list(seminar.participants.all())
        # A provincial seminar gathers several districts: only the people the viewer may open are named,
        # the others are counted.
        visible = set(
            Person.objects.visible_to(self.request.user)
            .filter(pk__in=[p.pk for p in participants])
            .values_list("pk", flat=True)
        )
        return super().get_context_data(
            participants=participants,
            participants_shown=[p for p in participants if p.pk in visible],
            participants_hidden=len(participants) - len(visible),
            attendance=len(participants) + seminar.other_attendees,
            history=history_rows(seminar.history, limit=30),
            may_edit=editable,
            # Its proposals' follow-up, each on its own page (the follow-up list's rule: followup_views).
            may_follow_up=editable and services.may_follow_up(self.request.user),
            **gallery_context(seminar, self.photo_form, editable=editable),
            **kwargs,
        )


class SeminarFormView(SeminarQuerysetMixin, TemplateView):
    """The seminar, its ordered themes and its proposals on one page, saved together or not at all."""

    template_name = "seminars/seminar_form.html"

    def load(self) -> Seminar | None:
        return None

    def dispatch(self, request, *args, **kwargs):
        # Anonymous users and users without a role stop in PortalMixin before anything is loaded.
        if request.user.is_authenticated and request.user.has_portal_role:
            self.object = self.load()
        return super().dispatch(request, *args, **kwargs)

    def build(self, data=None) -> dict:
        seminar = edited_copy(self.object) or Seminar()
        form = SeminarForm(data, instance=seminar, user=self.request.user)
        themes = ThemeFormSet(data, prefix="themes", initial=self.theme_initial())
        proposals = ProposalFormSet(
            data, instance=seminar, prefix="proposals", follows_up=services.may_follow_up(self.request.user)
        )
        # A refused row is four screens below the top: listed above the form with the seminar's fields.
        form.summarise_formsets(
            (themes, _("Discussion themes"), _("Theme %(number)s"), "themes-fieldset"),
            (
                proposals,
                _("Proposed solutions and follow-up"),
                _("Proposal %(number)s"),
                "proposals-fieldset",
            ),
        )
        return {"form": form, "themes": themes, "proposals": proposals}

    def theme_initial(self) -> list[dict]:
        if self.object is None:
            return []
        return [{"title": t.title, "notes": t.notes, "ORDER": t.order} for t in self.object.themes.all()]

    def get_context_data(self, **kwargs):
        cancel = self.object.get_absolute_url() if self.object else reverse("seminars:seminar_list")
        fixed = fixed_organiser(self.request.user)
        return super().get_context_data(
            object=self.object,
            cancel_url=cancel,
            fixed_organiser=union_body_name(fixed) if fixed is not None else "",
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(**self.build()))

    def post(self, request, *args, **kwargs):
        forms = self.build(request.POST)
        form, themes, proposals = forms["form"], forms["themes"], forms["proposals"]
        seminar_valid = form.is_valid()
        proposals.held_on = form.cleaned_data.get("held_on")  # no proposal falls due before the seminar
        if all([seminar_valid, themes.is_valid(), proposals.is_valid()]):
            seminar = form.instance  # the form's fields are set on it by is_valid()
            seminar.province, seminar.district, seminar.commune = form.chosen_organiser()
            try:
                seminar = services.seminar_save(
                    seminar=seminar,
                    participants=form.cleaned_data["participants"],
                    themes=themes.themes(),
                    proposals=proposals.proposals(),
                    user=request.user,
                    version=form.loaded(),
                )
            except ValidationError as error:
                form.add_service_error(error)
                if isinstance(error, StaleEdit):  # a proposal changed on the follow-up page meanwhile
                    for proposal_form in proposals.forms:
                        proposal_form.version_seen(error)
            else:
                messages.success(request, _("The seminar “%(title)s” was saved.") % {"title": seminar.title})
                return redirect(seminar)
        return self.render_to_response(self.get_context_data(**forms))


class SeminarCreateView(SeminarFormView):
    pass


class SeminarUpdateView(SeminarFormView):
    def load(self) -> Seminar:
        seminar = get_object_or_404(self.get_queryset().prefetch_related("themes"), pk=self.kwargs["pk"])
        if not may_edit(self.request.user, seminar):
            raise PermissionDenied  # read (its secretaries attended), not its commune's to change
        return seminar


@portal_view
def organiser_autocomplete(request):
    """The units of the user's scope a seminar may be organised by, for the seminar form's organiser."""
    units = organiser_search(user=request.user, query=request.GET.get("q"), limit=AUTOCOMPLETE_LIMIT)
    return JsonResponse(
        {"results": [{"value": organiser_value(u), "text": organiser_label(u)} for u in units]}
    )


@portal_view
def participant_autocomplete(request):
    """The people of the user's scope, for the seminar form's participants: named with their branch."""
    people = participant_search(user=request.user, query=request.GET.get("q"), limit=AUTOCOMPLETE_LIMIT)
    return JsonResponse({"results": [{"value": p.pk, "text": participant_label(p)} for p in people]})


@portal_view
def seminar_delete(request, pk):
    """Delete a seminar recorded by mistake, after a page saying what goes with it: whoever may edit it
    (forms.may_edit), as the edit page loads it (outside the scope: 404)."""
    seminar = get_object_or_404(
        Seminar.objects.visible_to(request.user).select_related("province", "district", "commune"), pk=pk
    )
    if not may_edit(request.user, seminar):
        raise PermissionDenied  # read (its secretaries attended), not its commune's to change
    if request.method == "POST":
        try:
            services.seminar_delete(seminar=seminar, user=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(seminar)
        messages.success(request, _("The seminar “%(title)s” was deleted.") % {"title": seminar.title})
        return redirect("seminars:seminar_list")
    try:
        services.check_may_delete_seminar(seminar, request.user)
    except ValidationError as error:
        refusal = " ".join(error.messages)
    else:
        refusal = ""
    return render(
        request,
        "seminars/seminar_confirm_delete.html",
        {
            "seminar": seminar,
            "refusal": refusal,
            "participant_count": seminar.participants.count(),
            "photo_count": seminar.photos.count(),
            "themes": list(seminar.themes.all()),
            "proposals": list(seminar.proposals.all()),
            "initiative_count": seminar.initiatives.count(),
        },
    )
