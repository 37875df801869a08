import logging

from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q, Subquery
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from branches.models import Province
from core.admin import FoldedSearchMixin, PermissionLabelsMixin, UnitsChosenListFilter, titled
from core.security_log import security_event
from core.sessions import sessions_end

from . import mfa
from .models import User


class AccountProvinceListFilter(UnitsChosenListFilter):
    """The accounts of a province: its staff, and the officers of its districts and communes and its
    secretaries, whose own `province` is empty (an account names only the unit it works for). A secretary
    is the province's who leads one of its branches today, or whose record is of the province or of one
    that went into it (a secretary of Trà Vinh's hamlets is Vĩnh Long's since 2025)."""

    def matching(self, queryset, ids: list[int]):
        serving = queryset.model.objects.filter(
            person__terms__ended_on__isnull=True, person__terms__branch__commune__province__in=ids
        )
        return queryset.filter(
            Q(province__in=ids)
            | Q(district__province__in=ids)
            | Q(commune__province__in=ids)
            | Q(pk__in=serving.values("pk"))
            | Q(person__province__in=Province.objects.with_predecessors(ids).values("pk"))
        )


#: the fields whose change is a change of what the account may see or do (audited)
RIGHTS_FIELDS = (
    "role",
    "province",
    "district",
    "commune",
    "person",
    "is_superuser",
    "is_staff",
    "is_active",
    "groups",
    "user_permissions",
)
# django-otp's own admin pages show a device's QR code (its secret) and let one add a device with a chosen
# key to anyone: an administrator could then pass another person's second step. Admins manage the second
# factor only through the reset action below.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


# django-axes labels its fields in title case ("Attempt Time"), which its filters' titles keep after "Theo"
# ("Theo Thời điểm thử"): they are titled in lower case, as every other list's filters are.
_AXES_FILTERS = {
    "attempt_time": titled(admin.DateFieldListFilter, _("attempt time")),
    "logout_time": titled(admin.DateFieldListFilter, _("logout time")),
    "path_info": titled(admin.AllValuesFieldListFilter, _("path")),
    "locked_out": titled(admin.BooleanFieldListFilter, _("lockout status")),
    axes_admin.IsLockedOutFilter: titled(axes_admin.IsLockedOutFilter, _("lockout status")),
}


def _axes_filters(list_filter) -> list:
    return [(f, _AXES_FILTERS[f]) if isinstance(f, str) else _AXES_FILTERS.get(f, f) for f in list_filter]


for _model in (AccessAttempt, AccessLog, AccessFailureLog):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(axes_admin.AccessAttemptAdmin):
    list_filter = _axes_filters(axes_admin.AccessAttemptAdmin.list_filter)

    @admin.display(description=_("status"))
    def status(self, obj):
        # axes writes "4 Attempt Remaining": the number before English words, whatever the language.
        left = settings.AXES_FAILURE_LIMIT - obj.failures_since_start
        if left > 0:
            return ngettext("%(count)d attempt left", "%(count)d attempts left", left) % {"count": left}
        return _("Locked Out")


@admin.register(AccessLog)
class AccessLogAdmin(axes_admin.AccessLogAdmin):
    list_filter = _axes_filters(axes_admin.AccessLogAdmin.list_filter)


@admin.register(AccessFailureLog)
class AccessFailureLogAdmin(axes_admin.AccessFailureLogAdmin):
    list_filter = _axes_filters(axes_admin.AccessFailureLogAdmin.list_filter)


# Django's label of `is_superuser`, said in the project's catalogue ("Quyền quản trị tối cao", as in
# docs/glossary.md), which LOCALE_PATHS puts before Django's own ("Trạng thái superuser").
gettext_noop("superuser status")

if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(PermissionLabelsMixin, BaseGroupAdmin):
    pass


