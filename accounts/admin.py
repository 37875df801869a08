import logging

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.security_log import security_event
from core.sessions import sessions_end

from .models import User

#: the fields whose change is a change of what the account may see or do (audited)
RIGHTS_FIELDS = (
    "role",
    "province",
    "district",
    "is_superuser",
    "is_staff",
    "is_active",
    "groups",
    "user_permissions",
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "get_full_name", "role", "province", "district", "is_active", "last_login"]
    list_filter = ["role", "is_active", "is_superuser", "province"]
    list_select_related = ["province", "district"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["province", "district"]
    actions = ["end_sessions"]
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
        changed = [name for name in RIGHTS_FIELDS if name in form.changed_data]
        if changed or not change:
            security_event(
                "user.rights_change" if change else "user.create",
                request=request,
                level=logging.WARNING,
                target=obj.pk,
                fields=",".join(changed),
                role=obj.role or "-",
                province=obj.province_id,
                district=obj.district_id,
                is_superuser=obj.is_superuser,
                is_staff=obj.is_staff,
                is_active=obj.is_active,
            )

    @admin.action(description=_("End all sessions of the selected users"), permissions=["change"])
    def end_sessions(self, request, queryset):
        """Signs the users out everywhere, after a confirmation page (like Django's own delete action)."""
        if request.POST.get("post") != "yes":
            return TemplateResponse(
                request,
                "admin/accounts/user/end_sessions_confirmation.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("End all sessions?"),
                    "opts": self.model._meta,
                    "users": queryset,
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        user_ids = list(queryset.values_list("pk", flat=True))
        ended = sessions_end(user_ids=user_ids)
        for pk in user_ids:
            security_event("session.end_all", request=request, level=logging.WARNING, target=pk)
        self.message_user(
            request,
            ngettext("%(count)d session ended.", "%(count)d sessions ended.", ended) % {"count": ended},
            messages.SUCCESS,
        )
        return None

    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (
            _("Role and scope"),
            {"fields": ("first_name", "last_name", "email", "role", "province", "district")},
        ),
    )
