from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import lookup_spawns_duplicates, unquote
from django.contrib.admin.views.main import PAGE_VAR, ChangeList
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from .history import display_value
from .models import ReminderSent, SecurityEvent, SensitiveDataAccess
from .personal_data import field_labels
from .security_log import EVENT_LABELS, event_label, security_event
from .text import alphabet_key, fold, search_terms
from .widgets import ADMIN_TEXT_AREAS


class _PortalHistoryContext(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if field.is_relation:
            # A related object as simple-history hands it (the object, or a DeletedObject, whose pk is None
            # where the field was empty): its name, "—" for none.
            if value is None or getattr(value, "pk", True) is None:
                return "—"
            return super().prepare_delta_change_value(change, value)
        return display_value(field, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """Django admin for a model that keeps a history: its history page writes each change as the portal's
    pages do (core.history.display_value), where django-simple-history wrote the stored values ("None →
    2026-12-06 17:20:23.823934+00:00", "tu_danh_gia → cho_don_vi").

    A past version is read, never restored: "Khôi phục" would write an old row over the record past the
    services and their rules (a revoked commendation un-revoked, a confirmed assessment reopened; it
    answered 500 where the record's version check ran outside a transaction). A malformed address
    (".../582/change/history/") is a page that does not exist: 404, not a server error."""

    formfield_overrides = ADMIN_TEXT_AREAS

    def get_historical_record_context_helper(self, request, historical_record):
        return _PortalHistoryContext(self.model, historical_record)

    def has_change_history_permission(self, request, obj=None):
        return False

    def history_view_title(self, request, obj):
        # django-simple-history titles a history it may not restore "View history" ("Xem lịch sử"); it is
        # the same page as Django admin's own history of an account: "Change history" (GLOSSARY.md).
        return gettext("Change history: %s") % obj

    def _check_ids(self, *ids) -> None:
        for value in ids:
            try:
                self.model._meta.pk.to_python(unquote(str(value)))
            except ValidationError:
                raise Http404 from None

    def history_view(self, request, object_id, extra_context=None):
        self._check_ids(object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_ids(object_id, version_id)
        if request.method == "POST":
            raise PermissionDenied
        request.reading_past_version = True  # every field as text (get_readonly_fields)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        if getattr(request, "reading_past_version", False):
            # A past version is read: its fields as text, without inputs, date pickers or the related
            # objects' change and delete links that looked like it could be edited.
            opts = self.model._meta
            return [field.name for field in (*opts.fields, *opts.many_to_many)]
        return super().get_readonly_fields(request, obj)


class FoldedSearchMixin:
    """Admin search that ignores case and diacritics ("tieu can" finds "Tiểu Cần", "doan" finds "Đoàn").

    Each word of the search box, folded (core.text.search_terms), must be in one of the search fields: in a
    folded copy (`name_key`, `title_key`, `person__name_key`…) as it is, in any other field without regard
    to case. With `code_search_field`, a search of digits only is that code. Django's own search would look
    for "Nguyễn" in `name_key`, which holds "nguyen", and find nothing. No DISTINCT unless a field is
    reached through a relation of many rows (on the national Term table it was a 48 MB on-disk sort)."""

    code_search_field: str | None = None

    def term_matches(self, term: str, fields) -> Q:
        """Where one folded word of the search box may be found (a subclass adds its own places)."""
        matches = Q()
        for name in fields:
            lookup = "contains" if name.endswith("_key") else "icontains"
            matches |= Q(**{f"{name}__{lookup}": term})
        return matches

    def get_search_results(self, request, queryset, search_term):
        terms = search_terms(search_term)
        if not terms:
            return queryset, False
        if self.code_search_field and search_term.strip().isdigit():
            return queryset.filter(**{self.code_search_field: search_term.strip()}), False
        fields = self.get_search_fields(request)
        for term in terms:
            queryset = queryset.filter(self.term_matches(term, fields))
        return queryset, any(lookup_spawns_duplicates(self.opts, name) for name in fields)


#: Django's own permissions by the prefix of their codename ("add_user"); Django stores their names in
#: English ("Can add user"), so they are written again here, in the reader's language
PERMISSION_ACTIONS = {
    "add": _("Can add %(name)s"),
    "change": _("Can change %(name)s"),
    "delete": _("Can delete %(name)s"),
    "view": _("Can view %(name)s"),
}


def permission_label(permission) -> str:
    """A permission as Django admin lists it ("app | model | name"), in the reader's language: Django's
    own four from the model's translated name, any other through the catalogue."""
    model = permission.content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is not None and action in PERMISSION_ACTIONS and model_name == model._meta.model_name:
        name = PERMISSION_ACTIONS[action] % {"name": model._meta.verbose_name}
    else:
        name = gettext(permission.name)
    return f"{permission.content_type} | {name}"


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class PermissionLabelsMixin:
    """For the admin of users and groups: their permissions listed in the reader's language."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def titled(filter_class, title):
    """A list filter of a field under another title than the field's label: "Theo trạng thái hoạt động",
    where the label made it "Theo đang hoạt động"."""

    class Titled(filter_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.title = title

    return Titled


class EventFilter(admin.SimpleListFilter):
    """The events by what they are, in words (core.security_log.EVENT_LABELS)."""

    title = _("event")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        # In the alphabet's order, "Đ" after "D" (fold would put it among the D's, str among the Z's).
        return sorted(EVENT_LABELS.items(), key=lambda item: alphabet_key(str(item[1])))

    def queryset(self, request, queryset):
        return queryset.filter(event=self.value()) if self.value() else queryset


@admin.register(SecurityEvent)
class SecurityEventAdmin(FoldedSearchMixin, admin.ModelAdmin):
    """Recent security events, newest first; read-only (the record must not be edited)."""

    list_display = ["created_at", "level", "event_text", "user_number", "user", "address", "details_text"]
    list_filter = [EventFilter, "level", "created_at"]
    list_select_related = ["user"]
    search_fields = ["event", "address", "user__username"]
    date_hierarchy = "created_at"
    list_per_page = 100

    @admin.display(description=_("user number"), ordering="user_id")
    def user_number(self, obj):
        return obj.user_id

    @admin.display(description=_("details"))
    def details_text(self, obj):
        return obj.details_text

    @admin.display(description=_("event"), ordering="event")
    def event_text(self, obj):
        """What happened in words, with the name the log lines carry (what `grep` finds on the server)."""
        label = event_label(obj.event)
        return label if label == obj.event else format_html("{} <code>{}</code>", label, obj.event)

    def term_matches(self, term: str, fields) -> Q:
        # An event is also found by its words in the reader's language ("dang nhap" finds the logins):
        # the labels live in the code (EVENT_LABELS), so the word picks the codes whose label holds it.
        codes = [code for code, label in EVENT_LABELS.items() if term in fold(str(label))]
        return super().term_matches(term, fields) | Q(event__in=codes)

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

    list_display = ["created_at", "user", "what_text", "fields_text", "rows", "filters", "subject_id"]
    list_filter = ["what", "created_at"]

    @admin.display(description=_("what"), ordering="what")
    def what_text(self, obj):
        return _("A secretary's download of their own data") if obj.what == "own-data-export" else obj.what

    @admin.display(description=_("fields"))
    def fields_text(self, obj):
        """The sensitive fields by their names on the forms ("Tôn giáo"), not the database's."""
        return field_labels(obj.fields or [])

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


# Deep pages of the national changelists. An OFFSET of 100,000 rows reads and throws away 100,000 rows;
# the paginator offers the first pages only (branches.admin.EstimatedCountPaginator), and the last of
# them links onwards by key ("?after=<pk>": the rows that sort after that one), which costs the same on
# page 3 as on page 3,000.
AFTER_VAR = "after"


def _keyset_path(opts, path: str) -> bool:
    """Whether rows can be compared on `path` (a field, or a chain of non-null foreign keys to one): a
    concrete non-null column, not a relation (which would sort by the related model's own ordering)."""
    parts = path.split(LOOKUP_SEP)
    for index, part in enumerate(parts):
        try:
            field = opts.get_field(part)
        except FieldDoesNotExist:
            return False
        if not field.concrete or field.null:
            return False
        if index < len(parts) - 1:
            if not field.many_to_one:
                return False
            opts = field.related_model._meta
        elif field.is_relation and part != field.attname:
            return False
    return True


def keyset_after(fields: list[tuple[str, bool]], anchor: dict) -> Q:
    """Rows that sort after `anchor` in the order `fields` ((lookup, descending), the last one unique)."""
    after, equal = Q(pk__in=[]), Q()
    for name, descending in fields:
        after |= equal & Q(**{f"{name}__{'lt' if descending else 'gt'}": anchor[name]})
        equal &= Q(**{name: anchor[name]})
    return after


#: rows per page of the changelists of the large tables (secretaries, terms, assessments, seminars, ...)
LARGE_LIST_PER_PAGE = 50


class KeysetChangeList(ChangeList):
    """A changelist that, past the pages its paginator offers, goes on by key (`?after=<pk>`)."""

    def __init__(self, request, *args, **kwargs):
        raw = request.GET.get(AFTER_VAR, "")
        self.after = int(raw) if raw.isdigit() else None
        self.keyset_fields = None
        self.keyset_next = None
        super().__init__(request, *args, **kwargs)

    def get_filters_params(self, params=None):
        params = super().get_filters_params(params)
        params.pop(AFTER_VAR, None)
        return params

    def get_query_string(self, new_params=None, remove=None):
        # The key stays only in the links to this window's pages: a filter, a search or a sort starts over.
        new_params = new_params or {}
        if AFTER_VAR not in new_params and PAGE_VAR not in new_params:
            remove = [*(remove or []), AFTER_VAR]
        return super().get_query_string(new_params, remove)

    def _ordering_fields(self, request, queryset) -> list[tuple[str, bool]] | None:
        fields = []
        for item in self.get_ordering(request, queryset):
            if not isinstance(item, str):
                return None
            name = item.lstrip("-")
            name = self.lookup_opts.pk.name if name == "pk" else name
            if not _keyset_path(self.lookup_opts, name):
                return None
            fields.append((name, item.startswith("-")))
        # The order ends on the primary key (the changelist makes it deterministic), so the key is unique.
        return fields if fields and fields[-1][0] == self.lookup_opts.pk.name else None

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        self.keyset_fields = self._ordering_fields(request, queryset)
        if self.after is not None and self.keyset_fields:
            names = [name for name, _descending in self.keyset_fields]
            anchor = self.root_queryset.filter(pk=self.after).values(*names).first()
            if anchor is not None:
                queryset = queryset.filter(keyset_after(self.keyset_fields, anchor))
        return queryset

    def get_results(self, request):
        super().get_results(request)
        paginator = self.paginator
        last_page = self.page_num >= paginator.num_pages
        if self.keyset_fields and self.multi_page and last_page and getattr(paginator, "more", False):
            rows = list(self.result_list)
            if len(rows) == self.list_per_page:
                self.keyset_next = self.get_query_string({AFTER_VAR: rows[-1].pk}, [PAGE_VAR])


class KeysetAdminMixin:
    """For the big changelists: first pages by number, the rest by key (see KeysetChangeList), 50 rows a
    page (Django's 100 rows of links, dates and choices were most of a page's time: ~60 ms)."""

    list_per_page = LARGE_LIST_PER_PAGE

    def get_changelist(self, request, **kwargs):
        return KeysetChangeList


class UnitsChosenListFilter(admin.RelatedFieldListFilter):
    """A filter of related units whose subclass matches the chosen ones its own way (`matching`): the ids
    read once, a malformed one refused as Django's own filters refuse it."""

    def queryset(self, request, queryset):
        chosen = self.used_parameters.get(self.lookup_kwarg)
        if not chosen:
            return super().queryset(request, queryset)
        try:
            ids = [int(value) for value in chosen]
        except (TypeError, ValueError) as error:
            raise IncorrectLookupParameters(error) from error
        return self.matching(queryset, ids)

    def matching(self, queryset, ids: list[int]):
        raise NotImplementedError


class RelatedWithRowsFieldListFilter(admin.RelatedFieldListFilter):
    """The related objects that have rows in the list, as RelatedOnlyFieldListFilter offers, asked of each
    object (EXISTS through the foreign key's index: 97 provinces, ~1 ms) instead of a DISTINCT over every
    row of a national table (320,000 assessments, ~40 ms on each page of the changelist)."""

    def field_choices(self, field, request, model_admin):
        rows = model_admin.get_queryset(request).order_by().filter(**{self.field_path: OuterRef("pk")})
        return field.get_choices(
            include_blank=False,
            limit_choices_to=Q(Exists(rows)),
            ordering=self.field_admin_ordering(field, request, model_admin),
        )
