from types import SimpleNamespace
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView

from branches.models import Commune
from branches.selectors import unit_by_code
from core.excel import ExcelExport, export_response
from core.filters import filter_summary
from core.history import history_rows
from core.mixins import (
    DeferredRowsPaginator,
    PaginatedListMixin,
    PrintableListMixin,
    ScopedObjectMixin,
    portal_view,
)
from core.navigation import safe_next
from core.versioning import VERSION_FIELD
from secretaries.models import Person, Term
from secretaries.selectors import check_manages_person, commune_secretaries_on

from . import self_services, services
from .filters import AssessmentFilter, unit_filters
from .forms import AssessmentForm, CommuneGridForm, ReopenForm
from .models import (
    Assessment,
    Framework,
    GroupScore,
    Rating,
    Score,
    framework_at_hand,
    frameworks_used,
    quarter_at_hand,
    workflow_step,
)
from .selectors import assessed_elsewhere, period_ends_on, self_step_over, sent_back


def chosen_framework(request, *, province, ended_on=None) -> Framework:
    """?framework=<pk> among the frameworks `province` uses (its own, else the common one of each year),
    or the one at hand (`framework_at_hand`: this year's, for a unit that ended the year it ended); for a
    unit that ended, none of a year after its end."""
    pk = request.GET.get("framework") or request.POST.get("framework")
    frameworks = frameworks_used(province, ended_on=ended_on)
    framework = frameworks.filter(pk=pk).first() if str(pk or "").isdigit() else None
    if framework is None:
        framework = framework_at_hand(province, ended_on=ended_on)
    if framework is None:
        raise Http404(_("No framework has been set up yet."))
    return framework


def chosen_quarter(request, framework: Framework) -> int | None:
    """?quarter=1..4 in a quarterly framework, else the quarter at hand (`quarter_at_hand`); None for a
    framework assessed by year or term."""
    if not framework.is_quarterly:
        return None
    value = request.GET.get("quarter") or request.POST.get("quarter") or ""
    if value in ("1", "2", "3", "4"):
        return int(value)
    return quarter_at_hand(framework)


def self_assessing_people(framework: Framework, people) -> set[int]:
    """Among `people`, those who assess themselves first in `framework` (they have an active secretary's
    account): one query, none when the framework has no self-assessment step."""
    if not framework.self_assessment or not people:
        return set()
    from django.contrib.auth import get_user_model

    return set(
        get_user_model()
        .objects.filter(person__in=people, role="secretary", is_active=True)
        .values_list("person_id", flat=True)
    )


def _person_province(person: Person):
    """The province of the branch the person leads now (whose frameworks apply), else the person's own."""
    branch = services.current_branch(person)
    return branch.commune.province_id if branch else person.province_id


def _code(error: ValidationError) -> str | None:
    return getattr(error, "code", None) or next((e.code for e in getattr(error, "error_list", [])), None)


def _record_refusal(user) -> str:
    """Why this user fills in no grid (its unit has ended, and the units of today keep its secretaries'
    records: check_manages_person), or "": the grid is then read-only."""
    return user.ended_unit_reason() if user.unit_ended_on is not None else ""


def _ended_commune_refusal(commune) -> str:
    """Why the grid of a commune that has ended is read-only, or "" for a commune of today."""
    if commune.ended_on is None:
        return ""
    return _(
        "%(commune)s ended on %(date)s: its grid shows its branches and secretaries of that day, read-only."
    ) % {"commune": commune.name, "date": date_format(commune.ended_on, "SHORT_DATE_FORMAT")}


def can_confirm(user) -> bool:
    return user.acts_for_province


