from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from branches.admin import EstimatedCountPaginator, ProvinceWithPredecessorsListFilter
from core.admin import FoldedSearchMixin, HistoryAdmin, KeysetAdminMixin
from core.text import fold
from core.versioning import VERSION_FIELD, VersionedAdminForm, VersionedAdminMixin

from .models import Correction, Invitation, Person, Term
from .phones import search_digits


class TermInline(admin.TabularInline):
    model = Term
    # Each row carries its version too: a term ended on the portal meanwhile is not overwritten from here.
    form = VersionedAdminForm
    fields = ["branch", "role", "started_on", "expected_end_on", "ended_on", "end_reason", VERSION_FIELD]
    autocomplete_fields = ["branch"]
    extra = 0
    show_change_link = True


@admin.register(Person)
class PersonAdmin(KeysetAdminMixin, VersionedAdminMixin, FoldedSearchMixin, HistoryAdmin):
    code_search_field = None
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_display = [
        "full_name",
        "gender",
        "date_of_birth",
        "ethnicity",
        "is_party_member",
        "district",
        "phone",
    ]
    list_filter = [
        "gender",
        "is_party_member",
        "political_theory_level",
        "education_level",
        ("province", ProvinceWithPredecessorsListFilter),
    ]
    list_select_related = ["district"]
    search_fields = ["name_key"]
    search_help_text = _("Search by name (with or without diacritics) or phone number")
    autocomplete_fields = ["province", "district"]
    readonly_fields = ["created_at", "updated_at"]

    def get_search_results(self, request, queryset, search_term):
        # Digits are a phone number, typed with spaces or without (the portal's own search does the same).
        if search_term.strip() and search_digits(search_term) and not fold(search_term).strip(" 0123456789+"):
            return queryset.filter(phone_digits__contains=search_digits(search_term)), False
        return super().get_search_results(request, queryset, search_term)

    inlines = [TermInline]


@admin.register(Term)
class TermAdmin(KeysetAdminMixin, VersionedAdminMixin, FoldedSearchMixin, HistoryAdmin):
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    list_display = ["person", "role", "branch", "started_on", "expected_end_on", "ended_on"]
    list_filter = ["role", ("ended_on", admin.EmptyFieldListFilter)]
    list_select_related = ["person", "branch__commune"]
    search_fields = ["person__name_key", "branch__name_key"]
    autocomplete_fields = ["person", "branch"]
    date_hierarchy = "started_on"


@admin.register(Invitation)
class InvitationAdmin(FoldedSearchMixin, admin.ModelAdmin):
    """Invitations to secretaries' accounts, read-only (the code itself is never stored)."""

    list_display = ["person", "channel", "invited_by", "created_at", "expires_at", "used_at", "revoked_at"]
    list_filter = ["channel", "created_at"]
    list_select_related = ["person", "invited_by"]
    exclude = ["token_hash"]
    readonly_fields = ["person", "invited_by"]
    search_fields = ["person__name_key"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Correction)
class CorrectionAdmin(FoldedSearchMixin, HistoryAdmin):
    """Corrections proposed by secretaries; decided on the portal by the unit's officers, read here."""

    list_display = ["person", "status", "created_at", "decided_by", "decided_at"]
    list_filter = ["status", "sensitive", "created_at"]
    list_select_related = ["person", "decided_by"]
    readonly_fields = ["person", "proposed_by", "decided_by"]
    search_fields = ["person__name_key"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
