from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from branches import rollup
from branches.models import Branch
from branches.rollup import LEVEL_HEADERS
from branches.selectors import shows_districts
from branches.unit_views import AUTOCOMPLETE_LIMIT
from core.excel import ExcelExport, export_response
from core.files import protected_image_response
from core.filters import filter_summary
from core.history import history_rows
from core.mixins import (
    EditsACopyMixin,
    PaginatedListMixin,
    PrintableListMixin,
    ScopedObjectMixin,
    portal_view,
)
from core.navigation import fixed_url, safe_next
from core.scope import mark_visible
from core.sections import PERSON_PAGE, sections_for
from core.templatetags.portal import ended_note, numbers
from core.text import alphabet_key, search_terms
from core.versioning import VERSION_FIELD

from . import selectors, services
from .account_services import may_manage_accounts
from .choices import ETHNICITIES
from .filters import PersonFilter, VacancyFilter
from .forms import AppointmentForm, PersonCreateForm, PersonForm, TermEndForm, TermExtendForm
from .models import Person, Term
from .sensitive import SENSITIVE_FIELDS, hidden_fields, sees_sensitive

ETHNICITY_NAMES = dict(ETHNICITIES)


class PersonQuerysetMixin(ScopedObjectMixin):
    model = Person

    def get_queryset(self):
        return super().get_queryset().select_related("district", "province")


class PersonListView(PrintableListMixin, PaginatedListMixin, PersonQuerysetMixin, ListView):
    template_name = "secretaries/person_list.html"
    context_object_name = "people"
    paginate_by = settings.PAGE_SIZE

    def get_queryset(self):
        base = super().get_queryset().prefetch_related(selectors.current_terms_prefetch())
        self.filterset = PersonFilter(self.request.GET or None, queryset=base, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            filter=self.filterset,
            show_district=shows_districts(self.request.user),
            today=timezone.localdate(),  # a term due to end before it is overdue, in red
            **kwargs,
        )
        # A person read through an earlier term may serve in a branch the user cannot open now: named, not
        # linked (one query for the page).
        current = [term.branch for person in context["people"] for term in person.current_terms]
        mark_visible(current, self.request.user)
        # A term in another commune's branch is where they serve now, not a term of this unit (as the
        # filters "Currently serving" and "Current role" count them).
        selectors.mark_serving_here(context["people"], self.request.user)
        return context


def person_export_file(request) -> ExcelExport:
    """The filtered list as .xlsx: same scope and filters as the page, streamed in chunks (run by the
    worker for a large list: it reads only `request.user` and `request.GET`)."""
    base = Person.objects.visible_to(request.user)
    filterset = PersonFilter(request.GET or None, queryset=base, request=request)
    people = filterset.qs
    hidden = hidden_fields(request.user)
    headers, rows = selectors.person_export_rows(people=people, hidden=hidden)
    return ExcelExport(
        filename="bi-thu-chi-doan.xlsx",
        sheet_title=_("Branch secretaries"),
        title=_("List of branch secretaries"),
        scope=request.user.scope_label,
        filters_line=filter_summary(filterset),
        headers=headers,
        rows=rows,
        source=people,
        # Religion is in the file: the export is written to the sensitive-data access log.
        sensitive=[name for name in SENSITIVE_FIELDS if name not in hidden],
    )


@portal_view
def person_export(request):
    return export_response(request, person_export_file)


