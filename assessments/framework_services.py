"""Writes to a province's frameworks from the portal: its staff copy last year's and change the copy while
no assessment uses it (the administrator manages every framework in Django admin, as before)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.versioning import lock_current

from .defaults import DEFAULT_GROUPS
from .models import Criterion, Framework, FrameworkInUse, Method, Period, Rating, RatingCondition, SkillGroup
from .services import framework_copy


def may_manage(user, framework: Framework) -> bool:
    """Provincial staff manage their own province's frameworks (not the common ones, not a predecessor's)
    while their province goes on (an ended Tỉnh đoàn reads them: check_may_change_today); the administrator
    every one."""
    if user.is_administrator:
        return True
    return (
        user.is_provincial_staff
        and user.unit_ended_on is None
        and framework.province_id is not None
        and framework.province_id == user.province_id
    )


@transaction.atomic
def framework_copy_for(*, framework: Framework, user, year: int) -> Framework:
    """A copy of `framework` (the province's own, a predecessor's or the common one) as the user's province's
    framework for `year`."""
    if not user.is_provincial_staff:
        raise PermissionDenied(_("Only provincial staff copy a framework for their province."))
    user.check_may_change_today()  # an ended province (Trà Vinh after 30/06/2025) has no next year
    if Framework.objects.filter(province=user.province_id, year=year).exists():
        raise ValidationError(
            _("Your province already has a framework for %(year)s.") % {"year": year}, code="year_taken"
        )
    try:
        with transaction.atomic():
            return framework_copy(framework=framework, year=year, province=user.province)
    except IntegrityError as error:  # created meanwhile
        raise ValidationError(
            _("Your province already has a framework for %(year)s.") % {"year": year}, code="year_taken"
        ) from error


@transaction.atomic
def framework_update(
    *,
    framework: Framework,
    user,
    fields: dict,
    parts: dict,
    criteria: dict,
    conditions: dict,
    version: int | None,
) -> Framework:
    """Change a framework not yet in use: its own `fields` (name, method, period, self-assessment,
    thresholds), `parts` (group id → (name, max points)), `criteria` (criterion id → (name, max points)) and
    the extra `conditions` ((rating, kind) → floor percent or None)."""
    if not may_manage(user, framework):
        raise PermissionDenied(_("You may not change this framework."))
    framework = lock_current(Framework, pk=framework.pk, version=version)
    if framework.is_in_use:
        raise FrameworkInUse(framework)
    for name, value in fields.items():
        setattr(framework, name, value)
    # Points out of 100 score on 0–100; a scale keeps 1–5 (the only scale the portal has used).
    framework.scale_min, framework.scale_max = (0, 100) if framework.method == Method.POINTS else (1, 5)
    framework.validate_constraints()
    framework.save()
    for group in SkillGroup.objects.filter(framework=framework):
        if group.pk in parts:
            group.name, group.max_points = parts[group.pk]
            group.save(update_fields=["name", "max_points"])
    for criterion in Criterion.objects.filter(group__framework=framework).select_related("group__framework"):
        if criterion.pk in criteria:
            criterion.name, criterion.max_points = criteria[criterion.pk]
            criterion.save(update_fields=["name", "max_points"])
    RatingCondition.objects.filter(framework=framework).delete()
    for (rating, kind), floor in conditions.items():
        if floor is not None:
            condition = RatingCondition(
                framework=framework, rating=rating, kind=kind, min_percent=Decimal(floor)
            )
            condition.validate_constraints()
            condition.save()
    return framework


def split_points(total: int, parts: int) -> list[int]:
    """`total` points over `parts` criteria, as even as whole points allow (the first ones get the rest)."""
    base, rest = divmod(total, parts)
    return [base + (1 if i < rest else 0) for i in range(parts)]


@transaction.atomic
def framework_create_points(
    *,
    year: int,
    province=None,
    name: str,
    period: str = Period.YEAR,
    self_assessment: bool = False,
    part_points: tuple[int, ...] = (30, 40, 30),
    excellent_criterion_floor: Decimal | None = Decimal(50),
) -> Framework:
    """The default criteria as points out of 100 (Regulation 366): 90 / 70 / 50, each part carrying its
    share of the 100 points split over its criteria, and "excellent" only with no criterion below
    `excellent_criterion_floor` percent of its maximum."""
    framework = Framework.objects.create(
        year=year,
        province=province,
        name=name,
        method=Method.POINTS,
        period=period,
        self_assessment=self_assessment,
        scale_min=0,
        scale_max=100,
        excellent_from=Decimal(90),
        good_from=Decimal(70),
        fulfilled_from=Decimal(50),
    )
    for group_order, ((group_name, criteria), points) in enumerate(
        zip(DEFAULT_GROUPS, part_points, strict=True), start=1
    ):
        group = SkillGroup.objects.create(
            framework=framework, order=group_order, name=group_name, max_points=points
        )
        for order, ((criterion_name, description), max_points) in enumerate(
            zip(criteria, split_points(points, len(criteria)), strict=True), start=1
        ):
            Criterion.objects.create(
                group=group, order=order, name=criterion_name, description=description, max_points=max_points
            )
    if excellent_criterion_floor is not None:
        RatingCondition.objects.create(
            framework=framework,
            rating=Rating.EXCELLENT,
            kind=RatingCondition.Kind.CRITERION_FLOOR,
            min_percent=excellent_criterion_floor,
        )
    return framework
