from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ReminderSent, SecurityEvent, SensitiveDataAccess
from .security_log import security_event


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Recent security events, newest first; read-only (the record must not be edited)."""

    list_display = ["created_at", "level", "event", "user_number", "user", "address", "details_text"]
    list_filter = ["event", "level", "created_at"]
    list_select_related = ["user"]
    search_fields = ["event", "address"]
    date_hierarchy = "created_at"
    list_per_page = 100

    @admin.display(description=_("user number"), ordering="user_id")
    def user_number(self, obj):
        return obj.user_id

    @admin.display(description=_("details"))
    def details_text(self, obj):
        return obj.details_text

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """The log of the reminder digests (core/reminders.py): what was mailed to whom and when; read-only."""

    list_display = ["sent_on", "user", "kind", "key"]
    list_filter = ["kind", "sent_on"]
    list_select_related = ["user"]
    search_fields = ["user__username", "key"]
    date_hierarchy = "sent_on"
    list_per_page = 100
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SensitiveDataAccess)
class SensitiveDataAccessAdmin(admin.ModelAdmin):
    """Every export that carried sensitive personal data (religion), newest first; read-only."""

    list_display = ["created_at", "user", "what", "fields", "rows", "filters", "subject_id"]
    list_filter = ["what", "created_at"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    list_per_page = 100

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedImportExportMixin:
    """Put before django-import-export's ExportMixin / ImportMixin on a ModelAdmin: each export and import
    is a security event with the model and the number of rows (ASVS V16)."""

    def get_data_for_export(self, request, queryset, **kwargs):
        data = super().get_data_for_export(request, queryset, **kwargs)
        security_event("data.export", request=request, what=self.model._meta.label_lower, rows=len(data))
        return data

    def process_result(self, result, request):
        totals = getattr(result, "totals", {})
        security_event(
            "data.import",
            request=request,
            what=self.model._meta.label_lower,
            rows=getattr(result, "total_rows", None),
            **{f"rows_{kind}": count for kind, count in totals.items() if count},
        )
        return super().process_result(result, request)