class AssessmentListView(PrintableListMixin, PaginatedListMixin, ScopedObjectMixin, ListView):
    model = Assessment
    template_name = "assessments/assessment_list.html"
    context_object_name = "assessments"
    paginate_by = settings.PAGE_SIZE
    paginator_class = DeferredRowsPaginator  # ordered by the person's name

    def get_queryset(self):
        base = (
            super()
            .get_queryset()
            .select_related("person", "framework", "branch", "commune", "district")
            .with_missing_scores()
            .order_by("person__sort_key", "pk")
        )
        self.filterset = AssessmentFilter(self.request.GET, queryset=base, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filter=self.filterset,
            can_confirm=can_confirm(self.request.user),
            **kwargs,
        )


def _rating_text(assessment, ratings: dict) -> str:
    """The rating as the list shows it (templates/assessments/partials/rating.html), by
    Assessment.unscored."""
    missing, unscored = assessment.missing_scores, assessment.unscored
    if unscored == "waiting":
        return ngettext(
            "%(counter)s criterion not scored yet", "%(counter)s criteria not scored yet", missing
        ) % {"counter": missing}
    parts = [ratings.get(assessment.rating, "")]
    if unscored == "left":
        parts.append(
            ngettext("%(counter)s criterion left unscored", "%(counter)s criteria left unscored", missing)
            % {"counter": missing}
        )
    return " · ".join(part for part in parts if part)


def assessment_export_file(request) -> ExcelExport:
    """The assessment list as .xlsx: the page's scope, filters (the framework it defaults to included) and
    order, a row per assessment with its units as recorded and, for the chosen framework, each skill
    group's score; one query for the rows, whatever their number (run by the worker for a large list: it
    reads only `request.user` and `request.GET`). The person is named only, as on the page: no personal
    data to log."""
    user = request.user
    base = (
        Assessment.objects.visible_to(user)
        .select_related("person", "framework", "branch", "commune", "district", "province")
        .with_missing_scores()
        .order_by("person__sort_key", "pk")
    )
    filterset = AssessmentFilter(request.GET, queryset=base, request=request)
    listed = filterset.qs
    framework = getattr(filterset.form, "cleaned_data", {}).get("framework")
    groups = list(framework.groups.order_by("order")) if framework else []
    # Each group's score beside the row, a subquery per group (its unique index holds the score).
    group_scores = {
        f"group_score_{group.pk}": Subquery(
            GroupScore.objects.filter(assessment=OuterRef("pk"), group=group.pk).values("score")[:1]
        )
        for group in groups
    }
    show_district = "district" in unit_filters(user)
    # The province a record was made in: the administrator's many, or a province's and those merged into it.
    show_province = user.is_administrator or len(user.scope_province_ids()) > 1
    show_quarter = framework is None or framework.is_quarterly
    headers = [
        _("Full name"),
        _("Branch"),
        _("Commune"),
        *([_("District")] if show_district else []),
        *([_("Province")] if show_province else []),
        *([_("Framework")] if framework is None else []),
        _("Year"),
        *([_("Quarter")] if show_quarter else []),
        *(group.name for group in groups),
        _("Overall score"),
        _("Rating"),
        _("Status"),
        _("Assessed on"),
    ]
    ratings = {value: str(label) for value, label in Rating.choices}
    statuses = {value: str(label) for value, label in Assessment.Status.choices}

    def rows():
        for assessment in listed.annotate(**group_scores).iterator(chunk_size=2000):
            row = [assessment.person.full_name, assessment.branch.name, assessment.commune.name]
            if show_district:
                row.append(assessment.district.name if assessment.district_id else "")
            if show_province:
                row.append(assessment.province.name)
            if framework is None:
                row.append(assessment.framework.name)
            row.append(assessment.framework.year)
            if show_quarter:
                row.append(assessment.quarter)
            row.extend(getattr(assessment, name) for name in group_scores)
            row.extend(
                [
                    assessment.shown_overall_score,  # none while criteria wait for a score
                    _rating_text(assessment, ratings),
                    statuses.get(assessment.status, ""),
                    assessment.assessed_on,
                ]
            )
            yield row

    # The period in the file's name and title: each quarter's list is a file of its own.
    quarter = getattr(filterset.form, "cleaned_data", {}).get("quarter") or None
    return ExcelExport(
        filename=(
            f"danh-gia-ky-nang-{framework.period_slug(quarter)}.xlsx"
            if framework
            else "danh-gia-ky-nang.xlsx"
        ),
        sheet_title=_("Skill assessments"),
        title=(
            _("List of skill assessments %(period)s") % {"period": framework.period_label(quarter)}
            if framework
            else _("List of skill assessments")
        ),
        scope=user.scope_label,
        filters_line=filter_summary(filterset),
        headers=headers,
        rows=rows(),
        source=listed,
    )


