"""Skill assessments of branch secretaries against a framework (bộ tiêu chí) that belongs to a year.

A framework holds the skill groups, their ordered criteria (with weights), the score scale and the
thresholds that turn an overall score into the Union's four rating levels. Once an assessment uses a
framework, its criteria, scale and thresholds are frozen (see `Framework.is_in_use`); next year's
framework starts as a copy (services.framework_copy).

Group scores, the overall score and the rating are derived in one place (assessments/scoring.py) and
stored, so reports can aggregate them without recomputing.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import status_is
from core.history import HistoricalRecords
from core.model_fields import PlacesDecimalField
from core.navigation import object_url
from core.scope import ScopedQuerySet
from core.text import fold
from core.validators import validate_not_in_future
from core.versioning import Versioned


class Rating(models.TextChoices):
    """The Union's annual rating levels (since 2023)."""

    EXCELLENT = "xuat_sac", _("Excellently fulfilled duties")
    GOOD = "tot", _("Well fulfilled duties")
    FULFILLED = "hoan_thanh", _("Fulfilled duties")
    NOT_FULFILLED = "khong_hoan_thanh", _("Did not fulfil duties")


def user_province_id(user) -> int | None:
    """The province of the unit a user works for (a district's or a commune's province); None for the
    administrator."""
    if user.is_provincial_staff:
        return user.province_id
    if user.is_district_officer:
        return user.district.province_id
    if user.is_commune_officer:
        return user.commune.province_id
    return None


class Method(models.TextChoices):
    """How a framework scores: criteria on a scale (weighted means, the 2019–2025 frameworks), or points
    out of 100 in parts, as Regulation 366-QĐ/TW (30/8/2025) asks."""

    SCALE = "thang_diem", _("Scale (weighted mean)")
    POINTS = "diem_100", _("Points out of 100")


class Period(models.TextChoices):
    """What one assessment covers: a year, a term (nhiệm kỳ) or a quarter of the framework's year."""

    YEAR = "nam", _("Year")
    TERM = "nhiem_ky", _("Term")
    QUARTER = "quy", _("Quarter")


POINTS_TOTAL = 100


class FrameworkQuerySet(models.QuerySet):
    def for_province(self, province) -> "FrameworkQuerySet":
        """The frameworks a province uses: its own for the years it has one, else the common one."""
        province_id = getattr(province, "pk", province)
        # Per period kind: a province's own quarterly framework leaves the common annual one in place.
        own = Framework.objects.filter(province=province_id, year=OuterRef("year"), period=OuterRef("period"))
        return self.filter(Q(province=province_id) | Q(province__isnull=True) & ~Exists(own))

    def visible_to(self, user) -> "FrameworkQuerySet":
        """The common frameworks and those of the provinces whose records the user reads (its own and,
        for today's units, their predecessors'); every one for the administrator."""
        if user.is_administrator:
            return self.all()
        district = user.district if user.is_district_officer else None
        provinces = [district.province_id] if district else user.scope_province_ids()
        return self.filter(Q(province__isnull=True) | Q(province__in=provinces))

    def offered_to(self, user) -> "FrameworkQuerySet":
        """The frameworks the reports offer the user: those it sees, up to the year its unit ended (Tỉnh đoàn
        Trà Vinh, ended on 30/06/2025, has no 2026 in its history)."""
        frameworks = self.visible_to(user)
        ended = user.unit_ended_on
        return frameworks if ended is None else frameworks.filter(year__lte=ended.year)


