"""No lost updates: every edit form carries the version it was loaded from, and the save refuses a stale one.

Two officers (or two tabs) open the same record; the first saves; the second's save would silently undo the
first. Instead:

- `Versioned` (abstract model): a `version` number, 1 when created, raised by one on every `save()`
  (django-simple-history copies it into each history record, so the history says which version each
  record was).
- `VersionedForm` (form mixin): a hidden `loaded_version` field, filled from the record the form edits.
- `lock_current(queryset, pk=…, version=…)`: in the service, under `select_for_update`, compares the
  version the form was loaded from with the stored one and raises `StaleEdit` when they differ.
- `StaleEdit` is a `ValidationError` whose messages say who saved, when, and each field they changed with
  its new value: views already show a service's refusal on the form, so the page re-renders with the
  officer's typed values kept and the other person's changes listed above them. The hidden version is
  moved on to the current one, so saving again (after reading the changes) deliberately replaces them
  with what the officer typed; a field the officer left as loaded shows the value saved meanwhile
  (`VersionedForm.refreshed`), so that saving again does not put back what the page had loaded.
- `VersionedAdminMixin`: the same for Django admin change forms.

Why not django-concurrency: it checks the version inside `Model.save()` for every save (services that
update a row for their own reasons would trip it), says nothing about *what* changed, and would be one more
dependency; the portal needs the check in its services and the other person's changes from the history it
already keeps. A post without `loaded_version` (a script, an old test) is not checked: the portal's own
forms always send it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .history import display_value
from .log_context import current_request
from .widgets import ADMIN_TEXT_AREAS

#: the hidden form field that carries the version a form was loaded from
VERSION_FIELD = "loaded_version"


class Versioned(models.Model):
    """A row whose edits are checked against the version they were loaded from."""

    version = models.PositiveIntegerField(gettext_lazy("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None:
            # Counted from the stored row, locked until the transaction ends: two saves that did not go
            # through lock_current (a status change, say) still give two different versions.
            # order_by(): no join for the model's ordering (PostgreSQL refuses to lock the nullable side
            # of an outer join, e.g. a nomination ordered by its district, empty since the reform).
            stored = type(self)._base_manager.filter(pk=self.pk).order_by()
            if transaction.get_connection().in_atomic_block:
                stored = stored.select_for_update()
            current = stored.values_list("version", flat=True).first()
            self.version = (current if current is not None else self.version or 0) + 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version"}
        super().save(*args, **kwargs)


@dataclass
class FieldChange:
    label: str
    value: str
    who: str
    when: datetime.datetime


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def saved_by(record) -> dict:
    """Who saved a history record and when, as the stale-edit messages say them: `who`, `when`."""
    return {"who": _who(record), "when": _when(record.history_date)}


def _who(record) -> str:
    user = getattr(record, "history_user", None)
    return str(user) if user is not None else _("someone")


def _by_this_user(record) -> bool:
    """Whether the newer save was made by the user of this request: their own other tab or window."""
    user = getattr(current_request(), "user", None)
    return (
        record is not None
        and getattr(user, "is_authenticated", False)
        and getattr(record, "history_user_id", None) == user.pk
    )


#: bookkeeping fields a person did not type: never listed as "changed"
HIDDEN_FIELDS = {"version", "updated_at", "created_at", "name_key", "title_key", "search_key", "sort_key"}


def changes_since(instance, version: int) -> tuple[list, list[FieldChange], object]:
    """The history records saved after `version` (oldest first), per field its latest new value with who
    changed it and when, and the record of `version` itself (None when there is none). Empty when the model
    keeps no history."""
    history = getattr(instance, "history", None)
    if history is None:
        return [], [], None
    newer = list(history.filter(version__gt=version).select_related("history_user").order_by("history_date"))
    base = history.filter(version__lte=version).order_by("-history_date", "-history_id").first()
    model = type(instance)
    fields = {
        f.name: f
        for f in model._meta.get_fields()
        if getattr(f, "concrete", False) and f.name not in HIDDEN_FIELDS and getattr(f, "editable", True)
    }
    latest: dict[str, FieldChange] = {}
    previous = base
    for record in newer:
        if previous is not None:
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in fields:
                    latest[change.field] = FieldChange(
                        label=capfirst(fields[change.field].verbose_name),
                        value=display_value(fields[change.field], change.new),
                        who=_who(record),
                        when=record.history_date,
                    )
        previous = record
    return newer, list(latest.values()), base


class StaleEdit(ValidationError):
    """The record was saved by someone else after this form was loaded: nothing was saved.

    A ValidationError, so a view that shows a service's refusal on the form shows this one too. Carries
    the record (`instance`, as stored now), its `current_version`, the `changes` and the history record of
    the version the form was loaded from (`loaded_record`, None without one)."""

    def __init__(self, instance, *, loaded_version: int | None):
        self.instance = instance
        self.loaded_version = loaded_version
        self.current_version = getattr(instance, "version", None)
        records, self.changes, self.loaded_record = (
            changes_since(instance, loaded_version or 0) if instance else ([], [], None)
        )
        if instance is None:
            lines = [_("This record was removed by someone else after you opened it. Nothing was saved.")]
        else:
            last = records[-1] if records else None
            headline = (
                _(
                    "“%(object)s” was saved by you, in another tab or window, at %(when)s, after this page "
                    "was opened. What you typed here was not saved and is kept below. Check the saved "
                    "values, then save again to replace them with these."
                )
                % {"object": instance, "when": _when(last.history_date)}
                if _by_this_user(last)
                else _(
                    "“%(object)s” was saved by %(who)s at %(when)s, after you opened it. Your changes were "
                    "not saved; what you typed is kept below. Check their changes, then save again to "
                    "replace them with yours."
                )
                % {"object": instance, "who": _who(last), "when": _when(last.history_date)}
                if last is not None
                else _(
                    "“%(object)s” was saved by someone else after you opened it. Your changes were not "
                    "saved; what you typed is kept below. Check their changes, then save again to replace "
                    "them with yours."
                )
                % {"object": instance}
            )
            lines = [headline] + [
                _("%(field)s: now “%(value)s” (%(who)s, %(when)s)")
                % {"field": c.label, "value": c.value, "who": c.who, "when": _when(c.when)}
                for c in self.changes
            ]
        super().__init__([ValidationError(line, code="stale_edit") for line in lines])


def lock_current(queryset, *, pk, version: int | None):
    """Lock the row `pk` of `queryset` (a model or a scoped queryset) for the rest of the transaction and
    return it as stored now; `StaleEdit` when `version` (the one the form was loaded from) is older.

    `version` None: not checked (see the module's docstring). A row gone from the queryset raises
    `StaleEdit` too, so a save never silently re-creates or touches what someone removed."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_current() runs inside the service's transaction")
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()
    # of=("self",): only this row, even when the queryset joins (PostgreSQL refuses to lock the
    # nullable side of an outer join).
    current = queryset.select_for_update(of=("self",)).filter(pk=pk).first()
    if current is None:
        raise StaleEdit(None, loaded_version=version)
    if version is not None and current.version != version:
        raise StaleEdit(current, loaded_version=version)
    return current