@portal_view
def assessment_export(request):
    return export_response(request, assessment_export_file)


class AssessmentDetailView(ScopedObjectMixin, DetailView):
    model = Assessment
    template_name = "assessments/assessment_detail.html"
    context_object_name = "assessment"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "person", "framework", "branch", "commune", "district", "province", "assessor", "confirmed_by"
            )
            .prefetch_related(
                Prefetch("scores", queryset=Score.objects.select_related("criterion__group")),
                "group_scores__group",
                "self_scores",
                "group_reviews",
            )
        )

    def get_context_data(self, **kwargs):
        assessment = self.object
        groups = []
        scores_by_group: dict = {}
        # The secretary's own scores beside the unit's, once submitted to the unit (not while writing).
        shown_self = assessment.shows_self_scores
        self_values = (
            {s.criterion_id: (s.value, s.comment) for s in assessment.self_scores.all()} if shown_self else {}
        )
        reviews = {r.group_id: r for r in assessment.group_reviews.all()}
        assessment.missing_scores = _missing_scores(assessment)
        for score in assessment.scores.all():
            score.self_value, score.self_note = self_values.get(score.criterion_id, (None, ""))
            scores_by_group.setdefault(score.criterion.group_id, []).append(score)
        for group_score in assessment.group_scores.all():
            review = reviews.get(group_score.group_id)
            groups.append(
                SimpleNamespace(
                    group=group_score.group,
                    score=group_score.score,
                    scores=scores_by_group.get(group_score.group_id, []),
                    self_score=review.self_score if review and shown_self else None,
                    comment=review.comment if review else "",
                )
            )
        # Its scores written as on the page: "77" in points out of 100, "3,27" on a scale (score_places).
        history = history_rows(
            assessment.history, limit=20, steps=workflow_step, places=assessment.framework.score_places
        )
        return super().get_context_data(
            groups=groups,
            shown_self=shown_self,
            can_confirm=can_confirm(self.request.user),
            history=history,
            sent_back=sent_back(assessment, history),
            # A secretary's self-assessment still a draft when the period ended: the unit assesses instead.
            steps_in=assessment.is_self_draft and self_step_over(assessment.framework, assessment.quarter),
            **kwargs,
        )


def _assessment_form_page(
    request,
    *,
    person: Person,
    framework: Framework,
    assessment: Assessment | None,
    quarter: int | None = None,
):
    criteria = services.framework_criteria(framework)
    cancel_url = assessment.get_absolute_url() if assessment else person.get_absolute_url()
    # A self-assessed one is reviewed: the secretary's scores beside the unit's, a comment per part; so is
    # the draft of one whose period ended unsubmitted (assessment_update), what they scored read-only.
    review = assessment is not None and (assessment.shows_self_scores or assessment.is_self_draft)
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        framework=framework,
        criteria=criteria,
        cancel_url=cancel_url,
        assessment=assessment,
        review=review,
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            if review:
                assessment = self_services.assessment_review_save(
                    assessment=assessment,
                    assessor=request.user,
                    values=form.values(),
                    comments=form.comments(),
                    comment=form.cleaned_data["comment"],
                    group_comments=form.group_comments(),
                    assessed_on=form.cleaned_data["assessed_on"],
                    submit=submit,
                    version=form.loaded(),
                )
            else:
                assessment = services.assessment_save(
                    person=person,
                    framework=framework,
                    assessor=request.user,
                    values=form.values(),
                    comments=form.comments(),
                    comment=form.cleaned_data["comment"],
                    assessed_on=form.cleaned_data["assessed_on"],
                    submit=submit,
                    assessment=assessment,
                    criteria=criteria,
                    version=form.loaded(),
                    quarter=quarter,
                )
        except ValidationError as error:
            # A date after the end of the officer's unit is refused next to the date.
            form.add_error("assessed_on" if _code(error) == "unit_ended" else None, error)
        else:
            message = (
                _("The assessment of %(person)s was submitted.")
                if submit
                else _("The assessment of %(person)s was saved as a draft.")
            )
            messages.success(request, message % {"person": person.full_name})
            return redirect(assessment)
    return render(
        request,
        "assessments/assessment_form.html",
        {
            "form": form,
            "person": person,
            "framework": framework,
            "assessment": assessment,
            "quarter": quarter,
            "review": review,
        },
    )


