"""The import engine: kinds registered by the apps, header matching, cell parsing, row outcomes.

A kind (`ImportKind`) declares its columns; the engine finds them in the header row (in any order, under
the usual variants, without diacritics), parses every cell into a value or a row error, and hands the rows
to the kind's `plan`, which matches them to the records in the user's scope and decides, row by row, new /
updated / unchanged / refused. `commit` writes a plan that has no error, in one transaction, re-planned
inside it (stale-safe). A plan costs a fixed number of queries whatever the number of rows: a kind reads
what it matches against once, in bulk, never per row.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.history import display_value
from core.text import fold

from .reader import Cell, ImportFileError, Sheet, SheetRow

NEW, UPDATED, UNCHANGED, ERROR = "new", "updated", "unchanged", "error"
ACTIONS = (NEW, UPDATED, UNCHANGED, ERROR)


# ---- columns and cells -------------------------------------------------------------------------------


def header_key(text) -> str:
    """How a header is compared: folded, without a note in brackets, a star or a colon."""
    text = re.sub(r"\(.*?\)|\[.*?\]|[*:]", " ", str(text or ""))
    return fold(text)


def choice_key(text) -> str:
    """How a choice is compared: folded, without spaces, hyphens or dots ("Khơ-mú" = "kho mu")."""
    return re.sub(r"[\s\-.'’_]", "", fold(str(text)))


class CellError(Exception):
    """A cell that cannot be read; the message is shown after "Row n, Column:"."""


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation
    aliases: tuple[str, ...] = ()
    required: bool = False
    type: str = "text"  # text, date, int, bool, choice, email
    #: (stored value, label) pairs, read when parsing; labels in every language and the values are accepted
    choices: Callable[[], Iterable[tuple[str, str]]] | None = None
    #: other ways people write a choice, e.g. ("12/12", "thpt"): (text, stored value)
    synonyms: tuple[tuple[str, str], ...] = ()
    max_length: int | None = None
    help: Any = ""
    width: int = 18
    #: run on the parsed value: the model field's own (`Branch._meta.get_field("member_count").validators`),
    #: so a file is refused what the form and Django admin refuse, in the field's words
    validators: tuple[Callable[[Any], None], ...] = ()
    #: a required column (its header must be there, the template marks it) whose cell may be empty on some
    #: rows: the kind's plan says which (the secretaries' branch, empty on a former secretary's row)
    may_be_blank: bool = False

    def header_keys(self) -> set[str]:
        keys = {header_key(alias) for alias in self.aliases} | {header_key(self.key)}
        for language in ("vi", "en"):
            with translation.override(language):
                keys.add(header_key(str(self.label)))
        return keys - {""}

    def choice_map(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for language in ("en", "vi"):
            with translation.override(language):
                for value, label in self.choices():
                    found[choice_key(label)] = value
                    found[choice_key(value)] = value
        for text, value in self.synonyms:
            found[choice_key(text)] = value
        return found

    def choice_labels(self) -> list[str]:
        """The labels a template offers, in the current language."""
        return [str(label) for _value, label in self.choices()]


_DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO_TEXT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_NEGATIVE_TEXT = re.compile(r"^-\s*\d+([.,]\d+)?$")
_TRUE = {"co", "x", "yes", "y", "1", "true", "dang vien", "la dang vien"}
_FALSE = {"khong", "no", "n", "0", "false", "-"}


def display(value) -> str:
    """A cell's value as the preview shows it."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return formats.number_format(value)  # 12,5 as the users write it
    return str(value)


def parse_cell(column: Column, cell: Cell, choice_map: dict | None = None):
    """The cell's value for `column`, or CellError. Empty is None (or False for a yes/no column)."""
    value = _parse_value(column, cell, choice_map)
    if value is not None:
        for validator in column.validators:
            try:
                validator(value)
            except ValidationError as error:
                # After "Row n, Column:", as the engine's own messages, the value first ("05/09/2099: this
                # date is after today"), no full stop: the rules' words do not name it.
                message = " ".join(error.messages).rstrip(".")
                raise CellError(f"{display(value)}: {message[:1].lower()}{message[1:]}") from error
    return value