def check_version(instance, *, version: int | None, queryset=None):
    """For a service given an already loaded `instance`: lock its row, refuse a stale `version`, and carry
    the stored version over so the save that follows counts from it."""
    if instance.pk is None:
        return instance
    current = lock_current(
        queryset if queryset is not None else type(instance), pk=instance.pk, version=version
    )
    instance.version = current.version
    return current


class VersionedForm(forms.Form):
    """Mixin for portal and admin forms (put it first: `class BranchForm(VersionedForm, forms.ModelForm)`).

    The version comes from the model form's instance, or from `version_of=` for a plain form. Crispy
    layouts list `VERSION_FIELD` so the hidden input is rendered."""

    # Hidden; named all the same, as Django admin writes a hidden field's label into the page.
    loaded_version = forms.IntegerField(
        label=gettext_lazy("Version opened"), widget=forms.HiddenInput, required=False, min_value=0
    )

    def __init__(self, *args, version_of=None, **kwargs):
        super().__init__(*args, **kwargs)
        obj = version_of if version_of is not None else getattr(self, "instance", None)
        self.versioned_object = obj
        if obj is not None and obj.pk is not None:
            self.fields[VERSION_FIELD].initial = obj.version

    def fields_to_save(self) -> dict:
        """The cleaned data without the version (for services that take the fields as keywords)."""
        return {k: v for k, v in self.cleaned_data.items() if k != VERSION_FIELD}

    def loaded(self) -> int | None:
        """The version the form was loaded from (None: not sent)."""
        return self.cleaned_data.get(VERSION_FIELD) if hasattr(self, "cleaned_data") else None

    def add_error(self, field, error):
        if isinstance(error, StaleEdit):
            self.version_seen(error)
        super().add_error(field, error)

    def version_seen(self, error: StaleEdit) -> None:
        """The officer has now been shown the other changes: the next save counts from the current
        version and replaces deliberately what they typed over. A field they left as it was loaded shows
        the value saved since (`refreshed`): saving again keeps it, rather than putting back what the page
        had loaded (a proposal's follow-up recorded meanwhile on its own page, undone by a second save of
        the seminar that never touched it)."""
        same = (
            error.instance is not None
            and self.versioned_object is not None
            and type(error.instance) is type(self.versioned_object)
            and error.instance.pk == self.versioned_object.pk
        )
        if same and self.is_bound:
            data = self.data.copy()
            data[self.add_prefix(VERSION_FIELD)] = str(error.current_version)
            for name, value in self.refreshed(error).items():
                data[self.add_prefix(name)] = value
            self.data = data

    def refreshed(self, error: StaleEdit) -> dict:
        """{field name: the value saved since, as the form posts it} for the fields of the record that were
        changed after this form was loaded and that the officer left as loaded (their own changes are kept,
        and replace the others' on the next save). Read from the history record of the loaded version: none
        without history (nothing refreshed), nor for a many-to-many field, whose history is kept apart."""
        loaded, cleaned = error.loaded_record, getattr(self, "cleaned_data", {})
        if loaded is None:
            return {}
        model = type(error.instance)
        values = {}
        for name, field in self.fields.items():
            if name == VERSION_FIELD or field.disabled or name not in cleaned:
                continue
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if (
                not model_field.concrete
                or model_field.many_to_many
                or not hasattr(loaded, model_field.attname)
            ):
                continue
            before, saved = getattr(loaded, model_field.attname), getattr(error.instance, model_field.attname)
            typed = cleaned[name]
            typed = typed.pk if isinstance(typed, models.Model) else typed
            if saved != before and typed == before:
                value = field.prepare_value(saved)
                values[name] = "" if value is None else value
        return values


class VersionedAdminForm(VersionedForm, forms.ModelForm):
    """Admin change form that refuses a stale save. Django admin runs the form's validation and the save in
    one transaction, so the row locked here stays locked until it is saved."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            lock_current(type(self.instance), pk=self.instance.pk, version=cleaned.get(VERSION_FIELD))
        return cleaned


class VersionedAdminMixin:
    """ModelAdmin mixin: the change form carries and checks the version (see VersionedAdminForm)."""

    form = VersionedAdminForm
    formfield_overrides = ADMIN_TEXT_AREAS
