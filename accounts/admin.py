from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "province", "district", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_superuser", "province"]
    list_select_related = ["province", "district"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["province", "district"]
    fieldsets = (
        *BaseUserAdmin.fieldsets[:2],
        (_("Role and scope"), {"fields": ("role", "province", "district")}),
        *BaseUserAdmin.fieldsets[2:],
    )

    def save_model(self, request, obj, form, change):
        # The administrator role is what Django admin calls a superuser; keep the two in step when the
        # role is changed here (a superuser made by createsuperuser keeps its rights without a role).
        if "role" in form.changed_data:
            obj.is_staff = obj.is_superuser = obj.role == User.Role.ADMINISTRATOR
        super().save_model(request, obj, form, change)

    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (
            _("Role and scope"),
            {"fields": ("first_name", "last_name", "email", "role", "province", "district")},
        ),
    )
