from django.contrib import admin
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from branches.admin import EstimatedCountPaginator, ProvinceWithPredecessorsListFilter
from core.admin import FoldedSearchMixin, HistoryAdmin, KeysetAdminMixin
from core.text import fold
from core.versioning import VERSION_FIELD, VersionedAdminForm, VersionedAdminMixin

from .models import Correction, Invitation, Person, Term
from .phones import search_digits
from .selectors import person_terms, person_units


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
        "commune_today",
        "recorded_district",
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
    # The name, the district it was recorded under, and (term_matches) the communes and districts of the
    # branches the person led: "tap ngai" finds Xã Tập Ngãi's secretaries.
    search_fields = ["name_key", "district__name_key"]
    search_help_text = _(
        "Search by name (with or without diacritics), phone number, or the commune or district of a branch "
        "the person led"
    )
    autocomplete_fields = ["province", "district"]
    readonly_fields = ["managing_unit", "created_at", "updated_at"]

    #: the person's own province and district are the units the record was made under, not those that keep
    #: it today (the branch they lead, re-attached by the 2025 reform): labelled so, as the portal does
    RECORDED_LABELS = {
        "province": _("Province when recorded"),
        "district": _("District when recorded"),
    }

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.RECORDED_LABELS:
            kwargs["label"] = self.RECORDED_LABELS[db_field.name]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        # The commune of the branch the person leads today, else of the one they led last (the unit that
        # keeps the record: selectors.keeping_terms), in the list's own query: 50 index lookups a page. The
        # paginator's capped count wraps this query, and PostgreSQL drops an output it does not read.
        keeping = (
            Term.objects.filter(person=OuterRef("pk"))
            .order_by(ExpressionWrapper(Q(ended_on__isnull=False), BooleanField()), "-started_on", "-pk")
            .values("branch__commune__name")[:1]
        )
        return super().get_queryset(request).annotate(commune_today=Subquery(keeping))

    @admin.display(description=_("Commune managing the record"))
    def commune_today(self, obj):
        return obj.commune_today or "—"

    @admin.display(description=_("District when recorded"), ordering="district__name_key")
    def recorded_district(self, obj):
        return obj.district or "—"

    @admin.display(description=_("Unit managing the record"))
    def managing_unit(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        units = person_units(obj, list(person_terms(obj)))
        return ", ".join(units[level].name for level in ("commune", "district", "province") if units[level])

    def term_matches(self, term: str, fields) -> Q:
        # A person's branches are many rows: asked as EXISTS, not joined (a join needs a DISTINCT over the
        # whole list, which issue 15 took away).
        led = Term.objects.filter(person=OuterRef("pk")).filter(
            Q(branch__commune__name_key__contains=term)
            | Q(branch__commune__district__name_key__contains=term)
        )
        return super().term_matches(term, fields) | Q(Exists(led))

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
    list_filter = ["role", ("ended_on", admin.EmptyFieldListFilter), "branch__commune__province"]
    list_select_related = ["person", "branch__commune"]
    # The person, the branch, and its commune and district (foreign keys one way: no DISTINCT).
    search_fields = [
        "person__name_key",
        "branch__name_key",
        "branch__commune__name_key",
        "branch__commune__district__name_key",
    ]
    search_help_text = _("Search by person, branch, commune or district (with or without diacritics)")
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