@portal_view
def assessment_create(request):
    chosen = request.GET.get("person") or ""
    if not chosen.isdigit():
        # Reached without a secretary (a bookmark, a typed address): where one is chosen, said why.
        messages.info(
            request, _("Choose the secretary to assess: from their page, or the grid of their commune.")
        )
        return redirect("secretaries:person_list")
    person = get_object_or_404(Person.objects.visible_to(request.user), pk=chosen)
    # Assessed by the unit that keeps their record (a person read through an earlier term is not yours).
    check_manages_person(request.user, person)
    framework = chosen_framework(request, province=_person_province(person))
    quarter = chosen_quarter(request, framework)
    existing = (
        Assessment.objects.visible_to(request.user)
        .filter(person=person, framework=framework, quarter=quarter)
        .first()
    )
    if existing is not None and not request.POST.get(VERSION_FIELD):
        # A form opened before someone else created it goes on to the service, which refuses it (StaleEdit).
        return redirect("assessments:assessment_update", pk=existing.pk)
    if assessed_elsewhere(user=request.user, framework=framework, people=[person]):
        messages.info(
            request,
            _("%(person)s was already assessed for %(year)s by another unit; that assessment stays with it.")
            % {"person": person.full_name, "year": framework.year},
        )
        return redirect(person)
    if self_assessing_people(framework, [person]) and not self_step_over(framework, quarter):
        messages.info(
            request,
            _("%(person)s assesses themselves first (they have an account); the unit reviews it then.")
            % {"person": person.full_name},
        )
        return redirect(person)
    return _assessment_form_page(
        request, person=person, framework=framework, assessment=None, quarter=quarter
    )


@portal_view
def assessment_update(request, pk):
    assessment = get_object_or_404(
        Assessment.objects.visible_to(request.user)
        .select_related("person", "framework")
        .prefetch_related("scores", "self_scores", "group_reviews"),
        pk=pk,
    )
    if assessment.is_self_draft and not self_step_over(assessment.framework, assessment.quarter):
        messages.info(
            request,
            _("%(person)s is still writing their self-assessment; the unit reviews it once submitted.")
            % {"person": assessment.person.full_name},
        )
        return redirect(assessment)
    if assessment.is_locked and not request.POST.get(VERSION_FIELD):
        # A form loaded before someone else confirmed it goes on to the service, which refuses it saying
        # who confirmed it and when, with what was typed kept.
        messages.info(request, _("This assessment is confirmed and locked."))
        return redirect(assessment)
    return _assessment_form_page(
        request,
        person=assessment.person,
        framework=assessment.framework,
        assessment=assessment,
        quarter=assessment.quarter,
    )


def _missing_scores(assessment) -> int:
    """AssessmentQuerySet.with_missing_scores, from scores already read."""
    return sum(1 for score in assessment.scores.all() if score.value is None)


