"""A province's frameworks in the portal: the list, a framework's rules, copying one for a year, and
changing a copy while no assessment uses it. Provincial staff only (the administrator keeps Django admin)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.mixins import portal_view
from core.versioning import StaleEdit

from . import framework_services
from .forms import FrameworkCopyForm, FrameworkEditForm
from .models import Assessment, Criterion, Framework, SkillGroup


def _frameworks(user):
    """Provincial staff only: elsewhere (officers) 403, a secretary 404 (portal_view). Those of the staff's
    years, as the reports offer them (an ended province's: up to the year it ended)."""
    if not user.acts_for_province:
        raise PermissionDenied
    return Framework.objects.offered_to(user).select_related("province")


@portal_view
def framework_list(request):
    frameworks = _frameworks(request.user).annotate(
        in_use=Exists(Assessment.objects.filter(framework=OuterRef("pk")))
    )
    for framework in frameworks:
        framework.manageable = framework_services.may_manage(request.user, framework)
    return render(
        request,
        "assessments/framework_list.html",
        {
            "frameworks": frameworks,
            "unit_ended_on": request.user.unit_ended_on,
            "copy_form": FrameworkCopyForm(initial={"year": timezone.localdate().year + 1}),
        },
    )


def _groups(framework):
    return list(
        SkillGroup.objects.filter(framework=framework).prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.order_by("order"))
        )
    )


@portal_view
def framework_detail(request, pk):
    framework = get_object_or_404(_frameworks(request.user).prefetch_related("rating_conditions"), pk=pk)
    return render(
        request,
        "assessments/framework_detail.html",
        {
            "framework": framework,
            "groups": _groups(framework),
            "problems": framework.points_problems(),
            "in_use": framework.is_in_use,
            "manageable": framework_services.may_manage(request.user, framework),
            "copy_form": FrameworkCopyForm(initial={"year": framework.year + 1}),
        },
    )


@require_POST
@portal_view
def framework_copy(request, pk):
    framework = get_object_or_404(_frameworks(request.user), pk=pk)
    if not request.user.is_provincial_staff:  # a copy is a province's own (the administrator: in admin)
        raise PermissionDenied
    request.user.check_may_change_today()
    form = FrameworkCopyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the year of the copy."))
        return redirect("assessments:framework_detail", pk=framework.pk)
    try:
        copy = framework_services.framework_copy_for(
            framework=framework, user=request.user, year=form.cleaned_data["year"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("assessments:framework_detail", pk=framework.pk)
    messages.success(request, _("“%(name)s” was created; change it before it is used.") % {"name": copy.name})
    return redirect("assessments:framework_detail", pk=copy.pk)


@portal_view
def framework_edit(request, pk):
    framework = get_object_or_404(_frameworks(request.user).prefetch_related("rating_conditions"), pk=pk)
    if not framework_services.may_manage(request.user, framework):
        raise PermissionDenied
    if framework.is_in_use:
        messages.info(request, _("This framework is in use: copy it to make a new one."))
        return redirect("assessments:framework_detail", pk=framework.pk)
    groups = _groups(framework)
    detail_url = reverse("assessments:framework_detail", kwargs={"pk": framework.pk})
    form = FrameworkEditForm(
        request.POST if request.method == "POST" else None,
        framework=framework,
        groups=groups,
        cancel_url=detail_url,
    )
    if request.method == "POST" and form.is_valid():
        try:
            framework_services.framework_update(
                framework=framework,
                user=request.user,
                fields=form.framework_fields(),
                parts=form.parts(),
                criteria=form.criteria(),
                conditions=form.conditions(),
                version=form.loaded(),
            )
        except (StaleEdit, ValidationError) as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("“%(name)s” was saved.") % {"name": form.cleaned_data["name"]})
            return redirect("assessments:framework_detail", pk=framework.pk)
    return render(request, "assessments/framework_form.html", {"framework": framework, "form": form})
