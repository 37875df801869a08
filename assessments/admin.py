from django.contrib import admin, messages
from django.db import IntegrityError
from django.utils.translation import gettext_lazy as _

from branches.admin import EstimatedCountPaginator
from core.admin import FoldedSearchMixin, HistoryAdmin, KeysetAdminMixin, RelatedWithRowsFieldListFilter
from core.versioning import VersionedAdminMixin

from . import services, totals
from .models import (
    FROZEN_FRAMEWORK_FIELDS,
    Assessment,
    Criterion,
    Framework,
    GroupScore,
    RatingCondition,
    Score,
    SkillGroup,
)


def in_use(framework) -> bool:
    """`framework.is_in_use`, asked once per admin page: Django admin asks each inline's permissions for
    every row (24 identical queries on a framework's page). Kept on the instance, which lives for the
    request; the models ask afresh."""
    if not hasattr(framework, "_in_use_on_this_page"):
        framework._in_use_on_this_page = framework.is_in_use
    return framework._in_use_on_this_page


class FrozenWhenUsedInline(admin.TabularInline):
    extra = 0

    def _in_use(self, obj) -> bool:
        return obj is not None and in_use(obj)

    def has_add_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._in_use(obj) and super().has_delete_permission(request, obj)


class SkillGroupInline(FrozenWhenUsedInline):
    model = SkillGroup
    fields = ["order", "name", "max_points"]
    show_change_link = True


class CriterionInline(FrozenWhenUsedInline):
    model = Criterion
    fields = ["order", "name", "description", "weight", "max_points"]

    def _in_use(self, obj) -> bool:
        return obj is not None and in_use(obj.framework)


class RatingConditionInline(FrozenWhenUsedInline):
    model = RatingCondition
    fields = ["rating", "kind", "min_percent"]


@admin.register(Framework)
class FrameworkAdmin(VersionedAdminMixin, FoldedSearchMixin, HistoryAdmin):
    list_display = [
        "year",
        "province_label",
        "name",
        "method",
        "period",
        "self_assessment",
        "scale_min",
        "scale_max",
        "excellent_from",
        "good_from",
        "fulfilled_from",
    ]
    list_filter = [("province", admin.RelatedOnlyFieldListFilter), "year", "method", "period"]
    list_select_related = ["province"]
    autocomplete_fields = ["province"]
    inlines = [SkillGroupInline, RatingConditionInline]
    actions = ["copy_to_next_year"]
    search_fields = ["name_key", "province__name_key"]

    @admin.display(description=_("province"), ordering="province__code")
    def province_label(self, obj) -> str:
        return obj.province.name if obj.province_id else _("Common (every province without its own)")

    def get_readonly_fields(self, request, obj=None):
        # Once assessments use the framework, it is frozen, with its province and year (models.Framework).
        if obj is not None and in_use(obj):
            return (*FROZEN_FRAMEWORK_FIELDS, "province", "year")
        return ()

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and in_use(obj)) and super().has_delete_permission(request, obj)

    @admin.action(description=_("Copy for the following year"))
    def copy_to_next_year(self, request, queryset):
        for framework in queryset:
            try:
                copy = services.framework_copy(framework=framework, year=framework.year + 1)
            except IntegrityError:
                self.message_user(
                    request,
                    _("A framework for %(year)s exists already (%(unit)s).")
                    % {
                        "unit": framework.province.name if framework.province_id else _("common"),
                        "year": framework.year + 1,
                    },
                    messages.ERROR,
                )
            else:
                self.message_user(request, _("“%(name)s” was created.") % {"name": copy.name})


@admin.register(SkillGroup)
class SkillGroupAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["name", "framework", "order"]
    list_filter = ["framework"]
    list_select_related = ["framework__province"]
    inlines = [CriterionInline]
    search_fields = ["name_key"]
    autocomplete_fields = ["framework"]

    def get_readonly_fields(self, request, obj=None):
        frozen = ["framework", "order", "name", "max_points"]
        return frozen if obj is not None and in_use(obj.framework) else []


class ScoreInline(admin.TabularInline):
    model = Score
    fields = ["criterion", "value", "comment"]
    readonly_fields = ["criterion", "value", "comment"]
    extra = 0
    can_delete = False
    #: what each row names, read with the rows (not one query a row)
    names = "criterion"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(self.names)

    def has_add_permission(self, request, obj=None):
        return False


class GroupScoreInline(ScoreInline):
    model = GroupScore
    fields = readonly_fields = ["group", "score"]
    names = "group"


@admin.register(Assessment)
class AssessmentAdmin(KeysetAdminMixin, VersionedAdminMixin, FoldedSearchMixin, HistoryAdmin):
    """Read-mostly: assessments are entered and confirmed in the portal, where the rules live."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # The latest entered first, through the primary key's index: the model's order (assessed_on, which no
    # index covers) sorted all 320,000 assessments, joined, for each page. A click on "assessed on" still
    # sorts by it.
    ordering = ["-pk"]
    list_display = ["person", "framework", "district", "status", "overall_score", "rating", "assessed_on"]
    list_filter = ["framework", "status", "rating", ("province", RelatedWithRowsFieldListFilter)]
    list_select_related = ["person", "framework", "district"]
    # The person, and the commune and district of the branch they led when assessed (the assessment's own).
    search_fields = ["person__name_key", "commune__name_key", "district__name_key"]
    search_help_text = _("Search by person, commune or district (with or without diacritics)")
    autocomplete_fields = ["person", "branch", "assessor", "confirmed_by"]
    readonly_fields = ["overall_score", "rating", "submitted_at", "confirmed_at", "confirmed_by", "status"]
    inlines = [GroupScoreInline, ScoreInline]

    def has_add_permission(self, request):
        return False

    # Edits and deletions here bypass the services: the report totals of the communes concerned (the
    # branch's before and after) are recomputed once the inlines are saved.
    def save_model(self, request, obj, form, change):
        obj._communes_before = set(
            Assessment.objects.filter(pk=obj.pk).values_list("branch__commune", flat=True)
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        totals.communes_changed(getattr(obj, "_communes_before", set()) | {obj.branch.commune_id})

    def delete_model(self, request, obj):
        commune = obj.branch.commune_id
        super().delete_model(request, obj)
        totals.communes_changed({commune})

    def delete_queryset(self, request, queryset):
        communes = set(queryset.values_list("branch__commune", flat=True))
        super().delete_queryset(request, queryset)
        totals.communes_changed(communes)
