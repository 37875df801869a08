"""Excel import of branches (commune, name, kind, member count, founded on): the kind the import engine
(core.importing) offers on the branch list. A branch already in the commune (same name, diacritics aside)
is updated; a new one is added. Registered in BranchesConfig.ready()."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Min
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.importing.engine import (
    NEW,
    UNCHANGED,
    UPDATED,
    Column,
    ImportKind,
    ParsedRow,
    Plan,
    change,
    display,
    outcome_of,
    record_basis,
    suggestion,
)
from core.text import fold, normalize_name
from core.validators import validate_not_in_future, validate_union_era

from . import counters
from .models import Branch, Commune, CommuneSuccession, validate_member_count
from .services import founded_after_term

_PREFIX = re.compile(r"^(xa|phuong|thi tran|dac khu|thi xa)\s+")
_DISTRICT_PREFIX = re.compile(r"^(huyen|quan|thi xa|thanh pho)\s+")


def unit_key(name: str) -> str:
    """A unit's name as typed in a sheet is compared without diacritics and without "Xã"/"Phường"."""
    return _PREFIX.sub("", fold(name))


def district_key(name: str) -> str:
    return _DISTRICT_PREFIX.sub("", fold(name))


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


class UnitIndex:
    """The communes a user may attach branches to, matched by name (diacritic-insensitive, with or without
    "Xã") or by official code. Read in one query."""

    def __init__(self, user):
        fields = ("pk", "name", "code", "ended_on", "province_id", "district__name")
        communes = list(Commune.objects.visible_to(user).select_related("district").only(*fields))
        # The old communes that went into the user's communes of today (Xã Hiếu Tử into Xã Tập Ngãi): a
        # sheet naming one is told it ceased, not that it is another unit's. One query.
        seen = {c.pk for c in communes}
        today = [c.pk for c in communes if c.ended_on is None]
        communes += [
            c
            for c in Commune.objects.filter(
                pk__in=CommuneSuccession.objects.filter(successor__in=today).values("predecessor")
            )
            .select_related("district")
            .only(*fields)
            if c.pk not in seen
        ]
        self.by_pk = {c.pk: c for c in communes}
        self.current: dict[str, list[Commune]] = {}
        self.ended: dict[str, list[Commune]] = {}
        # A commune of before the 2025 reform with its district: the list's export names a branch still
        # waiting under one so, and today's commune may have taken the same name.
        self.in_district: dict[tuple[str, str], list[Commune]] = {}
        for commune in communes:
            target = self.current if commune.ended_on is None else self.ended
            keys = {unit_key(commune.name), fold(commune.name), commune.code}
            for key in keys:
                target.setdefault(key, []).append(commune)
            if commune.district_id is not None:
                for key in keys:
                    self.in_district.setdefault((district_key(commune.district.name), key), []).append(
                        commune
                    )
        self.names = {unit_key(c.name): c.name for c in communes if c.ended_on is None}
        current = [c for c in communes if c.ended_on is None]
        self.only = current[0] if len(current) == 1 else None

    def resolve(
        self, row: ParsedRow, key: str, columns: dict, ended_allowed=(), district: str | None = None
    ) -> Commune | None:
        """The commune of the row's `key` column, or None after refusing the row with the reason. An ended
        commune is refused unless its id is in `ended_allowed`. With a `district` (the name in a row of
        the list's export), the commune of that name in that district, if there was one."""
        text = row.values.get(key)
        if not text:
            if self.only is not None:
                return self.only
            row.refuse(key, _("which commune? Fill in this column"), columns=columns)
            return None
        typed = str(text)
        if district:
            place = district_key(str(district))
            former = self.in_district.get((place, fold(typed))) or self.in_district.get(
                (place, unit_key(typed))
            )
            if former and len(former) == 1:
                return self._ended_or_refuse(row, key, columns, former[0], ended_allowed)
        found = self.current.get(fold(typed)) or self.current.get(unit_key(typed))
        if found and len(found) == 1:
            return found[0]
        if found:
            row.refuse(
                key, _("several communes have this name: type the official code instead"), columns=columns
            )
            return None
        ended = self.ended.get(fold(typed)) or self.ended.get(unit_key(typed))
        if ended and len(ended) == 1:
            return self._ended_or_refuse(row, key, columns, ended[0], ended_allowed)
        if ended:
            self._refuse_ended(row, key, columns, ended[0])
            return None
        close = suggestion(unit_key(typed), self.names)
        # Not found, however it came to be (misspelt, or another unit's): said so, not as a scope refusal.
        message = _("no commune named %(value)s was found in your unit") % {"value": typed}
        if close:
            message += " " + _("(did you mean “%(name)s”?)") % {"name": close}
        row.refuse(key, message, columns=columns)
        return None

    def _ended_or_refuse(self, row, key, columns, commune: Commune, ended_allowed) -> Commune | None:
        if commune.ended_on is None or commune.pk in ended_allowed:
            return commune
        self._refuse_ended(row, key, columns, commune)
        return None

    @staticmethod
    def _refuse_ended(row, key, columns, commune: Commune) -> None:
        row.refuse(
            key,
            _("%(unit)s ceased on %(date)s: use today's commune")
            % {"unit": commune.name, "date": _date(commune.ended_on)},
            columns=columns,
        )