class PersonDetailView(PersonQuerysetMixin, DetailView):
    template_name = "secretaries/person_detail.html"
    context_object_name = "person"

    def get_context_data(self, **kwargs):
        person = self.object
        # Each term names the communes of its time, not the branch's commune today.
        terms = selectors.attach_communes_then(list(selectors.person_terms(person)))
        term_history = Term.history.filter(person_id=person.pk)
        current = [t for t in terms if t.is_current]
        # The units of the branch they serve (or last served) today: the breadcrumbs', and its commune the
        # unit that keeps the record when the user's does not.
        units = selectors.person_units(person, terms)
        commune = units["commune"]
        keeps = selectors.manages_person(self.request.user, person, terms=terms)
        # The units the record was made under, said beside the profile where they are not those above.
        recorded_under = []
        if (person.province, person.district) != (units["province"], units["district"]):
            recorded_under = [u for u in (person.district, person.province) if u is not None]
        # Read through one of its terms, a person may have others (and units above) the user cannot open:
        # those are named without a link, and a term of another unit has no "End term" (it would answer
        # 404). One query for the terms and branches; the units are said without one.
        mark_visible(
            [*terms, *(t.branch for t in terms), *units.values(), *recorded_under], self.request.user
        )
        return super().get_context_data(
            terms=terms,
            current_terms=current,
            # Whether the user's unit keeps the record (changes it, assesses, invites), or only reads it.
            manages=keeps,
            kept_by=None if keeps else commune,
            breadcrumbs=units,
            recorded_under=recorded_under,
            # Assessments, seminars, commendations: the apps above this one register them (core.sections).
            sections=sections_for(PERSON_PAGE, person, user=self.request.user),
            history=history_rows(person.history, limit=30, hidden=hidden_fields(self.request.user)),
            sees_sensitive=sees_sensitive(self.request.user),
            # The secretary's own account: invite, disable (secretaries/account_views.py).
            account_card=selectors.person_account(person),
            may_manage_accounts=keeps and may_manage_accounts(self.request.user),
            term_history=history_rows(term_history, limit=30),
            ethnicity_name=ETHNICITY_NAMES.get(person.ethnicity, ""),
            **kwargs,
        )


#: the service's refusals that a different start date answers, shown next to it
STARTED_ON_CODES = frozenset(
    {"unit_ended", "before_founded", "secretary_overlap", "overlap_ended", "starts_too_early"}
)


def _form_errors_from(error: ValidationError, form) -> None:
    """A rule the service enforces (a race, say; a stale edit) is shown on the form like any other error;
    one a different start date answers (a start after the end of the user's unit, before the branch was
    founded, overlapping another term) next to the start date."""
    codes = {getattr(e, "code", None) for e in getattr(error, "error_list", [error])}
    field = "started_on" if codes & STARTED_ON_CODES and "started_on" in form.fields else None
    form.add_error(field, error)


class PersonCreateView(PersonQuerysetMixin, CreateView):
    form_class = PersonCreateForm
    template_name = "secretaries/person_form.html"

    def dispatch(self, request, *args, **kwargs):
        # Adding a secretary appoints them: who leads a branch today is today's unit's to say (403 for an
        # account whose unit has ended, as for its imports).
        if request.user.is_authenticated:
            request.user.check_may_change_today()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        branch = self.request.GET.get("branch")
        return {"branch": branch} if branch and branch.isdigit() else {}

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            # From the vacancy list (`next`, with its filters): back to it, to fill the next one.
            "cancel_url": safe_next(self.request, reverse("secretaries:person_list")),
        }

    def form_valid(self, form):
        data = form.fields_to_save()
        replace = data.pop("confirm_replace")
        data.pop("confirm_not_duplicate", None)
        try:
            self.object = services.person_create(replace_current=replace, user=self.request.user, **data)
        except ValidationError as error:
            _form_errors_from(error, form)
            return self.form_invalid(form)
        messages.success(
            self.request, _("%(name)s was added and appointed.") % {"name": self.object.full_name}
        )
        return redirect(safe_next(self.request, self.object.get_absolute_url()))


class PersonUpdateView(EditsACopyMixin, PersonQuerysetMixin, UpdateView):
    form_class = PersonForm
    template_name = "secretaries/person_form.html"

    def get_object(self, queryset=None):
        person = super().get_object(queryset)
        # Read, not kept: a person serving in another unit now is changed by that unit (403).
        selectors.check_manages_person(self.request.user, person)
        return person

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "cancel_url": self.object.get_absolute_url(),
        }

    def get_context_data(self, **kwargs):
        # The detail page's breadcrumbs: the units today of the branch they serve (or last served).
        terms = list(selectors.person_terms(self.object))
        return super().get_context_data(breadcrumbs=selectors.person_units(self.object, terms), **kwargs)

    def form_valid(self, form):
        try:
            self.object = services.person_update(
                person=self.object, version=form.loaded(), **form.fields_to_save()
            )
        except ValidationError as error:
            _form_errors_from(error, form)
            return self.form_invalid(form)
        messages.success(self.request, _("%(name)s was saved.") % {"name": self.object.full_name})
        return redirect(self.object)


@portal_view
def person_portrait(request, pk, size="full"):
    """Portraits are personal data: served only to users whose scope holds the person, never from /media/."""
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    return protected_image_response(person.portrait_thumbnail if size == "thumbnail" else person.portrait)


