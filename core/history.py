"""Change history (django-simple-history) as rows a person can read: who, when, which fields, old → new.

Shared by every page that shows "Lịch sử thay đổi". The diffs are computed in Python between
consecutive records, and foreign keys are named with one query per related model, so the cost does not
depend on how many changes there were.
"""

import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from simple_history import manager as history_manager
from simple_history import models as history_models


class HistoryManager(history_manager.HistoryManager):
    """simple-history's manager, its class built once: the library builds a new manager class
    (`from_queryset`) at every read of `Model.history`, and every save of a model with history reads it
    (about 150 µs a save, a tenth of a plain one)."""

    @classmethod
    @functools.cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class HistoricalRecords(history_models.HistoricalRecords):
    """The history of a model (django-simple-history), through `HistoryManager`."""

    def __init__(self, *args, history_manager=HistoryManager, **kwargs):
        super().__init__(*args, history_manager=history_manager, **kwargs)


HISTORY_TYPES = {"+": gettext_lazy("Created"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryRow:
    when: datetime
    who: object
    action: str
    changes: list[Change] = field(default_factory=list)
    #: why, when the change said so (an import: "Nhập từ tệp …")
    reason: str = ""
    #: the step of a workflow this change was, where the caller names them (`history_rows(steps=…)`)
    step: str = ""


def _is_count(model_field) -> bool:
    """An integer field that holds a count (a branch's members, a seminar's other attendees), written with
    the language's thousand separator; not a small one, which holds a year, an order, a quarter or a score
    (2026, not "2.026"), nor a key."""
    return (
        isinstance(model_field, models.IntegerField)
        and not isinstance(model_field, models.SmallIntegerField | models.PositiveSmallIntegerField)
        and not model_field.primary_key
    )


def display_value(model_field, value, names: dict | None = None, *, places: int | None = None) -> str:
    """A field's value as the portal writes it wherever a change is shown (the history on a page, a stale
    edit's message, Django admin's history): a choice by its label, a related object by its name (from
    `names`, read once for a page's rows; without them asked here, for the one value of a stale edit's
    message), a moment in Vietnam's time, a date dd/mm/yyyy, a score with the language's separators, a
    count grouped by three ("1.200"), nothing as "—". `places`, given, is how many places a decimal is
    written with, as the page writes that value (an assessment's scores: its framework's, "77" in points)."""
    if isinstance(value, list) and value:  # a many-to-many field tracked by the history
        return ngettext("%(count)d chosen", "%(count)d chosen", len(value)) % {"count": len(value)}
    if value is None or value == "" or value == []:
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        if names is not None:  # an object no longer there keeps its key
            return names.get((model_field.name, value), str(value))
        related = model_field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int) and _is_count(model_field):
        return formats.number_format(value, force_grouping=True)  # "1.200" in Vietnamese, as the pages say it
    if isinstance(value, datetime):
        # Stored in UTC: shown in Vietnam's time (04:00 on 02/12 there is 21:00 on 01/12 in UTC).
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | float):
        if places is not None:
            value = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        return formats.number_format(value, use_l10n=True)  # a score: "2,82" in Vietnamese
    if (model_field.model._meta.label_lower, model_field.name) in _REASON_FIELDS:
        return reason_text(str(value))
    return str(value)


#: two records of one object this close, by the same person, are one save (a row, then its relations)
ONE_SAVE = timedelta(seconds=2)


def _same_save(earlier, later) -> bool:
    return (
        earlier.history_user_id == later.history_user_id
        and later.history_date - earlier.history_date <= ONE_SAVE
    )


def history_rows(
    history,
    *,
    limit: int = 20,
    hidden: frozenset[str] = frozenset(),
    steps=None,
    places: int | None = None,
) -> list[HistoryRow]:
    """The latest `limit` changes of a history queryset (e.g. `branch.history`), newest first; the fields
    in `hidden` (sensitive ones the reader may not see) are left out. `steps(previous, record)`, given,
    names a change that is a step of the model's workflow: `(step, label)`, the label said in place of
    "Changed" (an assessment's "Gửi", "Xác nhận"), or None for an ordinary change. `places`: the places
    its decimals are written with, as its page writes them (display_value)."""
    records = list(
        history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )
    if not records:
        return []
    model = records[0].instance_type
    tracked = {
        f.name: f
        for f in model._meta.fields
        if f.name in {h.name for h in records[0]._meta.fields} and f.name not in hidden
    }
    pairs = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        # Only the tracked fields: a model whose history also tracks many-to-many relations would read
        # them for every comparison.
        delta = (
            record.diff_against(previous, included_fields=[n for n, f in tracked.items() if f.editable])
            if previous and record.history_type == "~"
            else None
        )
        changes = [c for c in delta.changes if c.field in tracked] if delta else []
        if delta is not None and not changes and _same_save(previous, record):
            # The second record of one save (a seminar's participants set after the seminar): nothing of
            # its own to show, it would read as an empty "Changed" under the "Created".
            continue
        pairs.append((record, changes, previous))

    # Name the related objects that changed, one query per related model.
    wanted: dict[str, set] = {}
    for _record, changes, _previous in pairs:
        for change in changes:
            model_field = tracked[change.field]
            if isinstance(model_field, models.ForeignKey):
                wanted.setdefault(change.field, set()).update(v for v in (change.old, change.new) if v)
    names, ended = {}, {}
    for name, ids in wanted.items():
        related = tracked[name].related_model
        for obj in related._base_manager.filter(pk__in=ids):
            names[(name, obj.pk)] = str(obj)
            ended[(name, obj.pk)] = getattr(obj, "ended_on", None)

    rows = []
    for record, changes, previous in pairs:
        step, action = "", str(HISTORY_TYPES[record.history_type])
        named = None
        if steps is not None and previous is not None and record.history_type == "~":
            named = steps(previous, record)
        if named is not None:
            step, action = named[0], str(named[1])
        rows.append(
            HistoryRow(
                # In Vietnam's time, whatever the template or export does with it.
                when=timezone.localtime(record.history_date),
                who=record.history_user,
                action=action,
                changes=[_change(tracked[c.field], c, names, ended, places) for c in changes],
                reason=reason_text(record.history_change_reason or ""),
                step=step,
            )
        )
    return rows