class RoleScopeChecks:
    """The role's unit checked field by field, each message beside its field (the database's constraint
    would say it all in one sentence at the top), and a commune officer only for a commune of today."""

    def clean(self):
        cleaned = super().clean()
        if "role" not in self.fields or "role" in self.errors:
            return cleaned
        role = cleaned.get("role") or ""
        # An account without a role opens no page of the portal (each answered 403). Only an account meant
        # for Django admin alone keeps none: a superuser (createsuperuser's, which the portal counts as an
        # administrator) or a staff account, on its change form; taking the role away clears both
        # (UserAdmin.save_model), so that is refused too.
        admin_only = "role" not in self.changed_data and any(
            cleaned.get(name, getattr(self.instance, name)) for name in ("is_superuser", "is_staff")
        )
        if not role and not admin_only:
            self.add_error(
                "role",
                _("Choose a role: an account without one opens no page of the portal."),
            )
            return cleaned
        label = User.Role(role).label if role else _("No role assigned")
        wanted = User.UNIT_OF_ROLE.get(role)
        for name in (*User.UNIT_FIELDS, "person"):
            if name not in self.fields or name in self.errors:
                continue
            value = cleaned.get(name)
            if name == wanted and value is None:
                self.add_error(name, _("The role “%(role)s” needs this.") % {"role": label})
            elif name != wanted and value is not None:
                self.add_error(name, _("Leave this empty for the role “%(role)s”.") % {"role": label})
        commune = cleaned.get("commune")
        if role == User.Role.COMMUNE_OFFICER and commune is not None and commune.ended_on is not None:
            self.add_error(
                "commune",
                _(
                    "%(commune)s ended on %(date)s: a commune officer works for one of today's communes "
                    "(the one that took it over is in its history)."
                )
                % {"commune": commune.admin_label, "date": formats.date_format(commune.ended_on, "d/m/Y")},
            )
        return cleaned


class UserAddForm(RoleScopeChecks, AdminUserCreationForm):
    pass


class UserEditForm(RoleScopeChecks, UserChangeForm):
    pass


