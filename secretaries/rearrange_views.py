"""Hamlets re-arranged (from 2026): merge branches of a commune, split one. Here, above branches, because
the terms of the branches that end, end with them (secretaries.services)."""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from branches.models import Branch
from core.mixins import portal_view

from . import services
from .models import Term
from .rearrange_forms import BranchMergeForm, BranchSplitForm, add_service_errors


class _Preview(Exception):
    def __init__(self, preview: dict):
        self.preview = preview


def _preview_or_apply(form, apply, describe):
    """Before the user confirms, the service runs in a transaction that is rolled back: every refusal
    shows on the first post, and the confirmation says exactly what will happen. Returns (preview, result)."""
    if not form.needs_confirmation():
        return None, apply()
    try:
        with transaction.atomic():
            raise _Preview(describe(apply()))
    except _Preview as done:
        return done.preview, None


def _terms_ended(branches, on: datetime.date) -> list[Term]:
    return list(
        Term.objects.filter(branch__in=branches, ended_on=on - datetime.timedelta(days=1))
        .select_related("person", "branch")
        .order_by("branch__name_key", "role")
    )


def _branch(request, pk) -> Branch:
    """The branch to merge or split: 404 outside the scope, then 403 for a unit that has ended (what a
    branch is today is today's units' to change)."""
    branch = get_object_or_404(
        Branch.objects.visible_to(request.user).select_related("commune__district", "commune__province"),
        pk=pk,
    )
    request.user.check_may_change_today()
    return branch


@portal_view
def branch_merge(request, pk):
    branch = _branch(request, pk)
    if not branch.is_active:
        messages.info(request, _("Only an active branch can be merged or split."))
        return redirect(branch)
    form = BranchMergeForm(
        request.POST if request.method == "POST" else None,
        branch=branch,
        user=request.user,
        cancel_url=branch.get_absolute_url(),
    )
    context = {"branch": branch, "form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def apply():
            return services.branches_merge_with_terms(
                branches=form.branches(),
                on=data["on"],
                user=request.user,
                survivor=data["survivor"],
                new_name=data["new_name"],
                new_kind=data["new_kind"],
                secretary_from=data["secretary_from"],
            )

        def describe(result):
            return {
                "on": data["on"],
                "last_day": data["on"] - datetime.timedelta(days=1),
                "merged": result.merged.name,
                "is_new": data["survivor"] is None,
                "member_count": result.merged.member_count,
                "ended": [b.name for b in result.ended],
                "terms_ended": _terms_ended([*result.ended, result.merged], data["on"]),
                "continues": services.current_secretary_term(result.merged),
            }

        try:
            preview, result = _preview_or_apply(form, apply, describe)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if preview is not None:
                form.confirm()
                context["preview"] = preview
            else:
                messages.success(
                    request,
                    _("The branches were merged into %(branch)s from %(date)s.")
                    % {"branch": result.merged.name, "date": data["on"].strftime("%d/%m/%Y")},
                )
                return redirect(result.merged)
    return render(request, "secretaries/branch_merge_form.html", context)


@portal_view
def branch_split(request, pk):
    branch = _branch(request, pk)
    if not branch.is_active:
        messages.info(request, _("Only an active branch can be merged or split."))
        return redirect(branch)
    form = BranchSplitForm(
        request.POST if request.method == "POST" else None,
        branch=branch,
        cancel_url=branch.get_absolute_url(),
    )
    context = {"branch": branch, "form": form}
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["on"]

        def apply():
            return services.branch_split_with_terms(
                branch=branch, parts=form.parts(), on=on, user=request.user
            )

        def describe(created):
            return {
                "on": on,
                "last_day": on - datetime.timedelta(days=1),
                "created": created,
                "terms_ended": _terms_ended([branch], on),
            }

        try:
            preview, created = _preview_or_apply(form, apply, describe)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if preview is not None:
                form.confirm()
                context["preview"] = preview
            else:
                messages.success(
                    request,
                    _("%(branch)s was split into %(names)s from %(date)s.")
                    % {
                        "branch": branch.name,
                        "names": ", ".join(b.name for b in created),
                        "date": on.strftime("%d/%m/%Y"),
                    },
                )
                return redirect(branch)
    return render(request, "secretaries/branch_split_form.html", context)