def _parse_value(column: Column, cell: Cell, choice_map: dict | None):
    value = cell.value
    if cell.is_formula:
        raise CellError(_("a formula (%(value)s) is not accepted: type the value itself") % {"value": value})
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            value = None
    if value is None:
        if column.required and not column.may_be_blank:
            raise CellError(_("this column must be filled in"))
        return False if column.type == "bool" else None
    if column.type == "date":
        return _parse_date(value)
    if column.type == "int":
        if isinstance(value, bool):
            raise CellError(_("%(value)s is not a whole number") % {"value": value})
        if isinstance(value, int | float) and float(value).is_integer() and value >= 0:
            return int(value)
        if isinstance(value, str) and value.replace(".", "").isdigit():
            return int(value.replace(".", ""))
        if (isinstance(value, int | float) and value < 0) or (
            isinstance(value, str) and _NEGATIVE_TEXT.match(value.strip())
        ):
            raise CellError(_("%(value)s is below zero: a count is 0 or more") % {"value": display(value)})
        raise CellError(_("%(value)s is not a whole number") % {"value": display(value)})
    if column.type == "bool":
        if isinstance(value, bool):
            return value
        key = fold(display(value))
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise CellError(_("%(value)s is neither “Có” nor “Không”") % {"value": display(value)})
    text = display(value)
    if isinstance(value, datetime.date):
        raise CellError(_("%(value)s is a date, not a text") % {"value": text})
    if column.type == "choice":
        found = (choice_map or column.choice_map()).get(choice_key(text))
        if found is None:
            raise CellError(_("%(value)s is not one of the choices in the template") % {"value": text})
        return found
    # Text stays text: "=1+1", "+84…", "@…" typed as text are stored as typed, never evaluated (the
    # portal's exports neutralise them on the way out).
    if column.max_length and len(text) > column.max_length:
        raise CellError(
            _("%(value)s is longer than %(max)s characters")
            % {"value": text[:40] + "…", "max": column.max_length}
        )
    if column.type == "email":
        try:
            validate_email(text)
        except ValidationError as error:
            raise CellError(_("%(value)s is not an e-mail address") % {"value": text}) from error
    return text


def _parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = display(value)
    match = _DATE_TEXT.match(text)
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    if parts is None and (iso := _ISO_TEXT.match(text)):
        parts = iso.groups()
    if parts is None:
        raise CellError(_("%(value)s is not a date in the form dd/mm/yyyy") % {"value": text})
    try:
        return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError as error:
        raise CellError(_("%(value)s is not a valid date") % {"value": text}) from error


# ---- rows and plans ----------------------------------------------------------------------------------


@dataclass
class RowError:
    column: str
    value: str
    message: str
    #: an existing record the error is about (a duplicate, the branch's current secretary)
    link: str = ""
    link_text: str = ""


@dataclass
class ParsedRow:
    number: int
    values: dict[str, Any]
    shown: dict[str, str]  # the cells as typed, for the preview and the messages
    errors: list[RowError] = field(default_factory=list)

    def refuse(self, column_key: str, message: str, *, columns: dict, link: str = "", link_text: str = ""):
        """Add an error, in the order of `columns` (the file's, as the kind lists them) among those the
        row has: a kind's check after the cells were read does not put 1.1 after 1.2."""
        column = columns.get(column_key)
        label = str(column.label) if column else ""
        order = {str(c.label): index for index, c in enumerate(columns.values())}
        last = len(order)  # an error of no known column stays after the columns'
        position = order.get(label, last)
        index = next(
            (i for i, error in enumerate(self.errors) if order.get(error.column, last) > position),
            len(self.errors),
        )
        self.errors.insert(index, RowError(label, self.shown.get(column_key, ""), message, link, link_text))

    def has_errors(self) -> bool:
        return bool(self.errors)