@portal_view
def commune_grid(request, code):
    """Assess every secretary of a commune in one sitting."""
    commune = unit_by_code(
        Commune.objects.visible_to(request.user).select_related("district", "province"),
        code=code,
        on=request.GET.get("on"),
    )
    framework = chosen_framework(request, province=commune.province_id, ended_on=commune.ended_on)
    criteria = services.framework_criteria(framework)
    if commune.ended_on is None:
        terms = (
            Term.objects.current()
            .secretaries()
            .filter(branch__commune=commune, branch__is_active=True)
            .select_related("person", "branch")
            .order_by("branch__name_key")
        )
    else:
        # Its branches and secretaries of its last day: since then its branches belong to new communes.
        terms = commune_secretaries_on(commune, commune.ended_on)
    people = [term.person for term in terms]
    quarter = chosen_quarter(request, framework)
    # Through the scope like every other read: a secretary who moved here keeps the assessment their
    # former unit made this year, shown read-only (selectors.assessed_elsewhere).
    assessments = {
        a.person_id: a
        for a in Assessment.objects.visible_to(request.user)
        .filter(framework=framework, person__in=people, quarter=quarter)
        .prefetch_related("scores", "self_scores")
    }
    for assessment in assessments.values():
        # Criteria not scored yet in a saved draft (its scores are read above): its rating waits for them.
        assessment.missing_scores = _missing_scores(assessment)
    elsewhere = assessed_elsewhere(user=request.user, framework=framework, people=people)
    # Secretaries with an account assess themselves first where the framework asks for it, until the
    # period has ended: then the unit assesses in the place of those who have not submitted theirs.
    with_account = self_assessing_people(framework, people)
    step_over = self_step_over(framework, quarter)
    rows = []
    for t in terms:
        assessment = assessments.get(t.person_id)
        waits = assessment.is_self_draft if assessment is not None else t.person_id in with_account
        rows.append(
            SimpleNamespace(
                person=t.person,
                branch=t.branch,
                assessment=assessment,
                elsewhere=t.person_id in elsewhere,
                awaiting_self=waits and not step_over and assessment is None,
                steps_in=waits and step_over,
                # The day after which the unit may step in, said on the rows that wait for the secretary.
                self_until=period_ends_on(framework, quarter) if waits and not step_over else None,
            )
        )
    form = CommuneGridForm(
        request.POST if request.method == "POST" else None, framework=framework, criteria=criteria, rows=rows
    )
    read_only = _record_refusal(request.user) or _ended_commune_refusal(commune)
    if request.method == "POST" and commune.ended_on is not None:
        # Its assessments were dated before its end; one saved today would be today's commune's.
        form.add_error(None, read_only)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        entries = [
            SimpleNamespace(
                person=row.person,
                assessment=row.assessment,
                locked=row.locked,
                values=form.row_values(row),
                comment=form.cleaned_data.get(row.comment, ""),
                loaded=form.cleaned_data.get(row.version),
            )
            for row in rows
        ]
        try:
            saved = services.commune_grid_save(
                entries=entries,
                framework=framework,
                criteria=criteria,
                assessor=request.user,
                submit=submit,
                quarter=quarter,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if not saved:
                messages.info(request, _("Nothing was changed in the grid: nothing to save."))
            elif submit:
                messages.success(
                    request, _("%(count)s assessments were saved and submitted.") % {"count": saved}
                )
            else:
                messages.success(request, _("%(count)s assessments were saved as drafts.") % {"count": saved})
            query = {"framework": framework.pk, **({"quarter": quarter} if quarter else {})}
            return redirect(f"{request.path}?{urlencode(query)}")
    groups: list = []
    for criterion in criteria:
        if not groups or groups[-1][0] != criterion.group:
            groups.append((criterion.group, []))
        groups[-1][1].append(criterion)
    return render(
        request,
        "assessments/commune_grid.html",
        {
            "record_refusal": read_only,
            "commune": commune,
            "framework": framework,
            "quarter": quarter,
            "quarters": (1, 2, 3, 4) if framework.is_quarterly else (),
            "frameworks": frameworks_used(commune.province_id, ended_on=commune.ended_on),
            "criteria": criteria,
            "groups": groups,
            "rows": rows,
            "form": form,
        },
    )


def _assessment_for_action(request, pk) -> Assessment:
    return get_object_or_404(
        Assessment.objects.visible_to(request.user).select_related("person", "framework", "commune"), pk=pk
    )


def _service_action(request, assessment, action, success: str):
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success % {"person": assessment.person.full_name})
    return redirect(safe_next(request, assessment.get_absolute_url()))


