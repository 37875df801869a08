"""Campaigns, nominations and commendations in Django admin. Statuses, reviews, decisions and revocations
change only through the portal's services (awards/services.py), so admin shows them read-only; a
commendation is never deleted (Law 06/2022/QH15: it is revoked)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import LARGE_LIST_PER_PAGE, FoldedSearchMixin, HistoryAdmin
from core.versioning import VersionedAdminMixin

from .models import Campaign, Commendation, Nomination, Quota


class QuotaInline(admin.TabularInline):
    model = Quota
    extra = 0
    autocomplete_fields = ["district", "commune"]


@admin.register(Campaign)
class CampaignAdmin(VersionedAdminMixin, FoldedSearchMixin, HistoryAdmin):
    show_full_result_count = False
    list_display = ["title", "year", "province", "status", "opens_on", "closes_on", "decision_number"]
    list_filter = ["status", "year"]
    list_select_related = ["province"]
    search_fields = ["title_key"]
    autocomplete_fields = ["province"]
    readonly_fields = ["status", "decision_number", "decision_date", "decided_by", "created_by", "created_at"]
    inlines = [QuotaInline]


@admin.register(Nomination)
class NominationAdmin(VersionedAdminMixin, FoldedSearchMixin, HistoryAdmin):
    show_full_result_count = False
    list_per_page = LARGE_LIST_PER_PAGE
    # Newest first, by the primary key's index: the model's order (campaign year, district and commune
    # codes) joins and sorts every nomination of the country for each page (~95 ms on national data).
    ordering = ["-pk"]
    list_display = ["person", "campaign", "district", "commune", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status", "campaign__year"]
    list_select_related = ["person", "campaign", "district", "commune"]
    search_fields = ["person__name_key"]
    autocomplete_fields = ["campaign", "person", "branch", "district", "commune"]
    readonly_fields = [
        "province",
        "status",
        "rejection_reason",
        "submitted_at",
        "reviewed_at",
        "reviewed_by",
        "created_by",
        "created_at",
    ]


@admin.register(Commendation)
class CommendationAdmin(VersionedAdminMixin, FoldedSearchMixin, HistoryAdmin):
    show_full_result_count = False
    list_display = ["person", "year", "district", "commune", "campaign", "revoked_on"]
    list_filter = ["year"]
    list_select_related = ["person", "district", "commune", "campaign"]
    search_fields = ["person__name_key"]
    readonly_fields = [
        "nomination",
        "campaign",
        "person",
        "branch",
        "district",
        "commune",
        "province",
        "year",
        "revoked_on",
        "revocation_reason",
        "revoked_by",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False  # made by publishing a campaign's decision

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted


# Who decided and who created a campaign or a nomination have no verbose name in the model, so admin showed
# "Decided by", "Created by" in English: named here (a label only, not stored, so no migration follows).
for _model, _name, _label in (
    (Campaign, "decided_by", _("decision recorded by")),
    (Campaign, "created_by", _("created by")),
    (Nomination, "created_by", _("created by")),
):
    if not _model._meta.get_field(_name)._verbose_name:
        _model._meta.get_field(_name).verbose_name = _label