class Framework(Versioned):
    """A province's framework for a year, or the common one (no province) used by every province without
    its own that year. Chosen in one place: `framework_for(province, year)`."""

    province = models.ForeignKey(
        "branches.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty for the common framework, used by every province without its own that year."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("name"), max_length=200)
    # Folded (core.text.fold) for Django admin's search; not indexed: a "contains" search reads every row.
    name_key = models.CharField(max_length=200, editable=False, default="")
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=5)
    excellent_from = models.DecimalField(
        _("excellent from"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("4.50"),
        help_text=_("Overall score from which the rating is “excellently fulfilled”."),
    )
    good_from = models.DecimalField(_("good from"), max_digits=5, decimal_places=2, default=Decimal("3.50"))
    fulfilled_from = models.DecimalField(
        _("fulfilled from"), max_digits=5, decimal_places=2, default=Decimal("2.50")
    )
    method = models.CharField(
        _("scoring method"),
        max_length=12,
        choices=Method.choices,
        default=Method.SCALE,
        help_text=_(
            "Points out of 100: each part (skill group) carries its maximum points, summing to 100, and "
            "each criterion its maximum within the part; thresholds are on 0–100."
        ),
    )
    period = models.CharField(
        _("period"),
        max_length=10,
        choices=Period.choices,
        default=Period.YEAR,
        help_text=_("What one assessment covers: the year, the term, or one quarter of the year."),
    )
    self_assessment = models.BooleanField(
        _("self-assessment first"),
        default=False,
        help_text=_(
            "Secretaries with an account assess themselves first; the unit then reviews, and provincial "
            "staff confirm."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = FrameworkQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["name_key"])

    class Meta:
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")
        ordering = ["-year", "province_id"]
        constraints = [
            # One per period kind: a province may assess by quarter (Regulation 366) beside its annual
            # framework, whose rating is the year's (commendations read it).
            models.UniqueConstraint(
                fields=["province", "year", "period"],
                name="framework_one_per_province_year_period",
                violation_error_message=_(
                    "This province already has a framework of that kind for that year."
                ),
            ),
            models.UniqueConstraint(
                fields=["year", "period"],
                condition=Q(province__isnull=True),
                name="framework_one_common_per_year_period",
                violation_error_message=_("There is already a common framework of that kind for that year."),
            ),
            models.CheckConstraint(
                name="framework_scale_ordered",
                condition=Q(scale_min__lt=F("scale_max")),
                violation_error_message=_("The lowest score must be below the highest."),
            ),
            models.CheckConstraint(
                name="framework_thresholds_ordered",
                condition=Q(fulfilled_from__lte=F("good_from"), good_from__lte=F("excellent_from"))
                & Q(fulfilled_from__gte=F("scale_min"), excellent_from__lte=F("scale_max")),
                violation_error_message=_(
                    "Thresholds must rise from “fulfilled” to “good” to “excellent”, within the scale."
                ),
            ),
            models.CheckConstraint(
                # Points out of 100: the overall score is a sum of points on 0–100.
                name="framework_points_on_0_to_100",
                condition=~Q(method="diem_100") | Q(scale_min=0, scale_max=POINTS_TOTAL),
                violation_error_message=_("A framework of points out of 100 scores from 0 to 100."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_common(self) -> bool:
        return self.province_id is None

    def save(self, *args, **kwargs):
        if self.pk is not None:
            # Its province and year too: the assessments made with it stay in the year and unit they were.
            fields = (*FROZEN_FRAMEWORK_FIELDS, "year", "province_id")
            stored = Framework.objects.filter(pk=self.pk).values(*fields).first()
            changed = stored and any(stored[f] != getattr(self, f) for f in fields)
            if changed and self.is_in_use:
                raise FrameworkInUse(self)
        self.name_key = fold(self.name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_in_use:
            raise FrameworkInUse(self)
        return super().delete(*args, **kwargs)

    @property
    def is_in_use(self) -> bool:
        return self.pk is not None and self.assessments.exists()

    @property
    def is_points(self) -> bool:
        return self.method == Method.POINTS

    @property
    def overall_max(self) -> int:
        """The most an overall score can be: 100 points, or the scale's highest score (an average)."""
        return 100 if self.is_points else self.scale_max

    @property
    def score_places(self) -> int:
        """The places an assessment's scores are shown with (`{{ score|places:framework.score_places }}`):
        none for points out of 100, whose totals are sums of whole points (81/100, a part's 25), two for
        the averages of a scale (3,27/5)."""
        return 0 if self.is_points else 2

    def period_label(self, quarter: int | None = None) -> str:
        """The period one of its assessments covers, as the pages say it: "Q4/2026" (Quý 4/2026), or the
        year (templates/assessments/partials/report_period.html says it so too)."""
        if quarter:
            return _("Q%(quarter)s/%(year)s") % {"quarter": quarter, "year": self.year}
        return str(self.year)

    def period_slug(self, quarter: int | None = None) -> str:
        """The period in an exported file's name: "quy-4-2026", or the year: one quarter's file does not
        overwrite another's, nor the annual framework's."""
        return f"quy-{int(quarter)}-{self.year}" if quarter else str(self.year)

    @property
    def is_annual(self) -> bool:
        return self.period == Period.YEAR

    @property
    def is_quarterly(self) -> bool:
        return self.period == Period.QUARTER

    @cached_property
    def conditions(self) -> list["RatingCondition"]:
        """The extra conditions of its rating levels, read once per framework object."""
        return list(self.rating_conditions.all())

    def points_problems(self) -> list[str]:
        """What keeps a points-out-of-100 framework from being used: the parts' maxima must sum to 100 and
        each part's criteria's maxima to the part's (sums across rows, which no constraint can check)."""
        if not self.is_points:
            return []
        problems = []
        groups = list(self.groups.prefetch_related("criteria"))
        if not groups:
            problems.append(_("It has no part yet."))
        total = 0
        for group in groups:
            if group.max_points is None:
                problems.append(_("Part “%(part)s” has no maximum points.") % {"part": group.name})
                continue
            total += group.max_points
            criteria = list(group.criteria.all())
            if any(c.max_points is None for c in criteria) or not criteria:
                problems.append(
                    _("Every criterion of part “%(part)s” needs its maximum points.") % {"part": group.name}
                )
                continue
            criteria_total = sum(c.max_points for c in criteria)
            if criteria_total != group.max_points:
                problems.append(
                    _("The criteria of part “%(part)s” carry %(sum)s points, not the part's %(max)s.")
                    % {"part": group.name, "sum": criteria_total, "max": group.max_points}
                )
        if groups and total != POINTS_TOTAL:
            problems.append(_("The parts carry %(sum)s points, not 100.") % {"sum": total})
        return problems

    def rating_for(self, score: Decimal | None) -> str:
        """The level the thresholds alone give (scoring.rating applies the extra conditions too)."""
        from .scoring import level_for

        return level_for(self, score)


def framework_for(province, year: int) -> Framework | None:
    """The framework an assessment of `year` in `province` uses: the province's own, else the common one.
    A province's predecessors' frameworks are theirs: Vĩnh Long 2026 has its own, Trà Vinh's 2025 stays."""
    province_id = getattr(province, "pk", province)
    return (
        Framework.objects.filter(Q(province=province_id) | Q(province__isnull=True), year=year)
        .order_by(F("province").asc(nulls_last=True), ANNUAL_FIRST)
        .first()
    )


# The annual framework before a quarterly or term one of the same year: it is "the year's".
ANNUAL_FIRST = Case(When(period="nam", then=Value(0)), default=Value(1)).asc()


def current_framework(user) -> Framework | None:
    """The framework of the work at hand for `user`: this year's of its province (for a unit that ended,
    that of the year it ended), else the latest it uses; for the administrator the latest common one."""
    import datetime

    from django.utils import timezone

    province_id = user_province_id(user)
    if province_id is None:
        return (
            Framework.objects.filter(province__isnull=True).order_by("-year").first()
            or Framework.objects.order_by("-year").first()
        )
    year = timezone.localdate().year
    ended = user.unit_ended_on
    if isinstance(ended, datetime.date):
        year = min(year, ended.year)
    return (
        framework_for(province_id, year)
        or Framework.objects.for_province(province_id).filter(year__lte=year).order_by("-year").first()
    )


def frameworks_used(province, *, ended_on=None) -> "FrameworkQuerySet":
    """The frameworks a unit of `province` assesses in (`for_province`), the newest first: what the commune
    grid offers; for a unit that ended (`ended_on`), none of a later year."""
    frameworks = Framework.objects.for_province(province).order_by("-year")
    return frameworks if ended_on is None else frameworks.filter(year__lte=ended_on.year)


def framework_at_hand(province, *, ended_on=None) -> Framework | None:
    """The framework a unit of `province` works in unless another is chosen, one rule for the commune grid
    and the scores import: this year's (for a unit that ended, that of the year it ended), else the latest
    the province uses."""
    from django.utils import timezone

    year = timezone.localdate().year
    if ended_on is not None:
        year = min(year, ended_on.year)
    return framework_for(province, year) or frameworks_used(province, ended_on=ended_on).first()


def quarter_at_hand(framework: Framework) -> int | None:
    """The quarter assessed unless another is chosen, in a quarterly framework: this quarter, the last one
    for a past year; None for a framework assessed by year or term."""
    from django.utils import timezone

    if not framework.is_quarterly:
        return None
    today = timezone.localdate()
    return (today.month - 1) // 3 + 1 if framework.year == today.year else 4


FROZEN_FRAMEWORK_FIELDS = (
    "scale_min",
    "scale_max",
    "excellent_from",
    "good_from",
    "fulfilled_from",
    "method",
    "period",
    "self_assessment",
)


class FrameworkInUse(ValidationError):
    def __init__(self, framework: Framework):
        super().__init__(
            _(
                "“%(name)s” is already used by assessments: its criteria, scale and thresholds can no longer "
                "change. Copy it to make a new framework."
            )
            % {"name": framework.name},
            code="framework_in_use",
        )


class FrozenWithFramework(models.Model):
    """Groups and criteria cannot change or go once their framework is used."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        framework = self._framework()
        if framework.is_in_use:
            raise FrameworkInUse(framework)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        framework = self._framework()
        if framework.is_in_use:
            raise FrameworkInUse(framework)
        return super().delete(*args, **kwargs)

    def _framework(self) -> Framework:
        raise NotImplementedError


class SkillGroup(FrozenWithFramework):
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="groups"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    # Folded (core.text.fold) for Django admin's search; not indexed: a "contains" search reads every row.
    name_key = models.CharField(max_length=200, editable=False, default="")
    max_points = models.PositiveSmallIntegerField(
        _("maximum points"),
        null=True,
        blank=True,
        help_text=_("Points out of 100 only: the part's share of the 100 points (e.g. 30 or 70)."),
    )

    class Meta:
        verbose_name = _("skill group")
        verbose_name_plural = _("skill groups")
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "order"], name="skill_group_order_unique"),
            models.CheckConstraint(
                name="skill_group_max_points_range",
                condition=Q(max_points__isnull=True) | Q(max_points__gt=0, max_points__lte=POINTS_TOTAL),
                violation_error_message=_("A part carries from 1 to 100 points."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = fold(self.name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def _framework(self) -> Framework:
        return self.framework


class Criterion(FrozenWithFramework):
    group = models.ForeignKey(
        SkillGroup, verbose_name=_("skill group"), on_delete=models.CASCADE, related_name="criteria"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    max_points = models.PositiveSmallIntegerField(
        _("maximum points"),
        null=True,
        blank=True,
        help_text=_("Points out of 100 only: the most this criterion gives within its part."),
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["group__order", "order"]
        constraints = [
            models.UniqueConstraint(fields=["group", "order"], name="criterion_order_unique"),
            models.CheckConstraint(name="criterion_weight_positive", condition=Q(weight__gt=0)),
            models.CheckConstraint(
                name="criterion_max_points_range",
                condition=Q(max_points__isnull=True) | Q(max_points__gt=0, max_points__lte=POINTS_TOTAL),
                violation_error_message=_("A criterion carries from 1 to 100 points."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def _framework(self) -> Framework:
        return self.group.framework


class RatingCondition(FrozenWithFramework):
    """An extra condition a rating level needs beyond its threshold (Regulation 366: "hoàn thành xuất sắc"
    only if …): no criterion, or no part, scored below `min_percent` of its maximum. An assessment that
    reaches the level's threshold but fails one of its conditions gets the next level down."""

    class Kind(models.TextChoices):
        CRITERION_FLOOR = "tieu_chi", _("No criterion below")
        PART_FLOOR = "phan", _("No part below")

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="rating_conditions"
    )
    rating = models.CharField(_("rating level"), max_length=20, choices=Rating.choices)
    kind = models.CharField(_("condition"), max_length=10, choices=Kind.choices)
    min_percent = models.DecimalField(
        _("floor (percent of the maximum)"),
        max_digits=5,
        decimal_places=2,
        help_text=_("E.g. 50: every criterion (or part) must reach half of its maximum points."),
    )

    class Meta:
        verbose_name = _("rating condition")
        verbose_name_plural = _("rating conditions")
        ordering = ["framework", "rating", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "rating", "kind"],
                name="rating_condition_one_per_level_and_kind",
                violation_error_message=_("That level already has this condition."),
            ),
            models.CheckConstraint(
                name="rating_condition_percent_range",
                condition=Q(min_percent__gt=0, min_percent__lte=100),
                violation_error_message=_("The floor is a percentage above 0 and at most 100."),
            ),
            models.CheckConstraint(
                # The lowest level is what is left: it has no condition to fail.
                name="rating_condition_not_on_lowest",
                condition=~Q(rating="khong_hoan_thanh"),
                violation_error_message=_("The lowest level has no condition."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()}: {self.get_kind_display()} {self.min_percent}%"

    def _framework(self) -> Framework:
        return self.framework


class AssessmentQuerySet(ScopedQuerySet):
    province_path = "province"
    district_path = "district"
    # The stored units are those of the time (for display and reports); a commune officer reads through
    # the branch, whose commune is today's.
    commune_path = "branch__commune"
    # No former-branch path: the records of an ended unit (Huyện đoàn Tiểu Cần) are those stored with it,
    # not the later assessments of its former branches by the communes they went to.

    def with_missing_scores(self):
        """`missing_scores`: the criteria saved without a score (a draft's rating waits for them;
        templates/assessments/partials/rating.html). A subquery per row: for a page's rows only."""
        unscored = (
            Score.objects.filter(assessment=OuterRef("pk"), value__isnull=True)
            .order_by()
            .values("assessment")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(missing_scores=Coalesce(Subquery(unscored), 0))

    def rated(self, rating: str):
        """The assessments that show `rating` (the list's filter by rating): those whose rating waits for
        criteria not scored yet show none (Assessment.unscored == "waiting") and are left out, by the same
        rule, in SQL: a status whose rating waits (Assessment.RATING_WAITS_STATUSES) and a criterion saved
        without a score."""
        waiting = Q(status__in=Assessment.RATING_WAITS_STATUSES) & Exists(
            Score.objects.filter(assessment=OuterRef("pk"), value__isnull=True)
        )
        return self.filter(rating=rating).exclude(waiting)

    def seen_by_person(self):
        """What the person assessed sees of their assessments (their own page): all but the unit's own drafts.
        A draft of the unit's review of what they sent stays, as the unit reviewing it
        (Assessment.is_unit_reviewing), its scores not shown (Assessment.shows_unit_scores)."""
        # The unit's draft of an assessment in their place (Assessment.self_step_skipped) stays too: their
        # period was open to them, and a draft they had begun is now the unit's.
        return self.exclude(
            status=Assessment.Status.DRAFT, self_submitted_at__isnull=True, self_step_skipped=False
        )


class Assessment(Versioned):
    """One secretary's assessment in one framework (year). The units are those of the branch the
    person led when assessed, and stay so if they later move: the assessment belongs to that unit, and
    the person's new unit sees it as "assessed by another unit" (selectors.assessed_elsewhere)."""

    class Status(models.TextChoices):
        # The self-assessment step, where the framework asks for it (Framework.self_assessment): the
        # secretary writes, then submits to the unit.
        SELF_DRAFT = "tu_danh_gia", _("Self-assessing")
        AWAITING_REVIEW = "cho_don_vi", _("Awaiting the unit's review")
        DRAFT = "nhap", _("Draft")
        SUBMITTED = "da_gui", _("Submitted")
        CONFIRMED = "da_xac_nhan", _("Confirmed")

    person = models.ForeignKey(
        "secretaries.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="assessments"
    )
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="assessments"
    )
    branch = models.ForeignKey(
        "branches.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        "branches.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    district = models.ForeignKey(
        "branches.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )
    province = models.ForeignKey(
        "branches.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessor"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_on = models.DateField(_("assessed on"), validators=[validate_not_in_future])
    quarter = models.PositiveSmallIntegerField(
        _("quarter"), null=True, blank=True, help_text=_("Only in a quarterly framework: 1 to 4.")
    )
    comment = models.TextField(_("overall comment"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    overall_score = PlacesDecimalField(
        _("overall score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    # The secretary's own step (self_views): kept beside the unit's scores, never overwritten by them.
    self_overall_score = PlacesDecimalField(
        _("self-assessed overall score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    self_rating = models.CharField(
        _("self-assessed rating"), max_length=20, choices=Rating.choices, blank=True
    )
    self_comment = models.TextField(_("self-assessment comment"), blank=True)
    self_submitted_at = models.DateTimeField(_("self-assessment submitted at"), null=True, blank=True)
    # Regulation 366 puts the secretary's self-assessment first; once the period has ended without it
    # submitted, the unit assesses in their place (services.check_self_step), over their draft if they had
    # begun one, which is closed to them from then on.
    self_step_skipped = models.BooleanField(
        _("assessed in the secretary's place"),
        default=False,
        editable=False,
        help_text=_("The period ended before the secretary submitted their self-assessment."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    is_self_draft = status_is(Status.SELF_DRAFT)
    is_awaiting_review = status_is(Status.AWAITING_REVIEW)
    is_draft = status_is(Status.DRAFT)
    is_submitted = status_is(Status.SUBMITTED)
    is_confirmed = status_is(Status.CONFIRMED)

    class Meta:
        verbose_name = _("skill assessment")
        verbose_name_plural = _("skill assessments")
        # No joins in the default order (it applies to every query, distinct counts included); lists
        # choose their own order.
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "framework"],
                condition=Q(quarter__isnull=True),
                name="assessment_one_per_person_and_framework",
                violation_error_message=_("This secretary already has an assessment in that framework."),
            ),
            models.UniqueConstraint(
                fields=["person", "framework", "quarter"],
                condition=Q(quarter__isnull=False),
                name="assessment_one_per_person_framework_quarter",
                violation_error_message=_("This secretary already has an assessment for that quarter."),
            ),
            models.CheckConstraint(
                name="assessment_quarter_range",
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4),
                violation_error_message=_("A quarter is 1, 2, 3 or 4."),
            ),
            models.CheckConstraint(
                name="assessment_confirmed_has_confirmer",
                condition=~Q(status="da_xac_nhan")
                | Q(confirmed_by__isnull=False, confirmed_at__isnull=False),
            ),
        ]
        indexes = [
            models.Index(fields=["framework", "district", "status"], name="assessment_fw_district"),
            # A province's counted assessments and their units from the index alone (training needs, the
            # summaries): without the columns the planner's choice between it and the one below, scanning the
            # whole framework, turned on the sampled statistics (3.6 or 8.4 ms for Vĩnh Long's staff).
            models.Index(
                fields=["framework", "province", "status"],
                include=["id", "district", "commune"],
                name="assessment_fw_province_units",
            ),
            # Training needs (with GroupScore's index): a framework's counted assessments and their units
            # from the index alone, hashed against the group scores below the threshold (PostgreSQL).
            models.Index(
                fields=["framework", "status"],
                include=["id", "province", "district", "commune"],
                name="assessment_fw_status_units",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.period_label}"

    def get_absolute_url(self) -> str:
        return object_url("assessments:assessment_detail", self.pk)

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_unit_draft(self) -> bool:
        """Scores the unit still enters as its draft (the commune grid changes only these): its own draft, or
        a self-assessment it reviews. A sent one waits for the province; a confirmed one is locked."""
        return self.status in self.UNIT_DRAFT_STATUSES

    @property
    def awaits_review(self) -> bool:
        """Sent by the secretary and not reviewed by the unit yet: the unit's list shows the secretary's own
        score and rating there, said to be theirs, where the unit's are still empty."""
        return self.status == self.Status.AWAITING_REVIEW

    @property
    def is_unit_reviewing(self) -> bool:
        """The unit's draft of a self-assessment the secretary sent: to the secretary their unit is reviewing
        it. "Draft" would read as their own self-assessment sent back to them."""
        return self.is_draft and (self.was_self_assessed or self.self_step_skipped)

    @property
    def status_for_person(self) -> str:
        """The status as the person assessed reads it (their pages, their export): the unit's review is the
        unit's doing, where "Draft" would read as their own sent back and "Submitted" as their own sending."""
        if self.is_unit_reviewing:
            return str(_("Your unit is reviewing it"))
        if self.is_submitted:
            return str(_("Reviewed by your unit, awaiting confirmation"))
        return self.get_status_display()

    @property
    def shows_unit_scores(self) -> bool:
        """Whether the person assessed reads the unit's scores: once the unit has sent them (its draft may
        still change)."""
        return self.status in (self.Status.SUBMITTED, self.Status.CONFIRMED)

    @property
    def unscored(self) -> str:
        """What its rating says of the criteria saved without a score (`missing_scores`, read by
        AssessmentQuerySet.with_missing_scores): "waiting", a draft's rating waits for them; "left", sent on
        with them empty; "" otherwise (none, or the secretary's own step, where the unit has scored nothing
        yet). templates/assessments/partials/rating.html and the list's export say it so."""
        if not getattr(self, "missing_scores", 0):
            return ""
        if self.status in self.RATING_WAITS_STATUSES:
            return "waiting"
        return "" if self.in_self_step else "left"

    @property
    def shown_overall_score(self):
        """The overall score as the list, the grid, the assessment's page and the list's export show it: none
        while its rating waits for criteria not scored yet (`unscored`), as the reports count no draft. The
        mean of the few criteria scored so far would read, and sort, as a score."""
        return None if self.unscored == "waiting" else self.overall_score

    @property
    def in_self_step(self) -> bool:
        """Still the secretary's (writing, or submitted and not yet reviewed by the unit)."""
        return self.status in (self.Status.SELF_DRAFT, self.Status.AWAITING_REVIEW)

    @property
    def was_self_assessed(self) -> bool:
        return self.self_submitted_at is not None

    @property
    def shows_self_scores(self) -> bool:
        """The secretary's own scores stand beside the unit's (read-only): once submitted, or what they had
        scored of their draft when the unit assessed in their place (`self_step_skipped`)."""
        return self.was_self_assessed or (self.self_overall_score is not None and self.self_step_skipped)

    @property
    def period_label(self) -> str:
        return self.framework.period_label(self.quarter)

    # Statuses an officer or provincial staff treat as the unit's record (the self-assessment step is not).
    UNIT_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.CONFIRMED)
    UNIT_DRAFT_STATUSES = (Status.AWAITING_REVIEW, Status.DRAFT)
    # Statuses whose rating waits for the criteria not scored yet: shows none (`unscored`, and
    # AssessmentQuerySet.rated, the list's filter by rating).
    RATING_WAITS_STATUSES = (Status.DRAFT,)


#: a change of status that is a step of the workflow, by the step's name and label (the history's "What")
WORKFLOW_STEPS = {
    (Assessment.Status.SELF_DRAFT, Assessment.Status.AWAITING_REVIEW): ("submit", _("Submit")),
    (Assessment.Status.AWAITING_REVIEW, Assessment.Status.SUBMITTED): ("submit", _("Submit")),
    (Assessment.Status.DRAFT, Assessment.Status.SUBMITTED): ("submit", _("Submit")),
    (Assessment.Status.SUBMITTED, Assessment.Status.CONFIRMED): ("confirm", _("Confirm")),
    (Assessment.Status.CONFIRMED, Assessment.Status.DRAFT): ("reopen", _("Reopen")),
    (Assessment.Status.SUBMITTED, Assessment.Status.DRAFT): ("return", pgettext_lazy("assessment", "Return")),
}


def workflow_step(previous, record):
    """core.history.history_rows(steps=…): the step an assessment's history record was, or None (an edit)."""
    return WORKFLOW_STEPS.get((previous.status, record.status))


class Score(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("skill assessment"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["criterion__group__order", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="score_one_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class GroupScore(models.Model):
    """Derived (scoring.derive): the weighted mean of the group's scores, stored for reporting."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("skill assessment"), on_delete=models.CASCADE, related_name="group_scores"
    )
    group = models.ForeignKey(
        SkillGroup, verbose_name=_("skill group"), on_delete=models.PROTECT, related_name="+"
    )
    score = PlacesDecimalField(_("score"), max_digits=5, decimal_places=2, null=True)

    class Meta:
        verbose_name = _("group score")
        verbose_name_plural = _("group scores")
        ordering = ["group__order"]
        constraints = [
            # With the score (PostgreSQL; the constraint alone elsewhere): a province's training needs
            # count its assessments' low scores from this index alone, assessment by assessment, where the
            # index below would walk the whole country's (Trà Vinh: 7 → 3 ms for each of two counts).
            models.UniqueConstraint(
                fields=["assessment", "group"], include=["score"], name="group_score_one_per_group"
            ),
        ]
        indexes = [
            # Training needs: the scores below a threshold in a skill group, read without the rest, with
            # their assessment from the index alone (PostgreSQL; a plain index elsewhere).
            models.Index(
                fields=["group", "score"], include=["assessment"], name="group_score_group_score_cover"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.score}"


class SelfScore(models.Model):
    """The secretary's own score of a criterion (the self-assessment step), kept beside the unit's Score."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("skill assessment"), on_delete=models.CASCADE, related_name="self_scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.PositiveSmallIntegerField(_("self-assessed score"), null=True, blank=True)
    # What they did: a few sentences, or a link to the evidence (a shared folder's address runs to
    # hundreds of characters, and a box that cuts it breaks the link).
    comment = models.CharField(_("comment"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("self-assessed score")
        verbose_name_plural = _("self-assessed scores")
        ordering = ["criterion__group__order", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="self_score_one_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class GroupReview(models.Model):
    """Per part (skill group) of a self-assessed assessment: the secretary's derived part score and the
    unit's comment on that part, written when it reviews."""

    assessment = models.ForeignKey(
        Assessment, verbose_name=_("skill assessment"), on_delete=models.CASCADE, related_name="group_reviews"
    )
    group = models.ForeignKey(
        SkillGroup, verbose_name=_("skill group"), on_delete=models.PROTECT, related_name="+"
    )
    self_score = PlacesDecimalField(
        _("self-assessed score"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    comment = models.TextField(_("the unit's comment"), blank=True)

    class Meta:
        verbose_name = _("part review")
        verbose_name_plural = _("part reviews")
        ordering = ["group__order"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "group"], name="group_review_one_per_group"),
        ]

    def __str__(self) -> str:
        return f"{self.group}: {self.self_score}"


# ---------------------------------------------------------------------------------------------------
# Totals kept beside the assessments (assessments/totals.py keeps them exact), so the reports sum a few
# rows per commune instead of every score of the country.


class TotalQuerySet(ScopedQuerySet):
    """Scoped as the assessments they sum: by the units recorded on them, and for a commune officer by the
    commune their branch belongs to today."""

    province_path = "province"
    district_path = "district"
    commune_path = "branch_commune"


class TotalKey(models.Model):
    """The assessments of one framework recorded with the same units whose branches belong to the same
    commune today: what every report groups by, as recorded (province, district, commune) or rolled up to
    today's units (branch_commune, and its province), and what a branch's re-attachment moves."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+", db_index=False)
    province = models.ForeignKey(
        "branches.Province", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    district = models.ForeignKey(
        "branches.District", on_delete=models.CASCADE, related_name="+", null=True, db_index=False
    )
    commune = models.ForeignKey(
        "branches.Commune", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    branch_commune = models.ForeignKey(
        "branches.Commune", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    # Today's commune's province, kept beside it: a report rolled up to today's provinces sums a framework's
    # rows without joining each to its commune (the administrator's national summary: 30,000 rows). Empty
    # only in a row written by a node still running the release before it, during that upgrade (the next
    # write in the commune, or `rebuild_aggregates`, fills it: docs/deployment.md).
    branch_province = models.ForeignKey(
        "branches.Province", on_delete=models.CASCADE, related_name="+", null=True, db_index=False
    )
    # The quarter of a quarterly framework's assessments (Assessment.quarter): its reports show one quarter,
    # as each assesses the same secretaries again. Empty in other frameworks.
    quarter = models.PositiveSmallIntegerField(null=True)

    objects = TotalQuerySet.as_manager()

    class Meta:
        abstract = True


def _total_indexes(prefix: str, *, province_include: tuple[str, ...] = ()) -> list:
    """The indexes a totals table is read by: a unit's rows of a framework (as recorded: province, district,
    commune), and a commune's of today. `province_include`: the columns a province's sums read, carried by
    its index (a province's rows lie scattered over the table)."""
    province = (
        models.Index(
            fields=["framework", "province"], include=province_include, name=f"{prefix}_province_cover"
        )
        if province_include
        else models.Index(fields=["framework", "province"], name=f"{prefix}_fw_province")
    )
    return [
        province,
        models.Index(fields=["framework", "district"], name=f"{prefix}_fw_district"),
        models.Index(fields=["framework", "commune"], name=f"{prefix}_fw_commune"),
        models.Index(fields=["branch_commune", "framework"], name=f"{prefix}_today"),
    ]


class AssessmentTotal(TotalKey):
    """Counts of assessments per status, and of the counted ones (submitted, confirmed) the overall
    scores and ratings."""

    counted = models.PositiveIntegerField(default=0)
    drafts = models.PositiveIntegerField(default=0)
    submitted = models.PositiveIntegerField(default=0)
    confirmed = models.PositiveIntegerField(default=0)
    # Self-assessments handed to the unit and not reviewed yet (not counted): what the first screen asks of
    # the unit, beside its drafts.
    awaiting_review = models.PositiveIntegerField(default=0)
    overall_total = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    overall_n = models.PositiveIntegerField(default=0)
    rating_xuat_sac = models.PositiveIntegerField(default=0)
    rating_tot = models.PositiveIntegerField(default=0)
    rating_hoan_thanh = models.PositiveIntegerField(default=0)
    rating_khong_hoan_thanh = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("assessment totals")
        verbose_name_plural = _("assessment totals")
        ordering = ["framework", "commune", "branch_commune"]
        indexes = _total_indexes("assessment_total")

    def __str__(self) -> str:
        return f"{self.framework_id}/{self.commune_id}/{self.branch_commune_id}: {self.counted}"


class GroupTotal(TotalKey):
    """Sum and number of the counted assessments' scores in one skill group."""

    group = models.ForeignKey(SkillGroup, on_delete=models.CASCADE, related_name="+", db_index=False)
    total = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("skill group totals")
        verbose_name_plural = _("skill group totals")
        ordering = ["framework", "commune", "branch_commune", "group"]
        # A framework's sums per province (recorded, or today's) and group from the index alone (PostgreSQL's
        # INCLUDE): the country's 30,000 rows a framework, 28 → 13 ms; a province's too.
        indexes = _total_indexes("group_total", province_include=("group", "branch_province", "total", "n"))

    def __str__(self) -> str:
        return f"{self.group_id}: {self.total}/{self.n}"


class CriterionTotal(TotalKey):
    """How many of the counted assessments gave a criterion one score: sums, means and the number below a
    threshold (whatever the threshold) follow."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+", db_index=False)
    value = models.PositiveSmallIntegerField()
    n = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion totals")
        verbose_name_plural = _("criterion totals")
        ordering = ["framework", "commune", "branch_commune", "criterion", "value"]
        # A province's means per criterion from the index alone (PostgreSQL's INCLUDE): Vĩnh Long's 12,600
        # rows of a framework lie on 8,400 of the table's pages (9.7 → 2 ms). The whole country's are summed
        # per province (ProvinceCriterionTotal).
        indexes = _total_indexes("criterion_total", province_include=("criterion", "value", "n"))

    def __str__(self) -> str:
        return f"{self.criterion_id}={self.value}: {self.n}"


class ProvinceCriterionTotal(models.Model):
    """The criterion totals of a province's communes today, summed: how many counted assessments gave a
    criterion one score, per framework and province. The whole country's means per criterion (the
    administrator's summary and training needs) read a few thousand rows instead of CriterionTotal's
    360,000 a framework (64 ms on national data). Kept by assessments.totals with CriterionTotal, under the
    lock of the provinces concerned: exactly CriterionTotal grouped by its communes' provinces today."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="+", db_index=False)
    #: the province today of the communes whose rows are summed
    province = models.ForeignKey("branches.Province", on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+", db_index=False)
    value = models.PositiveSmallIntegerField()
    n = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion totals per province")
        verbose_name_plural = _("criterion totals per province")
        ordering = ["framework", "province", "criterion", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "province", "criterion", "value"], name="province_criterion_total_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_id}/{self.criterion_id}={self.value}: {self.n}"