def _change(model_field, change, names: dict, ended: dict, places: int | None = None) -> Change:
    """One field's change as shown. Two units of one name (the 2025 reform's Xã Tập Ngãi took the name of
    the old one it absorbed) are told apart by the day the old one ended."""
    old = display_value(model_field, change.old, names, places=places)
    new = display_value(model_field, change.new, names, places=places)
    if old == new and change.old != change.new and isinstance(model_field, models.ForeignKey):
        old, new = (
            ended_label(label, ended.get((model_field.name, value)))
            for label, value in ((old, change.old), (new, change.new))
        )
    return Change(label=str(model_field.verbose_name), old=old, new=new)


def ended_label(label: str, ended_on) -> str:
    """A unit's label with the day it ended, when it did: "Xã Tập Ngãi (đến 30/06/2025)". Written so
    wherever two units of one name must be told apart (a history here; Django admin's choices)."""
    if ended_on is None:
        return label
    return _("%(unit)s (until %(date)s)") % {
        "unit": label,
        "date": formats.date_format(ended_on, "SHORT_DATE_FORMAT"),
    }


def merged(*histories: list[HistoryRow], limit: int) -> list[HistoryRow]:
    """Several objects' history rows as one, newest first (a nomination's and its documents')."""
    rows = sorted((row for rows in histories for row in rows), key=lambda row: row.when, reverse=True)
    return rows[:limit]


def shorten_in_vietnamese() -> None:
    """django-simple-history shortens a long old → new value in admin's history as "Đỗ Duy Hậu, …[163
    chars] Yến", in English whatever the language: the count of characters left out, in the page's
    language."""
    from simple_history.template_utils import ObjDiffDisplay

    def shortened_str(self, prefix: str, num_skipped_chars: int, suffix: str) -> str:
        skipped = ngettext("%(count)d character", "%(count)d characters", num_skipped_chars) % {
            "count": num_skipped_chars
        }
        return f"{prefix}[… {skipped}]{suffix}"

    ObjDiffDisplay.shortened_str = shortened_str


# Why a change was made is stored as text, in the language of whoever made it (django-simple-history's
# `history_change_reason`). The reasons a service writes ("merged on %(date)s", "Quotas: %(changes)s") are
# registered by their app, and shown in the reader's language whichever language they were stored in.
_REASONS: list[str] = []
#: the text fields a service writes a registered reason into (a term's reason for ending), as
#: (model label, field name): their values are shown as `reason_text`, in a page's history too
_REASON_FIELDS: set[tuple[str, str]] = set()
#: a slot of a registered reason: "%(date)s", a day dd/mm/yyyy; any other, words the service wrote in
_SLOT = re.compile(r"%\((\w+)\)s")
_DAY = r"[0-9]{2}/[0-9]{2}/[0-9]{4}"


def register_reason(msgid: str) -> None:
    """A reason a service stores in the writer's language, as `gettext(msgid)`, or `gettext(msgid) % {…}`
    where the msgid has slots: "%(date)s" takes a day dd/mm/yyyy, any other slot words the service wrote
    (a campaign's "Quotas: %(changes)s", the units' names and numbers), kept as written. Read back in the
    reader's language (`reason_text`)."""
    if msgid not in _REASONS:
        _REASONS.append(msgid)
        _reason_patterns.cache_clear()


def register_reason_field(model_field) -> None:
    """A text field where a service may write a registered reason beside what people type (a term's
    "reason for ending": "Chi đoàn hợp nhất ngày 01/12/2026" or a person's words): `display_value` reads it
    as `reason_text`, and so do the pages and exports that show it through `reason_text`."""
    _REASON_FIELDS.add((model_field.model._meta.label_lower, model_field.name))


@functools.cache
def _reason_patterns() -> list[tuple[re.Pattern, str]]:
    patterns = []
    for msgid in _REASONS:
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                parts = _SLOT.split(_(msgid))  # text, slot, text, slot, …, text
            text = "".join(
                re.escape(part) if index % 2 == 0 else f"(?P<{part}>{_DAY if part == 'date' else '.+'})"
                for index, part in enumerate(parts)
            )
            patterns.append((re.compile(text, re.DOTALL), msgid))
    return patterns


def reason_text(stored: str) -> str:
    """A stored reason as the reader reads it: a registered one (`register_reason`) in the active
    language, its slots' words as written; any other as it was written (an import's "Nhập từ tệp …", a
    person's words)."""
    for pattern, msgid in _reason_patterns():
        if found := pattern.fullmatch(stored):
            slots = found.groupdict()
            if not slots:
                return _(msgid)
            if "date" in slots:
                try:
                    on = datetime.strptime(slots["date"], "%d/%m/%Y").date()
                except ValueError:
                    return stored
                slots["date"] = formats.date_format(on, "SHORT_DATE_FORMAT")
            return _(msgid) % slots
    return stored