#: The district a list's export writes beside a branch (before 2025), read back with the commune
#: (UnitIndex.resolve's `district`): the branches' and the secretaries' imports.
DISTRICT_READ_BACK = Column(
    "district", gettext_lazy("District"), aliases=("huyen", "quan/huyen", "huyen/thi xa"), width=20
)


@dataclass
class BranchPayload:
    new: list[Branch] = field(default_factory=list)
    updated: list[Branch] = field(default_factory=list)


class BranchImport(ImportKind):
    slug = "branches"
    file_slug = "chi-doan"
    label = gettext_lazy("Branches")
    list_url_name = "branches:branch_list"
    columns = (
        Column(
            "commune",
            gettext_lazy("Commune"),
            aliases=("xa", "phuong", "xa/phuong", "xa, phuong", "don vi", "ma xa", "commune/ward"),
            help=gettext_lazy(
                "The commune or ward, by name or official code; may be left empty in a commune."
            ),
            width=24,
        ),
        Column(
            "name",
            gettext_lazy("Branch name"),
            aliases=("chi doan", "ten chi doan", "ten", "branch", "name"),
            required=True,
            max_length=150,
            width=28,
        ),
        Column(
            "kind",
            gettext_lazy("Kind"),
            aliases=("loai", "loai chi doan", "kind"),
            type="choice",
            choices=lambda: Branch.Kind.choices,
            width=22,
        ),
        Column(
            "member_count",
            gettext_lazy("Member count"),
            aliases=("so doan vien", "doan vien", "members"),
            type="int",
            width=14,
            validators=(validate_member_count,),
        ),
        Column(
            "founded_on",
            gettext_lazy("Founded on"),
            aliases=("ngay thanh lap", "thanh lap", "founded"),
            type="date",
            width=14,
            validators=(validate_not_in_future, validate_union_era),
        ),
    )
    # The list's export names each branch's district (before 2025): read back, it tells a branch still
    # waiting under its former commune from one of today's commune of the same name.
    read_also = (DISTRICT_READ_BACK,)
    instructions = (
        gettext_lazy(
            "A branch whose name the commune already has is updated (kind, member count, founding date)."
        ),
    )

    def may_import(self, user) -> bool:
        # Those who add branches by the form, for a unit that still exists.
        return user.has_portal_role and user.unit_ended_on is None

    def template_lists(self, user) -> dict[str, list[str]]:
        communes = Commune.objects.visible_to(user).current().order_by("name").values_list("name", flat=True)
        return {"commune": list(communes)}

    def example_row(self, user) -> dict:
        commune = Commune.objects.visible_to(user).current().order_by("name").first()
        return {
            "commune": commune.name if commune else "Xã Tập Ngãi",
            "name": "Ấp Cây Gòn",
            "kind": str(Branch.Kind.HAMLET.label),
            "member_count": 35,
            "founded_on": datetime.date(2010, 3, 26),
        }

    def plan(self, *, rows: list[ParsedRow], user, options: dict, lock: bool = False) -> Plan:
        columns = self.columns_by_key()
        units = UnitIndex(user)
        existing_qs = Branch.objects.visible_to(user).filter(commune__ended_on__isnull=True)
        if lock:
            existing_qs = existing_qs.select_for_update(of=("self",))
        existing = {(b.commune_id, b.name_key): b for b in existing_qs}
        # The branches still under an ended commune, waiting for their new one: the list's own export names
        # them so, and a row left as exported is "unchanged", not an error that stops the whole file.
        waiting = {(b.commune_id, b.name_key): b for b in Branch.objects.visible_to(user).waiting()}
        waiting_in: dict[str, set[int]] = {}
        for commune_id, name_key in waiting:
            waiting_in.setdefault(name_key, set()).add(commune_id)
        # The day each branch's earliest term began: a founding date the rows change is not after it.
        first_terms = {}
        if any(row.values.get("founded_on") for row in rows):
            first_terms = dict(
                Branch.objects.visible_to(user)
                .filter(terms__isnull=False)
                .annotate(first=Min("terms__started_on"))
                .values_list("pk", "first")
            )
        seen: dict[tuple, int] = {}
        outcomes, payload = [], BranchPayload()
        for row in rows:
            name = normalize_name(row.values.get("name") or "")
            commune = units.resolve(
                row,
                "commune",
                columns,
                ended_allowed=waiting_in.get(fold(name), ()),
                district=row.values.get("district"),
            )
            action, summary, branch, details = NEW, name, None, []
            if commune is not None and name:
                summary = f"{name} — {commune.name}"
                key = (commune.pk, fold(name))
                if key in seen:
                    row.refuse(
                        "name", _("the same branch is on row %(row)s") % {"row": seen[key]}, columns=columns
                    )
                seen.setdefault(key, row.number)
                branch = existing.get(key) or waiting.get(key)
                if branch is not None:
                    summary = f"{branch.name} — {commune.name}"  # as it is named, however the row spells it
                if commune.ended_on is not None and self._changed(row, branch):
                    row.refuse(
                        "commune",
                        _("this branch waits for its new commune: choose it in the list of waiting branches"),
                        columns=columns,
                    )
                # An inactive or ceased branch comes back unchanged in the list's own export: refused only
                # when the row would change it.
                if branch is not None and not branch.is_active and self._changed(row, branch):
                    if branch.ended_on is not None:
                        row.refuse(
                            "name",
                            _("this branch ceased on %(date)s (merged or split): it no longer changes")
                            % {"date": display(branch.ended_on)},
                            columns=columns,
                        )
                    else:
                        row.refuse("name", _("this branch is inactive: reactivate it first"), columns=columns)
                founded = self._changed(row, branch).get("founded_on") if branch is not None else None
                first = first_terms.get(branch.pk) if founded is not None else None
                if first is not None and founded > first:
                    message = " ".join(founded_after_term(first).messages).rstrip(".")
                    row.refuse("founded_on", message[:1].lower() + message[1:], columns=columns)
                if not row.errors:
                    changed = self._changed(row, branch) if branch else {}
                    details = [
                        change(Branch._meta.get_field(key), getattr(branch, key), value)
                        for key, value in changed.items()
                    ]
                    action = self._apply(row, branch, commune, name, payload)
            outcomes.append(outcome_of(row, action, summary, basis=record_basis(branch), details=details))
        return Plan(outcomes, payload)

    @staticmethod
    def _values(row: ParsedRow) -> dict:
        return {
            key: row.values[key]
            for key in ("kind", "member_count", "founded_on")
            if row.values.get(key) is not None
        }

    @staticmethod
    def _changed(row: ParsedRow, branch: Branch) -> dict:
        return {
            key: value for key, value in BranchImport._values(row).items() if getattr(branch, key) != value
        }

    @staticmethod
    def _apply(
        row: ParsedRow, branch: Branch | None, commune: Commune, name: str, payload: BranchPayload
    ) -> str:
        values = BranchImport._values(row)
        if branch is None:
            new = Branch(commune_id=commune.pk, name=name, **values)
            new.name_key = fold(name)  # bulk_create does not run save()
            payload.new.append(new)
            return NEW
        changed = BranchImport._changed(row, branch)
        if not changed:
            return UNCHANGED
        for key, value in changed.items():
            setattr(branch, key, value)
        payload.updated.append(branch)
        return UPDATED

    def commit(self, *, plan: Plan, user, reason: str) -> None:
        branches_import(payload=plan.payload, user=user, reason=reason)


@transaction.atomic
def branches_import(*, payload: BranchPayload, user, reason: str) -> None:
    """Write a checked batch of branches, with their history ("Imported from file …", the user), in a
    fixed number of queries."""
    if payload.new:
        bulk_create_with_history(
            payload.new, Branch, batch_size=500, default_user=user, default_change_reason=reason
        )
    if payload.updated:
        for branch in payload.updated:
            branch.version += 1
        bulk_update_with_history(
            payload.updated,
            Branch,
            ["kind", "member_count", "founded_on", "version"],
            batch_size=500,
            default_user=user,
            default_change_reason=reason,
        )
    counters.refresh({b.commune_id for b in payload.new} | {b.commune_id for b in payload.updated})
