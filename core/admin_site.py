"""Django admin's site, as the portal sets it up: its autocomplete labels each choice by the model's
`admin_label` where it has one (branches.models.Commune.admin_label, secretaries.models.Person.admin_label),
so two units or two people of one name are told apart where an account is bound to one of them.

Installed in place of "django.contrib.admin" (config/settings/base.py: `PortalAdminConfig`); `admin.site`
and `@admin.register` reach this site as they would Django's.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView

from .text import alphabet_key


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete; a result's text is the object's `admin_label` when its model has one, read
    with the relations its ModelAdmin names in `autocomplete_select_related` (one query a page)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        related = getattr(self.model_admin, "autocomplete_select_related", ())
        return queryset.select_related(*related) if related else queryset

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(obj, "admin_label", None)
        if label:
            result["text"] = str(label)
        return result


class PortalAdminSite(admin.AdminSite):
    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)

    def get_app_list(self, request, app_label=None):
        # Django sorts the sections and their models by code point: "Đánh giá kỹ năng" came after "Xác
        # thực", "Tuyên dương" before "Tài khoản". In the Vietnamese alphabet instead.
        apps = super().get_app_list(request, app_label)
        apps.sort(key=lambda app: alphabet_key(str(app["name"])))
        for app in apps:
            app["models"].sort(key=lambda model: alphabet_key(str(model["name"])))
        return apps


class PortalAdminConfig(AdminConfig):
    default_site = "core.admin_site.PortalAdminSite"
