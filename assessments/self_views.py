"""The secretary's own self-assessment pages (/assessments/self/…).

Only for a branch secretary's account, and only on its own person's assessments: every row is loaded from
request.user.person, never from an id that could name someone else (another person's assessment is simply
not found). Staff accounts get 404 here, as secretaries do on the staff pages (core.mixins).
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.history import history_rows

from . import self_services, services
from .forms import SelfAssessmentForm
from .models import Assessment, Score, workflow_step
from .selectors import own_assessment_years, period_ends_on, self_assessments_for, sent_back


def secretary_view(view_func):
    """Signed-in branch secretaries bound to their record; staff learn nothing (404), an account without
    a role is refused (403)."""

    @wraps(view_func)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_secretary and not request.user.has_portal_role:
            raise PermissionDenied  # an account without a role, as everywhere
        if not (request.user.is_secretary and request.user.person_id):
            raise Http404
        return view_func(request, *args, **kwargs)

    return wrapper


def _own(request):
    # As the secretary's pages list them: the unit's own drafts are the unit's (seen_by_person).
    return Assessment.objects.seen_by_person().filter(person=request.user.person)


@secretary_view
def self_list(request):
    """This year's periods to self-assess (open or done), then every other assessment made of the secretary,
    by year: earlier years' and frameworks' too, self-assessed or not, each opening its page."""
    person = request.user.person
    year = timezone.localdate().year
    items = [i for i in self_assessments_for(person) if i.is_open or i.framework.year >= year]
    shown = [i.assessment.pk for i in items if i.assessment]
    return render(
        request,
        "assessments/self_list.html",
        {"items": items, "years": own_assessment_years(person, leave_out=shown), "person": person},
    )


@secretary_view
def self_form(request, framework):
    """Write (or go on writing) one's self-assessment of an open period: this year's framework of one's
    province, and for a quarterly one a quarter up to today's (selectors.self_assessments_for)."""
    quarter = request.GET.get("quarter") or None
    item = next(
        (
            i
            for i in self_assessments_for(request.user.person)
            if i.framework.pk == framework and str(i.quarter or "") == str(quarter or "")
        ),
        None,
    )
    if item is None:
        raise Http404
    if not item.is_open:
        return redirect("assessments:self_detail", pk=item.assessment.pk)
    assessment = (
        _own(request).prefetch_related("self_scores").get(pk=item.assessment.pk) if item.assessment else None
    )
    criteria = services.framework_criteria(item.framework)
    form = SelfAssessmentForm(
        request.POST if request.method == "POST" else None,
        framework=item.framework,
        criteria=criteria,
        assessment=assessment,
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            assessment = self_services.self_assessment_save(
                user=request.user,
                framework=item.framework,
                values=form.values(),
                comments=form.comments(),
                comment=form.cleaned_data["comment"],
                submit=submit,
                quarter=item.quarter,
                version=form.loaded(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if submit:
                messages.success(request, _("Your self-assessment was submitted to your unit for review."))
            else:
                messages.success(request, _("Your self-assessment was saved as a draft."))
            return redirect("assessments:self_detail", pk=assessment.pk)
    return render(
        request,
        "assessments/self_form.html",
        {"form": form, "item": item, "framework": item.framework, "assessment": assessment},
    )


@secretary_view
def self_detail(request, pk):
    """One's own assessment: one's scores, and the unit's beside them once it has submitted its review."""
    assessment = get_object_or_404(
        _own(request)
        .select_related("framework", "branch", "commune", "confirmed_by", "person")
        .prefetch_related(
            Prefetch("scores", queryset=Score.objects.select_related("criterion__group")),
            "self_scores",
            "group_reviews",
            "group_scores",
        ),
        pk=pk,
    )
    # The unit's scores are its own until it has submitted them (a review draft may still change).
    unit_shown = assessment.shows_unit_scores
    # An assessment the unit made without the secretary's step (an earlier year's, a framework without it):
    # only the unit's scores, no column of dashes for theirs.
    self_shown = assessment.is_self_draft or assessment.shows_self_scores
    framework = assessment.framework
    self_values = {s.criterion_id: (s.value, s.comment) for s in assessment.self_scores.all()}
    reviews = {r.group_id: r for r in assessment.group_reviews.all()}
    unit_groups = {g.group_id: g.score for g in assessment.group_scores.all()}
    groups: dict = {}
    for score in assessment.scores.all():
        group = score.criterion.group
        entry = groups.setdefault(
            group.pk,
            {
                "group": group,
                "self_score": reviews[group.pk].self_score if group.pk in reviews else None,
                "score": unit_groups.get(group.pk) if unit_shown else None,
                "comment": reviews[group.pk].comment if unit_shown and group.pk in reviews else "",
                # A part's points out of its share of 100, or an average on the scale: "24/30", "3,50/5".
                "max": group.max_points if framework.is_points else framework.scale_max,
                "rows": [],
            },
        )
        value, note = self_values.get(score.criterion_id, (None, ""))
        entry["rows"].append(
            {
                "criterion": score.criterion,
                "self_value": value,
                "self_note": note,
                "value": score.value if unit_shown else None,
                "comment": score.comment if unit_shown else "",
            }
        )
    # Reopened or returned by the province: the scores they had read are gone for the time being, said so
    # (the day only: the reason was written for the unit).
    back = (
        sent_back(assessment, history_rows(assessment.history, limit=20, steps=workflow_step))
        if assessment.is_unit_reviewing
        else None
    )
    return render(
        request,
        "assessments/self_detail.html",
        {
            "assessment": assessment,
            "groups": list(groups.values()),
            "unit_shown": unit_shown,
            "self_shown": self_shown,
            "sent_back": back,
            "period_end": period_ends_on(framework, assessment.quarter),
        },
    )
