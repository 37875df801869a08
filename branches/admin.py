import datetime

import tablib
from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from import_export.forms import ExportForm

from core import aggregates
from core.admin import (
    LARGE_LIST_PER_PAGE,
    AuditedImportExportMixin,
    FoldedSearchMixin,
    HistoryAdmin,
    KeysetAdminMixin,
    UnitsChosenListFilter,
    titled,
)
from core.versioning import VersionedAdminMixin

from .exports import branch_sheet
from .models import (
    Branch,
    BranchAttachment,
    BranchSuccession,
    Commune,
    CommuneSuccession,
    District,
    DistrictSuccession,
    Province,
    ProvinceSuccession,
)


class ProvinceWithPredecessorsListFilter(UnitsChosenListFilter):
    """A province filter for records kept by a province today: one formed in the 2025 reform brings the
    records of the provinces that went into it (Vĩnh Long: Trà Vinh's and Bến Tre's people, whose
    `province` still names the province of their time), as its staff read them (User.scope_province_ids).
    An ended province finds its own records only."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = _("province (with those merged into it)")

    def matching(self, queryset, ids: list[int]):
        provinces = Province.objects.with_predecessors(ids).values("pk")
        return queryset.filter(**{f"{self.field_path}__in": provinces})


class EstimatedCountPaginator(Paginator):
    """On PostgreSQL, an unfiltered list of a large table is paged with the planner's row estimate.

    An exact COUNT(*) of a national table (100,000+ branches, later secretaries and assessments) is the
    slowest part of an admin page and adds nothing: "about 100,000" is what the administrator needs.
    Filtered lists are counted up to CAP + 1 rows, small tables exactly. Only the pages of the first CAP
    rows are offered (an OFFSET of 100,000 reads 100,000 rows); `more` says there are rows past them, which
    core.admin.KeysetChangeList reaches by key.
    """

    ESTIMATE_ABOVE = 10_000
    CAP = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [queryset.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] > self.ESTIMATE_ABOVE:
                self.estimated = True
                return row[0]
        return queryset.order_by()[: self.CAP + 1].count()

    estimated = False

    @property
    def more(self) -> bool:
        return self.count > self.CAP

    @cached_property
    def num_pages(self) -> int:
        if self.count == 0 and not self.allow_empty_first_page:
            return 0
        return max(1, -(-min(self.count, self.CAP) // self.per_page))


class UnitAdmin(VersionedAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    paginator = EstimatedCountPaginator
    search_fields = ["name_key"]
    code_search_field = "code"
    search_help_text = _("Search by name (with or without diacritics) or by code")
    show_full_result_count = False
    list_per_page = LARGE_LIST_PER_PAGE
    readonly_fields = ["name_key_shown"]

    @admin.display(description=_("name without diacritics (for search)"))
    def name_key_shown(self, obj):
        return obj.name_key


def _lineage_inline(succession_model, fk_name: str, label):
    """An inline of the units this one went into (fk_name "predecessor") or came from ("successor")."""
    other = "successor" if fk_name == "predecessor" else "predecessor"
    return type(
        f"{succession_model.__name__}{fk_name.title()}Inline",
        (admin.TabularInline,),
        {
            "model": succession_model,
            "fk_name": fk_name,
            "fields": [other, "on", "partly"],
            "autocomplete_fields": [other],
            "extra": 0,
            "verbose_name_plural": label,
        },
    )


def _lineage_inlines(succession_model) -> list:
    return [
        _lineage_inline(succession_model, "predecessor", _("Merged into")),
        _lineage_inline(succession_model, "successor", _("Formed from")),
    ]


@admin.register(Province)
class ProvinceAdmin(UnitAdmin):
    list_display = ["code", "name", "kind", "began_on", "ended_on"]
    list_filter = ["kind", ("ended_on", admin.EmptyFieldListFilter)]
    inlines = _lineage_inlines(ProvinceSuccession)


@admin.register(District)
class DistrictAdmin(UnitAdmin):
    list_display = ["code", "name", "kind", "province", "ended_on"]
    list_filter = ["kind", "province", ("ended_on", admin.EmptyFieldListFilter)]
    list_select_related = ["province"]
    autocomplete_select_related = ["province"]  # District.admin_label
    autocomplete_fields = ["province"]
    inlines = _lineage_inlines(DistrictSuccession)


@admin.register(Commune)
class CommuneAdmin(UnitAdmin):
    list_display = ["code", "name", "kind", "district", "province", "began_on", "ended_on"]
    list_filter = ["kind", "province", ("ended_on", admin.EmptyFieldListFilter)]
    list_select_related = ["district", "province"]
    autocomplete_select_related = ["district", "province"]  # Commune.admin_label
    autocomplete_fields = ["province", "district"]
    inlines = _lineage_inlines(CommuneSuccession)


class BranchAttachmentInline(admin.TabularInline):
    """The communes a branch belonged to before a reform re-attached it: written by branches_reattach."""

    model = BranchAttachment
    fields = ["commune", "ended_on"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class BranchSuccessionInline(admin.TabularInline):
    """What a branch went into when hamlets were re-arranged: written by the merge and split services (which
    also settle terms), so read-only here."""

    model = BranchSuccession
    fk_name = "predecessor"
    fields = ["successor", "on", "kind"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


def _date(value):
    return formats.date_format(value, "SHORT_DATE_FORMAT") if isinstance(value, datetime.date) else value


class BranchSheetExport:
    """Django admin's export of branches (its search and filters) in the columns of the portal's own "Xuất
    Excel", defined once in branches.exports: Vietnamese headers, units and kinds by name, numbers as numbers,
    dates dd/mm/yyyy (as text: tablib writes a date cell yyyy-mm-dd). Put between AuditedImportExportMixin,
    which records the export, and ExportMixin."""

    # No choice of the model's raw fields (ids, keys, versions): the sheet's columns.
    export_form_class = ExportForm

    def init_request_context_data(self, request, form):
        # The page says the file's columns, not the default resource's model fields ("id, version, commune…").
        context = super().init_request_context_data(request, form)
        headers, _rows = branch_sheet(Branch.objects.none(), user=request.user)
        context["fields_list"] = [(None, [str(header) for header in headers])]
        return context

    def get_data_for_export(self, request, queryset, **kwargs):
        headers, rows = branch_sheet(queryset, user=request.user)
        return tablib.Dataset(
            *([_date(value) for value in row] for row in rows),
            headers=[str(header) for header in headers],
            title=str(_("Branches")),  # the sheet's name, as the portal's export (not "Tablib Dataset")
        )

    def get_export_filename(self, request, queryset, file_format):
        # Today in Vietnam, not in UTC (import-export's own name: "Branch-2026-12-07" at 07:00 on the 8th).
        return f"chi-doan-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"


@admin.register(Branch)
class BranchAdmin(
    KeysetAdminMixin,
    VersionedAdminMixin,
    FoldedSearchMixin,
    AuditedImportExportMixin,
    BranchSheetExport,
    ExportMixin,
    HistoryAdmin,
):
    paginator = EstimatedCountPaginator
    list_display = ["name", "kind", "commune", "district_name", "member_count", "founded_on", "is_active"]
    list_filter = [
        "kind",
        ("is_active", titled(admin.BooleanFieldListFilter, _("active status"))),
        ("ended_on", admin.EmptyFieldListFilter),
        "commune__province",
    ]
    list_select_related = ["commune__district"]
    autocomplete_select_related = ["commune"]  # Branch.admin_label
    search_fields = ["name_key", "commune__name_key", "commune__district__name_key"]
    search_help_text = _("Search by branch, commune or district (with or without diacritics)")
    autocomplete_fields = ["commune"]
    show_full_result_count = False
    readonly_fields = ["created_at", "updated_at"]
    inlines = [BranchAttachmentInline, BranchSuccessionInline]

    @admin.display(description=_("District"), ordering="commune__district__name_key")
    def district_name(self, obj):
        return obj.commune.district.name if obj.commune.district_id else "—"

    def save_model(self, request, obj, form, change):
        was = Branch.objects.filter(pk=obj.pk).values_list("commune", flat=True).first()
        super().save_model(request, obj, form, change)
        if was is not None and was != obj.commune_id:
            # Past the services: the aggregates keyed by a branch's commune today follow it (core.aggregates).
            aggregates.branches_moved(communes={was, obj.commune_id})