@portal_view
def person_portrait_remove(request, pk):
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=pk)
    selectors.check_manages_person(request.user, person)
    if request.method == "POST":
        services.person_remove_portrait(person=person)
        messages.success(request, _("The portrait was removed."))
        return redirect(person)
    return render(request, "secretaries/portrait_confirm_delete.html", {"person": person})


@portal_view
def appoint(request):
    """Appoint someone already in the portal; from a branch page, a person page or the vacancy list."""
    request.user.check_may_change_today()
    initial = {k: v for k, v in request.GET.items() if k in {"person", "branch"} and v.isdigit()}
    cancel_url = safe_next(request, reverse("secretaries:vacancy_list"))
    form = AppointmentForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        user=request.user,
        cancel_url=cancel_url,
    )
    refusal = extend_url = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            term = services.term_appoint(
                person=data["person"],
                branch=data["branch"],
                role=data["role"],
                started_on=data["started_on"],
                expected_end_on=data["expected_end_on"],
                replace_current=data["confirm_replace"],
                user=request.user,
            )
        except services.AlreadySecretary as error:
            # Said above the form with a link to that term's page: the person is in scope (the form's
            # choices), and so is their current term of a branch the user may appoint to.
            refusal = error.message
            extend_url = reverse("secretaries:term_extend", args=[error.term.pk])
        except ValidationError as error:
            _form_errors_from(error, form)
        else:
            messages.success(
                request,
                _("%(person)s was appointed %(role)s of %(branch)s.")
                % {
                    "person": term.person.full_name,
                    "role": term.get_role_display().lower(),
                    "branch": term.branch.name,
                },
            )
            # Back where the choice began (the vacancy list with its filters, the branch's page), else the
            # person's page.
            return redirect(safe_next(request, term.person.get_absolute_url()))
    return render(
        request,
        "secretaries/appointment_form.html",
        {"form": form, "refusal": refusal, "extend_url": extend_url},
    )


def _current_term(request, pk):
    """The term a form ends or extends, in the user's scope (404), the user allowed to record (403), and the
    answer when it has ended and no form was loaded before (the person's page, with a message); a form loaded
    before someone else ended the term goes on to the service, which refuses it saying who ended it and when
    (_ended_meanwhile)."""
    term = get_object_or_404(
        Term.objects.visible_to(request.user).select_related("person", "branch__commune"), pk=pk
    )
    request.user.check_may_change_today()  # 404 outside the scope first, then 403
    if not term.is_current and not request.POST.get(VERSION_FIELD):
        messages.info(request, _("This term has already ended."))
        return term, redirect(term.person)
    return term, None


def _ended_meanwhile(request, term, error: ValidationError):
    """A form loaded before someone else ended the term: nothing to save again, so the person's page, which
    shows the end, with the service's words (when it ended, who recorded it). None for another refusal."""
    ended = [e for e in error.error_list if getattr(e, "code", None) == "already_ended"]
    if not ended:
        return None
    messages.warning(request, ended[0].message)
    return redirect(term.person)