@dataclass
class RowOutcome:
    number: int
    action: str
    summary: str
    errors: list[RowError] = field(default_factory=list)
    #: an existing person this row may be "the same person" as: {"url", "name"}
    same_as: dict | None = None
    chosen_same: bool = False
    #: the records the row was decided on, as read (`record_basis`): kept with the preview, compared when
    #: it is confirmed; never shown
    basis: tuple[str, ...] = ()
    #: the row's cells under the plan's `columns`, as they will be saved: {"text", "was" (the text it
    #: replaces, None if none), "kept" (an empty cell of the file that keeps the stored value)}
    cells: list[dict] = field(default_factory=list)
    #: what a new row will be saved as ("giới tính: Nữ; …"), or what an update changes ("số đoàn viên: 31 →
    #: 33", `change`), said after its summary: [{"label", "text"} and, for a change, "was"], each `later`'s
    #: words or data, put in the reader's language by `details_text`
    details: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        data = {
            "number": self.number,
            "action": self.action,
            "summary": self.summary,
            "errors": [e.__dict__ for e in self.errors],
            "same_as": self.same_as,
            "chosen_same": self.chosen_same,
        }
        # Only a kind that shows more than the summary keeps more (the others' reports stay as they were).
        if self.cells:
            data["cells"] = self.cells
        if self.details:
            data["details"] = self.details
        return data


@dataclass
class Plan:
    outcomes: list[RowOutcome]
    #: what the kind's commit writes (kind-specific)
    payload: Any = None
    ignored_headers: list[str] = field(default_factory=list)
    #: what the rows go into, where the user's unit decides it (`ImportKind.target`): said on the preview
    #: (text, or `later`'s words put in the reader's language)
    target: str | dict = ""
    #: the columns the preview's rows show after the record, each {"label", "title", "group", "total"}:
    #: what every row will be saved as (the scores: each criterion, the group scores, overall and rating)
    columns: list[dict] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for outcome in self.outcomes:
            counts[outcome.action] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        return any(outcome.action == ERROR for outcome in self.outcomes)

    @property
    def basis(self) -> dict[str, str]:
        """Row number → what the row does and the records it does it to, each at its version: a preview
        confirmed later commits only while every row still reads the same (core.importing.services)."""
        return {str(outcome.number): " ".join((outcome.action, *outcome.basis)) for outcome in self.outcomes}


def record_basis(*records, versioned: bool = True) -> tuple[str, ...]:
    """The records a row is decided on, as `RowOutcome.basis`: each by its model, key and `version`
    (core.versioning.Versioned, raised by every save and by the imports' bulk updates), so that a record
    saved since the preview makes its row differ. `versioned=False` for a record read without its
    version (a branch an appointment names): then only which record counts."""
    return tuple(
        f"{record._meta.label_lower}:{record.pk}" + (f":{record.version}" if versioned else "")
        for record in records
        if record is not None and record.pk is not None
    )


def outcome_of(row: ParsedRow, action: str, summary: str, **kwargs) -> RowOutcome:
    return RowOutcome(row.number, ERROR if row.errors else action, summary, list(row.errors), **kwargs)


def suggestion(text: str, candidates: dict[str, str]) -> str | None:
    """The display name of the candidate closest to `text` (folded keys → names), if close enough."""
    close = difflib.get_close_matches(fold(text), list(candidates), n=1, cutoff=0.75)
    return candidates[close[0]] if close else None


# ---- text kept in a report ----------------------------------------------------------------------------


def later(message, plural: str = "", *, count: int | None = None, **params) -> dict:
    """Words of a batch's report put in the reader's language when the page is drawn (`shown`), not in the
    uploader's: the English message (a lazy label is read in English, the source language), its plural,
    and its values. The message must be in the catalogue (marked where it is written)."""
    with translation.override("en"):
        return {"msgid": str(message), "plural": plural, "count": count, "params": params}


