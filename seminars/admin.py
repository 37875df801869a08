from django.contrib import admin
from django.core.exceptions import ValidationError

from branches.admin import EstimatedCountPaginator
from core.admin import FoldedSearchMixin, HistoryAdmin, KeysetAdminMixin
from core.versioning import VERSION_FIELD, VersionedAdminForm, VersionedAdminMixin

from . import services, totals
from .models import Initiative, Photo, Programme, Proposal, Seminar, Theme


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


class ProposalInline(admin.TabularInline):
    model = Proposal
    extra = 0
    # Each row carries its version too: a follow-up made on the portal meanwhile is not overwritten here.
    form = VersionedAdminForm
    fields = ["text", "responsible", "due_on", "status", "result", VERSION_FIELD]


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    fields = ["image", "caption"]
    readonly_fields = ["image"]

    def has_add_permission(self, request, obj=None):
        return False  # photos are verified and re-encoded by the portal's upload, not here


class OrganisedAdmin(FoldedSearchMixin, admin.ModelAdmin):
    show_full_result_count = False
    list_select_related = ["province", "district", "commune"]
    autocomplete_fields = ["province", "district", "commune"]
    list_filter = ["province"]


@admin.register(Programme)
class ProgrammeAdmin(VersionedAdminMixin, OrganisedAdmin, HistoryAdmin):
    list_display = ["name", "from_year", "to_year", "province", "district", "commune"]
    search_fields = ["title_key", "name"]


class SeminarAdminForm(VersionedAdminForm):
    """The portal's refusal of a seminar recorded twice (same organiser, day and title) holds here too."""

    def _post_clean(self):
        super()._post_clean()  # the instance now carries what was typed
        seminar = self.instance
        if self.errors or seminar.province_id is None or not seminar.title or seminar.held_on is None:
            return
        try:
            services.check_not_recorded_twice(seminar)
        except ValidationError as error:
            self.add_error("title", error)


@admin.register(Seminar)
class SeminarAdmin(KeysetAdminMixin, VersionedAdminMixin, OrganisedAdmin, HistoryAdmin):
    form = SeminarAdminForm
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_display = ["title", "held_on", "commune", "district", "province", "other_attendees"]
    search_fields = ["title_key"]
    date_hierarchy = "held_on"
    autocomplete_fields = ["province", "district", "commune", "programme", "participants"]
    readonly_fields = ["created_by"]
    inlines = [ThemeInline, ProposalInline, PhotoInline]

    # Changes here bypass seminar_save: the attendance per year is recomputed for the people and years the
    # seminar counted for before and after (participants are saved with the related objects).
    def save_model(self, request, obj, form, change):
        obj._before = totals.seminar_before(obj)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        totals.seminar_changed(form.instance, before=getattr(form.instance, "_before", (set(), set())))

    def delete_model(self, request, obj):
        years, people = totals.seminar_before(obj)
        super().delete_model(request, obj)
        totals.attendance_refresh(years=years, people=people)

    def delete_queryset(self, request, queryset):
        rows = list(queryset.values_list("held_on__year", "participants"))
        super().delete_queryset(request, queryset)
        totals.attendance_refresh(
            years={year for year, _person in rows}, people={person for _year, person in rows if person}
        )


@admin.register(Proposal)
class ProposalAdmin(KeysetAdminMixin, VersionedAdminMixin, FoldedSearchMixin, HistoryAdmin):
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_display = ["__str__", "seminar", "responsible", "due_on", "status"]
    list_filter = ["status"]
    list_select_related = ["seminar"]
    search_fields = ["search_key"]  # the proposal and its responsible unit, folded
    autocomplete_fields = ["seminar"]


@admin.register(Initiative)
class InitiativeAdmin(VersionedAdminMixin, OrganisedAdmin, HistoryAdmin):
    list_display = ["name", "from_year", "to_year", "commune", "district", "province"]
    search_fields = ["title_key", "name"]
    autocomplete_fields = ["province", "district", "commune", "programme", "communes", "branches", "seminars"]