@require_POST
@portal_view
def assessment_submit(request, pk):
    assessment = _assessment_for_action(request, pk)
    return _service_action(
        request,
        assessment,
        lambda: services.assessment_submit(assessment=assessment),
        _("The assessment of %(person)s was submitted."),
    )


@require_POST
@portal_view
def assessment_confirm(request, pk):
    assessment = _assessment_for_action(request, pk)
    if not can_confirm(request.user):
        raise PermissionDenied
    return _service_action(
        request,
        assessment,
        lambda: services.assessment_confirm(assessment=assessment, user=request.user),
        _("The assessment of %(person)s was confirmed."),
    )


@require_POST
@portal_view
def assessment_confirm_many(request):
    """Provincial staff confirm the submitted assessments ticked in the list."""
    if not can_confirm(request.user):
        raise PermissionDenied
    ids = [int(pk) for pk in request.POST.getlist("assessment") if pk.isdigit()]
    if not ids:
        messages.warning(request, _("Tick the assessments to confirm first."))
        return redirect(safe_next(request, reverse("assessments:assessment_list")))
    chosen = Assessment.objects.visible_to(request.user).filter(pk__in=ids)
    count = services.assessments_confirm_many(assessments=chosen, user=request.user)
    messages.success(request, _("%(count)s assessments were confirmed.") % {"count": count})
    return redirect(safe_next(request, reverse("assessments:assessment_list")))


@portal_view
def assessment_reopen(request, pk):
    return _back_to_draft_page(request, pk, returning=False)


@portal_view
def assessment_return(request, pk):
    """A submitted assessment sent back to its unit, with the reason, before it is confirmed."""
    return _back_to_draft_page(request, pk, returning=True)


def _back_to_draft_page(request, pk, *, returning: bool):
    """Reopening a confirmed assessment or returning a submitted one: the same page, asking the reason."""
    assessment = _assessment_for_action(request, pk)
    if not can_confirm(request.user):
        raise PermissionDenied
    form = ReopenForm(
        request.POST if request.method == "POST" else None,
        cancel_url=assessment.get_absolute_url(),
        returning=returning,
    )
    if request.method == "POST" and form.is_valid():
        service = services.assessment_return if returning else services.assessment_reopen
        return _service_action(
            request,
            assessment,
            lambda: service(assessment=assessment, user=request.user, reason=form.cleaned_data["reason"]),
            _("The assessment of %(person)s was returned to its unit as a draft.")
            if returning
            else _("The assessment of %(person)s was reopened as a draft."),
        )
    return render(
        request,
        "assessments/assessment_reopen.html",
        {"form": form, "assessment": assessment, "returning": returning},
    )


@portal_view
def commune_grid_pick(request):
    """The grid of a commune named by its id (the picker, a row of the assessment list), with the year asked
    for; an ended commune by the day it ended, as a new commune may carry its code now."""
    pk = request.GET.get("commune") or ""
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk if pk.isdigit() else 0)
    query = {}
    if commune.ended_on is not None:
        query["on"] = commune.ended_on.isoformat()
    framework = request.GET.get("framework") or ""
    if framework.isdigit():
        query["framework"] = framework
    url = reverse("assessments:commune_grid", kwargs={"code": commune.code})
    return redirect(f"{url}?{urlencode(query)}" if query else url)