@portal_view
def term_end(request, pk):
    term, ended = _current_term(request, pk)
    if ended:
        return ended
    form = TermEndForm(
        request.POST if request.method == "POST" else None,
        term=term,
        cancel_url=term.person.get_absolute_url(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.term_end(
                term=term,
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
                version=form.loaded(),
            )
        except ValidationError as error:
            if answer := _ended_meanwhile(request, term, error):
                return answer
            _form_errors_from(error, form)
            return render(request, "secretaries/term_end_form.html", {"form": form, "term": term})
        messages.success(
            request,
            _("The term of %(person)s in %(branch)s has ended.")
            % {"person": term.person.full_name, "branch": term.branch.name},
        )
        return redirect(term.person)
    return render(request, "secretaries/term_end_form.html", {"form": form, "term": term})


@portal_view
def term_extend(request, pk):
    """A current term's expected end moved (re-elected, extended, corrected): the term goes on, so one due
    to end soon leaves the first screen without being ended first."""
    term, ended = _current_term(request, pk)
    if ended:
        return ended
    form = TermExtendForm(
        request.POST if request.method == "POST" else None,
        term=term,
        cancel_url=safe_next(request, term.person.get_absolute_url()),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.term_extend(
                term=term,
                expected_end_on=form.cleaned_data["expected_end_on"],
                reason=form.cleaned_data["reason"],
                version=form.loaded(),
            )
        except ValidationError as error:
            if answer := _ended_meanwhile(request, term, error):
                return answer
            # A stale form is said above the form; a date refused, beside it.
            codes = {getattr(e, "code", None) for e in error.error_list}
            form.add_error(None if "stale_edit" in codes else "expected_end_on", error)
        else:
            messages.success(
                request,
                _("The term of %(person)s in %(branch)s is now due to end on %(date)s.")
                % {
                    "person": term.person.full_name,
                    "branch": term.branch.name,
                    "date": formats.date_format(term.expected_end_on, "SHORT_DATE_FORMAT"),
                },
            )
            return redirect(term.person)
    return render(request, "secretaries/term_extend_form.html", {"form": form, "term": term})


#: a unit whose branches are without a secretary above this share (%) is marked
VACANCY_RATE_MARKED = 20


def draw_vacancy_rows(summary: list[dict], ending: dict | None = None) -> SafeString:
    """The rows of the vacancies' summary per unit (selectors.vacancy_summary), drawn here: a merged
    province's table has a row per commune (Vĩnh Long: 124 rows, most of the page's templates). Each unit
    links to the list filtered on it; an ended unit's row counts only the branches still under it today
    (waiting for their new commune, not all it had): it says so, with until when, and its link keeps those
    (VacancyFilter's `waiting`); the counts, and the vacancy rate, marked above VACANCY_RATE_MARKED %.
    With `ending` (selectors.ending_soon_per_unit), the terms ending soon, as the first screen's table has
    them, linked to the secretaries list of the unit filtered on them (an ended unit's count, of its
    branches still waiting, is not what that list would find under it: said without a link)."""
    list_url = fixed_url("secretaries:vacancy_list")
    people_url = fixed_url("secretaries:person_list")
    figures = numbers()
    lines = []
    for row in summary:
        unit = row["unit"]
        if unit is None:
            name = escape(_("Communes directly under the province"))
        else:
            waiting = "&amp;waiting=1" if unit.ended_on else ""
            name = f'<a href="{list_url}?{row["level"]}={int(unit.pk)}{waiting}">{escape(unit.name)}</a>'
            name += ended_note(unit, waiting=True)
        marked = "text-danger fw-semibold" if row["rate"] > VACANCY_RATE_MARKED else ""
        lines.append(
            f"<tr><td>{name}</td>"
            f'<td class="text-end">{figures.grouped(row["branches"])}</td>'
            f'<td class="text-end">{figures.grouped(row["vacant"])}</td>'
            f'<td class="text-end"><span class="{marked}">{figures.places(row["rate"], 1)}%</span></td>'
            + (_ending_cell(row, ending, people_url, figures) if ending is not None else "")
            + "</tr>"
        )
    # Safe: the units' names are escaped above; the rest is the portal's link, dates and numbers.
    return mark_safe("\n".join(lines))


def _ending_cell(row: dict, ending: dict, people_url: str, figures) -> str:
    unit = row["unit"]
    count = ending.get((row["level"], unit.pk) if unit is not None else None, 0)
    shown = figures.grouped(count)
    if count and unit is not None and not unit.ended_on and row["level"] in ("commune", "district"):
        shown = f'<a href="{people_url}?ending=soon&amp;{row["level"]}={int(unit.pk)}">{shown}</a>'
    return f'<td class="text-end d-none d-sm-table-cell d-print-table-cell" data-vacancy-ending>{shown}</td>'


class VacancyListView(PrintableListMixin, PaginatedListMixin, ScopedObjectMixin, ListView):
    """Branches without a secretary: counted per unit, then listed with a link to appoint one."""

    model = Branch
    template_name = "secretaries/vacancy_list.html"
    context_object_name = "branches"
    paginate_by = settings.PAGE_SIZE
    print_rows = 5000  # a province's vacancies, whole (a row is a line)

    def get_queryset(self):
        base = selectors.vacant_branches(user=self.request.user).select_related(
            "commune__district", "commune__province"
        )
        self.filterset = VacancyFilter(self.request.GET or None, queryset=base, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        level, summary = selectors.vacancy_summary(user=self.request.user)
        renews = self.request.user.unit_ended_on is None
        ending = selectors.ending_soon_per_unit(user=self.request.user) if renews else None
        # The headline speaks of the list under it: filtered, of the active branches the same filters keep
        # (the table per unit stays the whole scope's, and says so).
        filtered = bool(filter_summary(self.filterset))
        if filtered:
            active = Branch.objects.visible_to(self.request.user).active()
            totals = selectors.vacancy_totals(
                VacancyFilter(self.request.GET, queryset=active, request=self.request).qs
            )
        else:
            totals = {
                "branches": sum(r["branches"] for r in summary),
                "vacant": sum(r["vacant"] for r in summary),
            }
            totals["rate"] = selectors.percent(totals["vacant"], totals["branches"])
        # The units with most vacancies first (as the first screen's table), then by name; those with none
        # folded away under the list (a merged province has dozens of them).
        ranked = sorted(
            summary, key=lambda row: (-row["vacant"], alphabet_key(row["unit"].name if row["unit"] else ""))
        )
        with_vacancies = [row for row in ranked if row["vacant"]]
        without = [row for row in ranked if not row["vacant"]]
        return super().get_context_data(
            filter=self.filterset,
            filtered=filtered,
            # As the person list: no "Huyện" for a district officer, nor for today's units (none since 2025).
            show_district=shows_districts(self.request.user),
            summary=summary,
            summary_rows=draw_vacancy_rows(with_vacancies, ending),
            full_units=len(without),
            full_unit_rows=draw_vacancy_rows(without, ending),
            # The first screen's column of terms ending soon, for every unit (an ended unit's account
            # renews no one: not given them, as on its first screen).
            shows_ending=ending is not None,
            summary_header=LEVEL_HEADERS[level],
            totals=totals,
            **kwargs,
        )


def vacancy_export_file(request) -> ExcelExport:
    """The vacancy list as .xlsx: the page's scope (selectors.vacant_branches), filters, order and columns
    (the district where the page has one, the province for the administrator), read in one query (run by
    the worker for a large list: it reads only `request.user` and `request.GET`)."""
    user = request.user
    base = selectors.vacant_branches(user=user).select_related("commune__district", "commune__province")
    filterset = VacancyFilter(request.GET or None, queryset=base, request=request)
    branches = filterset.qs
    show_district = not user.is_district_officer  # as the page's District column
    show_province = user.is_administrator
    # Since the 2025 reform a row gives its units until 30/06/2025 beside today's, as the branches' export
    # does. Today's units have no district: a branch still waiting says so in its Commune (and its old
    # district is among the old units).
    two_worlds = rollup.reform_loaded()
    if two_worlds:
        branches = rollup.with_units_until_reform(branches)
        successors = rollup.provinces_today()
        show_district = False
    headers = [
        _("Branch"),
        _("Commune"),
        *([_("District")] if show_district else []),
        *([_("Province")] if show_province else []),
        *(rollup.units_until_reform_headers() if two_worlds else []),
        _("Member count"),
    ]

    def rows():
        for branch in branches.iterator(chunk_size=2000):
            commune = branch.commune
            if two_worlds:
                name, province = rollup.branch_units_today(commune, successors)
                row = [
                    branch.name,
                    name,
                    *([province] if show_province else []),
                    *rollup.units_until_reform(branch),
                ]
            else:
                row = [branch.name, commune.name]
                if show_district:
                    row.append(commune.district.name if commune.district_id else "")
                if show_province:
                    row.append(commune.province.name)
            row.append(branch.member_count)
            yield row

    return ExcelExport(
        filename="chi-doan-chua-co-bi-thu.xlsx",
        sheet_title=_("Branches without a secretary"),
        title=_("List of branches without a secretary"),
        scope=user.scope_label,
        filters_line=filter_summary(filterset),
        headers=headers,
        rows=rows(),
        source=filterset.qs,
    )


@portal_view
def vacancy_export(request):
    return export_response(request, vacancy_export_file)


@portal_view
def person_autocomplete(request):
    from django.http import JsonResponse

    people = Person.objects.visible_to(request.user)
    if request.GET.get("current"):
        # Only people who lead a branch of the user's scope now (a nomination for commendation needs one;
        # the scope also reads people who served its branches before and lead another commune's now).
        people = people.filter(terms__in=Term.objects.visible_to(request.user).secretaries().current())
    for term in search_terms(request.GET.get("q")):
        people = people.filter(name_key__contains=term)
    results = [
        {"value": p.pk, "text": f"{p.full_name} ({p.date_of_birth.year})"}
        for p in people[:AUTOCOMPLETE_LIMIT]
    ]
    return JsonResponse({"results": results})