@admin.register(User)
class UserAdmin(PermissionLabelsMixin, FoldedSearchMixin, BaseUserAdmin):
    form = UserEditForm
    add_form = UserAddForm
    list_display = [
        "username",
        "full_name",
        "role",
        "account_province",
        "district",
        "commune",
        "is_active",
        "second_factor",
        "last_login",
    ]
    list_filter = [
        "role",
        ("is_active", titled(admin.BooleanFieldListFilter, _("active status"))),
        ("is_superuser", titled(admin.BooleanFieldListFilter, _("superuser rights"))),
        ("province", AccountProvinceListFilter),
    ]
    list_select_related = ["province", "district__province", "commune__province", "person__province"]
    # The name folded, and the unit the account works for ("tap ngai" finds Xã Tập Ngãi's officers).
    search_fields = [
        "username",
        "email",
        "name_key",
        "province__name_key",
        "district__name_key",
        "commune__name_key",
    ]
    autocomplete_fields = ["province", "district", "commune", "person"]
    actions = ["end_sessions", "reset_second_factor"]
    fieldsets = (
        BaseUserAdmin.fieldsets[0],
        # A Vietnamese name is written family name first.
        (BaseUserAdmin.fieldsets[1][0], {"fields": ("last_name", "first_name", "email")}),
        # "person": a branch secretary's account is bound to their record (the form checks the role's
        # constraint only over the fields it shows).
        (_("Role and scope"), {"fields": ("role", "province", "district", "commune", "person")}),
        *BaseUserAdmin.fieldsets[2:],
    )

    def has_delete_permission(self, request, obj=None):
        # An account is deactivated (Active unticked, its sessions ended), never deleted: deleting took with
        # it Django admin's record of every change the account made (its log entries, by cascade).
        return False

    def delete_view(self, request, object_id, extra_context=None):
        # Asked for anyway (an old bookmark, a typed address): said in admin, on the account's own page,
        # rather than the portal's page of refusal.
        user = self.get_object(request, object_id)
        if user is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        messages.warning(
            request,
            _("An account is not deleted: untick “Active” and save to close it (its sessions end)."),
        )
        return redirect(reverse("admin:accounts_user_change", args=[user.pk]))

    def get_queryset(self, request):
        # Whether each user has set up two-step verification, in the same query as the list.
        confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        # A secretary's province is that of the branch they lead today (their record may name the province
        # of its time: Trà Vinh for a hamlet of Vĩnh Long since 2025), read in the same query.
        leading = Province.objects.filter(
            communes__branches__terms__person=OuterRef("person"),
            communes__branches__terms__ended_on__isnull=True,
        ).values("name")[:1]
        return (
            super()
            .get_queryset(request)
            .annotate(has_second_factor=Exists(confirmed), province_led=Subquery(leading))
        )

    @admin.display(description=_("Full name"), ordering="last_name")
    def full_name(self, obj) -> str:
        return obj.get_full_name()

    @admin.display(description=_("province"))
    def account_province(self, obj):
        """The province of the unit the account works for (a commune officer's: its commune's; a
        secretary's: that of the branch they lead, else their record's)."""
        if getattr(obj, "province_led", None):
            return obj.province_led
        for unit in (obj.province, obj.district, obj.commune, obj.person):
            if unit is not None:
                return unit if unit is obj.province else unit.province
        return None

    @admin.display(boolean=True, description=_("Two-step verification"), ordering="has_second_factor")
    def second_factor(self, obj) -> bool:
        return obj.has_second_factor

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
                commune=obj.commune_id,
                is_superuser=obj.is_superuser,
                is_staff=obj.is_staff,
                is_active=obj.is_active,
            )

    def _confirm_action(self, request, queryset, *, action: str, title, message, submit):
        """The confirmation page of an action on users, like Django's own before a bulk delete."""
        return TemplateResponse(
            request,
            "admin/accounts/user/action_confirmation.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "message": message,
                "submit": submit,
                "action": action,
                "opts": self.model._meta,
                "queryset": queryset,
                "action_checkbox_name": ACTION_CHECKBOX_NAME,
            },
        )

    @admin.action(description=_("End all sessions of the selected users"), permissions=["change"])
    def end_sessions(self, request, queryset):
        """Signs the users out everywhere, after a confirmation page (like Django's own delete action)."""
        if request.POST.get("post") != "yes":
            return self._confirm_action(
                request,
                queryset,
                action="end_sessions",
                title=_("End all sessions?"),
                message=_(
                    "These users will be signed out on every device and browser at once. "
                    "They can log in again with their password."
                ),
                submit=_("Yes, end their sessions"),
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
            {
                "fields": (
                    "last_name",
                    "first_name",
                    "email",
                    "role",
                    "province",
                    "district",
                    "commune",
                    "person",
                )
            },
        ),
    )

    @admin.action(description=_("Reset two-step verification of the selected users"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        """For a lost phone: remove the user's authenticator and recovery codes, after a confirmation page.
        Users whose role requires it set up a new one at their next page; each reset is in the security
        log and in the user's admin history."""
        if request.POST.get("post") != "yes":
            return self._confirm_action(
                request,
                queryset,
                action="reset_second_factor",
                title=_("Reset two-step verification"),
                message=_(
                    "Their authenticator and recovery codes will be removed. Administrators and provincial "
                    "staff must set up a new authenticator at their next page; others log in with their "
                    "password only until they set one up."
                ),
                submit=_("Yes, reset"),
            )
        count = 0
        for user in queryset:
            if mfa.second_factor_remove(user=user):
                count += 1
                security_event("mfa.reset", request=request, target=user.pk)
                self.log_change(request, user, str(_("Two-step verification reset.")))
        self.message_user(
            request,
            ngettext(
                "Two-step verification reset for %(count)d user.",
                "Two-step verification reset for %(count)d users.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
        return None