def shown(text) -> str:
    """A report's text as the reader reads it: `later`'s in their language, plain text (data, or a report
    kept before) as it is."""
    if not isinstance(text, dict) or "msgid" not in text:
        return text
    if text["plural"]:
        message = translation.ngettext(text["msgid"], text["plural"], text["count"])
        return message % {"counter": text["count"], **text["params"]}
    message = translation.gettext(text["msgid"])
    return message % text["params"] if text["params"] else message


def details_text(details: list[dict]) -> str:
    """A row's `RowOutcome.details` as the preview says them, in the reader's language: "giới tính: Nữ; …",
    a change "số đoàn viên: 31 → 33"."""
    return "; ".join(
        f"{shown(item['label'])}: "
        + (f"{shown(item['was']) or '—'} → " if "was" in item else "")
        + (shown(item["text"]) or "—")
        for item in details
    )


def change(model_field, was, value) -> dict:
    """An update's change of one field, as `RowOutcome.details` keeps it: its label, the value it replaces
    and the new one, put in the reader's language when the preview is drawn."""
    return {
        "label": later(model_field.verbose_name),
        "was": _kept_value(model_field, was),
        "text": _kept_value(model_field, value),
    }


def _kept_value(model_field, value) -> str | dict:
    """A value as a report keeps it: a choice's label or a yes or no as words put in the reader's language
    (`later`), any other value as the portal writes it (`core.history.display_value`)."""
    if value is None or value == "":
        return ""
    label = dict(model_field.flatchoices).get(value) if model_field.choices else None
    if isinstance(label, Promise):
        return later(label)
    if isinstance(value, bool):
        return later(gettext_lazy("Yes") if value else gettext_lazy("No"))
    return display_value(model_field, value)


# ---- kinds -------------------------------------------------------------------------------------------


class ImportKind:
    """What an app imports. Subclasses set the attributes and implement the four methods."""

    slug: str = ""
    #: the template's file name, in the users' words ("mau-nhap-chi-doan-20261207.xlsx"); the slug else
    file_slug: str = ""
    label: Any = ""  # "Branches"
    columns: tuple[Column, ...] = ()
    #: columns read when a file has them (the list's own export does), never offered in the template
    read_also: tuple[Column, ...] = ()
    #: the lines of the template's instructions sheet, after the columns' own help
    instructions: tuple = ()
    #: where the kind's records are listed (a URL name), for the pages' breadcrumbs and links
    list_url_name: str = ""
    #: what the rows go into where the user's unit decides it (the scores: the framework), as `for_user`
    #: sets it: named on the template, the upload page and the preview
    target: str = ""

    def may_import(self, user) -> bool:
        raise NotImplementedError

    def refusal(self, user) -> str:
        """Why `user` may not import this kind, where the 403 page should say it rather than its general
        sentence about roles (core.mixins.RefusedWithReason); "" for that sentence. Every kind refuses an
        account of a unit that ended, which records nothing new: it is told who keeps the records now."""
        if user.has_portal_role and user.unit_ended_on is not None:
            return user.ended_unit_reason()
        return ""

    def for_user(self, user) -> ImportKind:
        """The kind as `user` imports it. A kind whose columns depend on the user's unit (the scores: the
        criteria of the framework its grid uses) returns a copy bound to it; the others are everyone's."""
        return self

    def plan(self, *, rows: list[ParsedRow], user, options: dict, lock: bool = False) -> Plan:
        """Match and check every row; `lock`: inside the commit's transaction, lock what is decided on."""
        raise NotImplementedError

    def commit(self, *, plan: Plan, user, reason: str) -> None:
        """Write an error-free plan (inside the transaction the engine opened)."""
        raise NotImplementedError

    def template_columns(self, user) -> tuple[Column, ...]:
        """The columns of `user`'s template: all of them, unless the kind leaves out some this user may
        not set (a sensitive field)."""
        return self.columns

    def template_lists(self, user) -> dict[str, list[str]]:
        """Column key → the values a template's drop-down offers (units of the user's scope, say)."""
        return {}

    def example_row(self, user) -> dict[str, Any]:
        return {}

    @property
    def read_columns(self) -> tuple[Column, ...]:
        """Every column a file's header may name: the template's and those read also."""
        return self.columns + self.read_also

    def columns_by_key(self) -> dict[str, Column]:
        return {column.key: column for column in self.read_columns}


KINDS: dict[str, ImportKind] = {}


def register_kind(kind: ImportKind) -> ImportKind:
    KINDS[kind.slug] = kind
    return kind


def kinds_for(user) -> list[ImportKind]:
    return [kind for kind in KINDS.values() if kind.may_import(user)]


# ---- the header row ----------------------------------------------------------------------------------


def header_matcher(kind: ImportKind) -> Callable[[list], bool]:
    """Whether a row is the header: it names at least two of the kind's columns."""
    known = set().union(*(column.header_keys() for column in kind.read_columns))

    def looks_like_header(values: list) -> bool:
        return sum(1 for value in values if header_key(value) in known) >= 2

    return looks_like_header


def match_headers(kind: ImportKind, headers: list[str]) -> tuple[dict[int, Column], list[str]]:
    """Column index → column; the headers that name no column. Refuses a missing or repeated column."""
    by_key = {}
    for column in kind.read_columns:
        for key in column.header_keys():
            by_key[key] = column
    mapping: dict[int, Column] = {}
    seen: dict[str, int] = {}
    ignored = []
    for index, header in enumerate(headers):
        column = by_key.get(header_key(header))
        if column is None:
            if header.strip():
                ignored.append(header.strip())
            continue
        if column.key in seen:
            raise ImportFileError(
                _("The column “%(column)s” appears twice in the header row.") % {"column": header.strip()},
                "repeated_column",
            )
        seen[column.key] = index
        mapping[index] = column
    missing = [str(c.label) for c in kind.columns if c.required and c.key not in seen]
    if missing:
        raise ImportFileError(
            _("The header row lacks these columns: %(columns)s. Use the template.")
            % {"columns": ", ".join(missing)},
            "missing_columns",
        )
    return mapping, ignored


def parse_rows(kind: ImportKind, sheet: Sheet) -> tuple[list[ParsedRow], list[str]]:
    mapping, ignored = match_headers(kind, sheet.headers)
    choice_maps = {c.key: c.choice_map() for c in kind.read_columns if c.type == "choice"}
    rows = []
    for sheet_row in sheet.rows:
        rows.append(_parse_row(sheet_row, mapping, kind.read_columns, choice_maps))
    return rows, ignored


def rows_to_json(rows: list[ParsedRow]) -> list[dict]:
    """The rows as read (before any plan), kept on the batch so a re-check need not parse the file again."""

    def encode(value):
        return {"date": value.isoformat()} if isinstance(value, datetime.date) else value

    return [
        {
            "n": row.number,
            "v": {key: encode(value) for key, value in row.values.items()},
            "s": row.shown,
            "e": [error.__dict__ for error in row.errors],
        }
        for row in rows
    ]


def rows_from_json(data: list[dict]) -> list[ParsedRow]:
    def decode(value):
        return datetime.date.fromisoformat(value["date"]) if isinstance(value, dict) else value

    return [
        ParsedRow(
            item["n"],
            {key: decode(value) for key, value in item["v"].items()},
            item["s"],
            [RowError(**error) for error in item["e"]],
        )
        for item in data
    ]


def _parse_row(sheet_row: SheetRow, mapping, columns, choice_maps) -> ParsedRow:
    values, shown, errors = {}, {}, []
    cells = sheet_row.cells
    present = set()
    for index, column in mapping.items():
        cell = cells[index] if index < len(cells) else Cell(None)
        present.add(column.key)
        shown[column.key] = display(cell.value)
        try:
            values[column.key] = parse_cell(column, cell, choice_maps.get(column.key))
        except CellError as error:
            values[column.key] = None
            errors.append(RowError(str(column.label), shown[column.key], str(error)))
    for column in columns:
        if column.key not in present:
            values[column.key] = False if column.type == "bool" else None
    return ParsedRow(sheet_row.number, values, shown, errors)
