"""Excel import of secretaries with their current term: the kind the import engine (core.importing) offers
on the secretaries' list. Registered in SecretariesConfig.ready().

Each row is a person and their appointment as secretary of a branch from a start date. The rules of the
forms and of `term_appoint` hold for the whole batch, checked in bulk (a fixed number of queries): the
branch is in the user's scope, active, of a commune that still exists; it has no current secretary (an
import never replaces one: that is the appointment form's confirmed step) and the file names it once; the
person is not already in scope (same name and birth date) unless the user says "this is the same person",
which updates that person, and then their terms must not overlap the new one. The database constraints
(one current secretary per branch) stay the last word.

The list's export reads back: its "Current role" column makes a row a deputy's term, and a row that says
what a person's record says (same name and birth date, and that person's current term, or no term at all
for a former secretary) is that person without the "same person" tick: unchanged, or updated by its edits.
Its Party joining date and expected end of the term are read with the forms' rules (check_party_date,
check_expected_end); an edited expected end updates the term kept.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from branches import counters
from branches.imports import DISTRICT_READ_BACK, UnitIndex
from branches.models import Branch
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
    later,
    outcome_of,
    record_basis,
    suggestion,
)
from core.text import fold, name_sort_key, normalize_name

from .birth_dates import validate_date_of_birth
from .choices import ETHNICITIES, EducationLevel, Gender, Religion, TheoryLevel
from .models import (
    Person,
    Term,
    check_expected_end,
    check_party_date,
    check_started_after_founding,
    held_until_error,
    secretary_overlap_error,
)
from .phones import formatted, is_phone, search_digits
from .sensitive import hidden_fields

PERSON_FIELDS = (
    "full_name",
    "gender",
    "date_of_birth",
    "ethnicity",
    "religion",
    "education_level",
    "political_theory_level",
    "is_party_member",
    "party_joined_on",
    "occupation",
    "phone",
    "email",
)
#: what an empty optional cell means for a new person (an update leaves the stored value)
DEFAULTS = {
    "ethnicity": "01",
    "religion": Religion.NONE,
    "political_theory_level": TheoryLevel.NONE,
    "education_level": "",
    "occupation": "",
    "phone": "",
    "email": "",
}


def _date(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def _refusal(error: ValidationError) -> str:
    """A rule's message after "Row n, Column:", as the engine writes a column validator's."""
    message = " ".join(error.messages).rstrip(".")
    return message[:1].lower() + message[1:]


def branch_key(name: str) -> str:
    key = fold(name)
    return key[len("chi doan ") :] if key.startswith("chi doan ") else key


#: the words a hamlet's or quarter's name begins with (folded), which an Excel sheet often leaves out
#: ("Đại Mong B" for "Ấp Đại Mong B")
PLACE_WORDS = ("ap ", "khom ", "thon ", "khu pho ", "to dan pho ")


def bare_key(key: str) -> str:
    """A branch's key without the word for its kind of place."""
    for word in PLACE_WORDS:
        if key.startswith(word) and len(key) > len(word):
            return key[len(word) :]
    return key


class BranchIndex:
    """The branches of the user's scope, by name (diacritic-insensitive, with or without "Chi đoàn"), and
    those of them waiting for their new commune: two queries."""

    def __init__(self, user):
        branches = list(
            Branch.objects.visible_to(user)
            .select_related("commune")
            .only(
                "pk",
                "name",
                "name_key",
                "is_active",
                "founded_on",
                "commune_id",
                "commune__name",
                "commune__ended_on",
                "commune__province_id",
                "commune__district_id",
            )
        )
        self.by_name: dict[str, list[Branch]] = {}
        self.by_commune: dict[tuple[int, str], list[Branch]] = {}
        # By name without "Ấp", "Khóm"…: a name typed without it is read when it is the only one.
        self.bare_by_name: dict[str, list[Branch]] = {}
        self.bare_by_commune: dict[tuple[int, str], list[Branch]] = {}
        for branch in branches:
            key = branch_key(branch.name)
            self.by_name.setdefault(key, []).append(branch)
            self.by_commune.setdefault((branch.commune_id, key), []).append(branch)
            bare = bare_key(key)
            if bare != key:
                self.bare_by_name.setdefault(bare, []).append(branch)
                self.bare_by_commune.setdefault((branch.commune_id, bare), []).append(branch)
        self.names = {
            branch_key(b.name): b.name for b in branches if b.commune.ended_on is None and b.is_active
        }
        # The branches still under an ended commune, waiting for their new one: the list's export names each
        # under that commune (and its district), and its row read back is theirs. By name, the communes they
        # wait under (UnitIndex.resolve's `ended_allowed`).
        self.waiting_ids: set[int] = set()
        self.waiting_in: dict[str, set[int]] = {}
        for pk, commune_id, name in (
            Branch.objects.visible_to(user).waiting().values_list("pk", "commune_id", "name")
        ):
            self.waiting_ids.add(pk)
            self.waiting_in.setdefault(branch_key(name), set()).add(commune_id)

    def communes_waited_under(self, row: ParsedRow) -> set[int]:
        return self.waiting_in.get(branch_key(str(row.values.get("branch") or "")), set())

    def resolve(self, row: ParsedRow, commune, columns: dict) -> Branch | None:
        typed = str(row.values.get("branch") or "")
        if not typed:
            return None
        key = branch_key(typed)
        found = self.by_name.get(key, []) if commune is None else self.by_commune.get((commune.pk, key), [])
        bare = False
        if not found and bare_key(key) == key:
            # Typed without "Ấp", "Khóm"…: the branch so named when there is only one (two are refused
            # below, naming both).
            found = (
                self.bare_by_name.get(key, [])
                if commune is None
                else self.bare_by_commune.get((commune.pk, key), [])
            )
            bare = bool(found)
        if commune is not None and commune.ended_on is not None:
            # An ended commune is let through for the branches waiting under it only.
            waiting = [b for b in found if b.pk in self.waiting_ids]
            if len(waiting) == 1:
                return waiting[0]
        current = [b for b in found if b.commune.ended_on is None]
        if len(current) > 1 and bare:
            row.refuse(
                "branch",
                _("%(value)s may be %(names)s: write the name in full")
                % {"value": typed, "names": " / ".join(sorted(f"“{b.name}”" for b in current))},
                columns=columns,
            )
            return None
        if len(current) > 1:
            row.refuse("branch", _("several branches have this name: fill in the commune"), columns=columns)
            return None
        if current:
            branch = current[0]
            if not branch.is_active:
                row.refuse("branch", _("this branch is inactive"), columns=columns)
                return None
            return branch
        if found:
            ended = found[0].commune
            row.refuse(
                "branch",
                _("its commune %(unit)s ceased on %(date)s")
                % {"unit": ended.name, "date": _date(ended.ended_on)},
                columns=columns,
            )
            return None
        if commune is not None and key in self.names:
            # A branch of that name is the unit's, in another commune than the row's.
            row.refuse(
                "branch",
                _("%(value)s is not a branch of %(commune)s") % {"value": typed, "commune": commune.name},
                columns=columns,
            )
            return None
        message = _("no branch named %(value)s was found in your unit") % {"value": typed}
        # Its words compared with the names, with and without "Ấp", "Khóm"… as it was typed.
        names = self.names if bare_key(key) != key else {bare_key(k): v for k, v in self.names.items()}
        close = suggestion(key, names)
        if close:
            message += " " + _("(did you mean “%(name)s”?)") % {"name": close}
        row.refuse("branch", message, columns=columns)
        return None


@dataclass
class Appointment:
    person: Person
    branch: Branch
    started_on: datetime.date
    role: str = Term.Role.SECRETARY
    expected_end_on: datetime.date | None = None


@dataclass
class SecretaryPayload:
    new_people: list[Person] = field(default_factory=list)
    updated_people: list[Person] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    #: the expected end a row sets on a term it keeps (the list's export with that cell edited), by term
    term_ends: dict[int, datetime.date] = field(default_factory=dict)


class SecretaryImport(ImportKind):
    slug = "secretaries"
    file_slug = "bi-thu"
    label = gettext_lazy("Branch secretaries")
    list_url_name = "secretaries:person_list"
    columns = (
        Column(
            "full_name",
            gettext_lazy("Full name"),
            aliases=("ho va ten", "ho ten", "ho & ten", "ten bi thu", "name"),
            required=True,
            max_length=100,
            width=26,
        ),
        Column(
            "gender",
            gettext_lazy("Gender"),
            aliases=("gioi tinh", "phai", "gender", "sex"),
            required=True,
            type="choice",
            choices=lambda: Gender.choices,
            synonyms=(("nu", Gender.FEMALE), ("nư", Gender.FEMALE), ("f", Gender.FEMALE), ("m", Gender.MALE)),
            width=10,
        ),
        Column(
            "date_of_birth",
            gettext_lazy("Date of birth"),
            aliases=("ngay sinh", "ngay thang nam sinh", "sinh ngay", "birth date", "born"),
            required=True,
            type="date",
            width=14,
            validators=(validate_date_of_birth,),
        ),
        Column(
            "ethnicity",
            gettext_lazy("Ethnicity"),
            aliases=("dan toc", "ethnic group"),
            type="choice",
            choices=lambda: ETHNICITIES,
            width=14,
        ),
        Column(
            "religion",
            gettext_lazy("Religion"),
            aliases=("ton giao",),
            type="choice",
            choices=lambda: Religion.choices,
            synonyms=(
                ("khong co", Religion.NONE),
                ("phat", Religion.BUDDHISM),
                ("thien chua", Religion.CATHOLICISM),
            ),
            width=16,
        ),
        Column(
            "education_level",
            gettext_lazy("Education level"),
            aliases=("trinh do hoc van", "hoc van", "van hoa", "trinh do van hoa", "education"),
            type="choice",
            choices=lambda: EducationLevel.choices,
            synonyms=(
                ("12/12", EducationLevel.UPPER_SECONDARY),
                ("9/12", EducationLevel.LOWER_SECONDARY),
                ("thpt", EducationLevel.UPPER_SECONDARY),
                ("thcs", EducationLevel.LOWER_SECONDARY),
                ("dai hoc", EducationLevel.UNIVERSITY),
                ("cao dang", EducationLevel.COLLEGE),
                ("trung cap", EducationLevel.VOCATIONAL),
                ("thac si", EducationLevel.POSTGRADUATE),
            ),
            width=22,
        ),
        Column(
            "political_theory_level",
            gettext_lazy("Political-theory level"),
            aliases=("ly luan chinh tri", "trinh do ly luan chinh tri", "trinh do llct", "llct"),
            type="choice",
            choices=lambda: TheoryLevel.choices,
            synonyms=(
                ("so cap", TheoryLevel.ELEMENTARY),
                ("trung cap", TheoryLevel.INTERMEDIATE),
                ("cao cap", TheoryLevel.ADVANCED),
                ("chua", TheoryLevel.NONE),
                ("khong", TheoryLevel.NONE),
            ),
            width=20,
        ),
        Column(
            "is_party_member",
            gettext_lazy("Party member"),
            aliases=("dang vien", "la dang vien", "party"),
            type="bool",
            width=12,
        ),
        Column(
            "party_joined_on",
            gettext_lazy("Joined the Party on"),
            aliases=("ngay vao dang", "ngay ket nap dang", "vao dang", "ngay ket nap"),
            type="date",
            width=14,
            validators=tuple(Person._meta.get_field("party_joined_on").validators),
        ),
        Column(
            "occupation", gettext_lazy("Occupation"), aliases=("nghe nghiep", "cong viec"), max_length=100
        ),
        Column(
            "phone",
            gettext_lazy("Phone"),
            aliases=("so dien thoai", "dien thoai", "sdt", "dt"),
            max_length=20,
            width=14,
        ),
        Column(
            "email",
            gettext_lazy("E-mail"),
            aliases=("email", "thu dien tu", "e mail"),
            type="email",
            width=24,
        ),
        Column(
            "commune",
            gettext_lazy("Commune"),
            aliases=("xa", "phuong", "xa/phuong", "don vi"),
            help=gettext_lazy("Needed only when two communes of your unit have a branch of that name."),
            width=20,
        ),
        Column(
            "branch",
            gettext_lazy("Branch"),
            aliases=("chi doan", "ten chi doan", "branch"),
            required=True,
            may_be_blank=True,  # a former secretary's row (the list's export): no current term
            width=24,
        ),
        Column(
            "started_on",
            gettext_lazy("Term starts on"),
            aliases=("ngay bat dau nhiem ky", "bat dau nhiem ky", "nhiem ky tu", "tu ngay", "ngay bat dau"),
            required=True,
            may_be_blank=True,
            type="date",
            width=16,
        ),
        Column(
            "expected_end_on",
            gettext_lazy("Term due to end on"),
            aliases=("het nhiem ky", "ngay het nhiem ky", "nhiem ky den", "den ngay", "ket thuc nhiem ky"),
            type="date",
            width=16,
        ),
    )
    #: the list's export writes each person's current role: read back, a deputy's row is a deputy's term;
    #: and the branch's district (before 2025), which tells a branch waiting under its former commune from
    #: one of today's commune of the same name
    read_also = (
        DISTRICT_READ_BACK,
        Column(
            "role",
            gettext_lazy("Current role"),
            aliases=("chuc vu", "chuc vu hien tai", "vai tro", "role"),
            type="choice",
            choices=lambda: Term.Role.choices,
            synonyms=(("bi thu", Term.Role.SECRETARY), ("pho bi thu", Term.Role.DEPUTY)),
        ),
    )
    instructions = (
        gettext_lazy("Each row appoints the person secretary of the branch from the start date."),
        gettext_lazy(
            "A branch that already has a secretary is refused: end that term or use the appointment form."
        ),
        gettext_lazy(
            "A person already in the portal (same name and date of birth) is shown on the preview; you can "
            "say it is the same person, and the row then updates that record."
        ),
        gettext_lazy(
            "The secretaries' list exported to Excel can be uploaded back: a row that matches a record (same "
            "name, date of birth and current term, or no current term) updates that person, or is unchanged."
        ),
    )

    def may_import(self, user) -> bool:
        # Those who add secretaries by the form; an account of a unit that ended records nothing new.
        return user.has_portal_role and user.unit_ended_on is None

    def template_lists(self, user) -> dict[str, list[str]]:
        branches = (
            Branch.objects.visible_to(user)
            .active()
            .filter(commune__ended_on__isnull=True)
            .order_by("name_key")
            .values_list("name", flat=True)
            .distinct()
        )
        communes = (
            Branch.objects.visible_to(user)
            .filter(commune__ended_on__isnull=True)
            .order_by("commune__name")
            .values_list("commune__name", flat=True)
            .distinct()
        )
        return {"branch": list(branches[:2000]), "commune": list(communes)}

    def example_row(self, user) -> dict:
        return {
            "full_name": "Nguyễn Thị Hồng Nhung",
            "gender": str(Gender.FEMALE.label),
            "date_of_birth": datetime.date(1998, 9, 5),
            "ethnicity": "Kinh",
            "religion": str(Religion.NONE.label),
            "education_level": str(EducationLevel.UNIVERSITY.label),
            "political_theory_level": str(TheoryLevel.ELEMENTARY.label),
            "is_party_member": _("Yes"),
            "party_joined_on": datetime.date(2021, 3, 26),
            "occupation": _("Teacher"),
            "phone": "0912345678",
            "email": "nhung@example.vn",
            "branch": "Ấp Cây Gòn",
            "started_on": datetime.date(2025, 10, 1),
            "expected_end_on": datetime.date(2027, 10, 1),
        }

    def template_columns(self, user) -> tuple[Column, ...]:
        hidden = hidden_fields(user)
        return tuple(column for column in self.columns if column.key not in hidden)

    def plan(self, *, rows: list[ParsedRow], user, options: dict, lock: bool = False) -> Plan:
        dropped = drop_hidden(rows, user)
        columns = self.columns_by_key()
        same_rows = set(options.get("same_person", []))
        units, branches = UnitIndex(user), BranchIndex(user)
        people: dict[tuple, list[dict]] = {}
        for person in Person.objects.visible_to(user).values("pk", "full_name", "name_key", "date_of_birth"):
            people.setdefault((person["name_key"], person["date_of_birth"]), []).append(person)

        # The people of the scope a row names (name and date of birth), with all their terms: a row whose
        # person is there is theirs when the user says so ("same person"), or when the row says what the
        # record says (the list's export read back): the same current term, or none.
        named = {
            row.number: people.get((fold(row.values.get("full_name") or ""), row.values.get("date_of_birth")))
            or []
            for row in rows
        }
        matched_ids = sorted({p["pk"] for found in named.values() for p in found})
        # A person the user reads but does not keep (who serves in another commune's branch now: the list
        # and its export have them) is read-only here: their row is theirs, and is not checked against the
        # user's units (PersonQuerySet.kept_by, the rule of the person page).
        kept_ids = (
            set(Person.objects.kept_by(user).filter(pk__in=matched_ids).values_list("pk", flat=True))
            if matched_ids
            else set()
        )
        read_only = {
            number: found
            for number, found in named.items()
            if found and not any(p["pk"] in kept_ids for p in found)
        }

        resolved: dict[int, Branch | None] = {}
        for row in rows:
            if row.number in read_only:
                resolved[row.number] = None
                continue
            commune = (
                units.resolve(
                    row,
                    "commune",
                    columns,
                    ended_allowed=branches.communes_waited_under(row),
                    district=row.values.get("district"),
                )
                if row.values.get("commune")
                else None
            )
            if row.values.get("commune") and commune is None:
                resolved[row.number] = None
                continue
            resolved[row.number] = branches.resolve(row, commune, columns)
        branch_ids = sorted({b.pk for b in resolved.values() if b is not None})
        if lock:
            # Two imports (or an import and the appointment form) cannot appoint to the same branch at once.
            list(Branch.objects.select_for_update().filter(pk__in=branch_ids).values_list("pk", flat=True))
        current = {
            t["branch_id"]: t
            for t in Term.objects.current()
            .secretaries()
            .filter(branch__in=Branch.objects.visible_to(user))
            .values("branch_id", "person_id", "person__full_name", "started_on")
        }
        # The ended secretaries' terms of these branches: a new secretary starts after the last one ended.
        ended_of: dict[int, list[Term]] = {}
        for term in (
            Term.objects.secretaries()
            .filter(branch__in=branch_ids, ended_on__isnull=False)
            .select_related("person", "branch")
            .only("pk", "branch_id", "started_on", "ended_on", "person__full_name", "branch__name")
            .order_by("-ended_on", "-pk")
        ):
            ended_of.setdefault(term.branch_id, []).append(term)
        chosen = {
            number: found[0]
            for number, found in named.items()
            if found and number in same_rows and number not in read_only
        }
        terms_of: dict[int, list[Term]] = {}
        existing_people: dict[int, Person] = {}
        if matched_ids:
            terms = (
                Term.objects.filter(person__in=matched_ids)
                .annotate(branch_name=F("branch__name"), commune_name=F("branch__commune__name"))
                .only(
                    "pk",
                    "version",
                    "person_id",
                    "branch_id",
                    "role",
                    "started_on",
                    "expected_end_on",
                    "ended_on",
                )
                .order_by("pk")
            )
            found_people = Person.objects.filter(pk__in=matched_ids).order_by("pk")
            if lock:
                # The people a row updates or keeps, and their terms, locked from the check of their
                # version to the write.
                found_people = found_people.select_for_update()
                terms = terms.select_for_update(of=("self",))
            existing_people = {p.pk: p for p in found_people}
            for term in terms:
                terms_of.setdefault(term.person_id, []).append(term)

        today = timezone.localdate()
        seen_people: dict[tuple, int] = {}
        seen_branches: dict[int, int] = {}
        outcomes, payload = [], SecretaryPayload()
        for row in rows:
            values = row.values
            phone = values.get("phone") or ""
            if phone.isdigit() and len(phone) == 9:
                # A number typed into a number cell loses its leading zero (0912… became 912…).
                values["phone"] = phone = "0" + phone
            if is_phone(phone):
                # Written as the record keeps it, so that a row read back is "unchanged".
                values["phone"] = formatted(phone)
            elif phone:
                row.refuse(
                    "phone",
                    _("%(value)s is not a phone number: 10 or 11 digits starting with 0 (or +84)")
                    % {"value": phone},
                    columns=columns,
                )
            name = normalize_name(values.get("full_name") or "")
            born, started = values.get("date_of_birth"), values.get("started_on")
            role = values.get("role") or Term.Role.SECRETARY
            if row.number in read_only:
                outcomes.append(
                    self._read_only(row, name, read_only[row.number], terms_of, existing_people, columns)
                )
                continue
            branch = resolved.get(row.number)
            due = values.get("expected_end_on")
            with_term = _names_term(values)
            matches = named[row.number] if name and born else []

            same = chosen.get(row.number)
            auto = False
            if same is None and matches:
                # The record the row reads as: the same current term (branch, role, start), or no term.
                fits = [
                    p
                    for p in matches
                    if (
                        with_term
                        and branch is not None
                        and any(
                            (t.branch_id, t.role, t.started_on) == (branch.pk, role, started)
                            for t in _current(terms_of, p["pk"])
                        )
                    )
                    or (not with_term and not _current(terms_of, p["pk"]))
                ]
                if len(fits) == 1:
                    same, auto = fits[0], True
            kept = None
            if same and branch is not None:
                # The person's current term in this branch and role is kept (its start as recorded).
                kept = next(
                    (t for t in _current(terms_of, same["pk"]) if (t.branch_id, t.role) == (branch.pk, role)),
                    None,
                )
            self._check_dates(row, born, started, today, user, columns, recording=kept is None)
            person_key = (fold(name), born)
            if name and born:
                if person_key in seen_people:
                    row.refuse(
                        "full_name",
                        _("the same person (name and date of birth) is on row %(row)s")
                        % {"row": seen_people[person_key]},
                        columns=columns,
                    )
                seen_people.setdefault(person_key, row.number)
            if branch is not None and role == Term.Role.SECRETARY:
                if branch.pk in seen_branches:
                    row.refuse(
                        "branch",
                        _("this branch's secretary is already on row %(row)s")
                        % {"row": seen_branches[branch.pk]},
                        columns=columns,
                    )
                seen_branches.setdefault(branch.pk, row.number)
            same_as = None
            if matches and not auto:
                same_as = {
                    "url": reverse("secretaries:person_detail", kwargs={"pk": matches[0]["pk"]}),
                    "name": matches[0]["full_name"],
                }
                if same is None:
                    row.refuse(
                        "full_name",
                        _(
                            "%(name)s, born %(date)s, is already in the portal: tick “same person” to update "
                            "that record"
                        )
                        % {"name": matches[0]["full_name"], "date": _date(born)},
                        columns=columns,
                        link=same_as["url"],
                        link_text=_("open the record"),  # the message names the person
                    )
            if with_term:
                for key in ("branch", "started_on"):
                    if not row.shown.get(key):  # (a cell that could not be read says so already)
                        row.refuse(key, _("this column must be filled in"), columns=columns)
            elif same is None and not matches:
                # Only a person already in the portal may come without a term: a new one is appointed.
                row.refuse("branch", _("this column must be filled in"), columns=columns)
            stored = existing_people.get(same["pk"]) if same else None
            if (
                stored
                and row.shown.get("is_party_member")
                and not values["is_party_member"]
                and stored.party_joined_on
            ):
                row.refuse(
                    "is_party_member",
                    _("the record says this person joined the Party on %(date)s: change that in the form")
                    % {"date": _date(stored.party_joined_on)},
                    columns=columns,
                )
            if values.get("party_joined_on"):
                # The form's rules (only a party member, not before 18), with what the row leaves as stored.
                member = (
                    values["is_party_member"]
                    if row.shown.get("is_party_member")
                    else bool(stored and stored.is_party_member)
                )
                try:
                    check_party_date(
                        is_party_member=member, date_of_birth=born, party_joined_on=values["party_joined_on"]
                    )
                except ValidationError as error:
                    row.refuse("party_joined_on", _refusal(error), columns=columns)
            try:
                check_expected_end(started_on=started, expected_end_on=due)
            except ValidationError as error:
                row.refuse("expected_end_on", _refusal(error), columns=columns)
            holder = current.get(branch.pk) if branch is not None and role == Term.Role.SECRETARY else None
            if holder is not None and kept is None:
                row.refuse(
                    "branch",
                    _("%(branch)s already has a secretary, %(person)s, since %(date)s")
                    % {
                        "branch": branch.name,
                        "person": holder["person__full_name"],
                        "date": _date(holder["started_on"]),
                    },
                    columns=columns,
                    link=reverse("secretaries:person_detail", kwargs={"pk": holder["person_id"]}),
                    link_text=_("open the record"),  # the message names the person
                )
            if branch is not None and with_term and kept is None and started:
                try:
                    check_started_after_founding(branch=branch, started_on=started)
                except ValidationError as error:
                    row.refuse("started_on", " ".join(error.messages).rstrip("."), columns=columns)
                previous = next(
                    (t for t in ended_of.get(branch.pk, []) if t.ended_on >= started),
                    None,
                )
                if previous is not None and role == Term.Role.SECRETARY:
                    row.refuse(
                        "started_on",
                        " ".join(secretary_overlap_error(previous).messages).rstrip("."),
                        columns=columns,
                    )
            if same and with_term and kept is None and started:
                clash = next(
                    (t for t in terms_of.get(same["pk"], []) if t.role == role and t.ended_on is None),
                    None,
                ) or next(
                    (
                        t
                        for t in terms_of.get(same["pk"], [])
                        if t.role == role and t.ended_on is not None and t.ended_on >= started
                    ),
                    None,
                )
                if clash is not None and clash.ended_on is not None:
                    # An ended term is not ended first: the new one starts after it (the service's words).
                    ended = held_until_error(
                        person=same["full_name"], branch=clash.branch_name, ended_on=clash.ended_on
                    )
                    row.refuse("started_on", " ".join(ended.messages).rstrip("."), columns=columns)
                elif clash is not None:
                    overlap = (
                        _("%(person)s is secretary of %(branch)s since %(date)s: the terms would overlap")
                        if role == Term.Role.SECRETARY
                        else _(
                            "%(person)s is deputy secretary of %(branch)s since %(date)s: the terms would "
                            "overlap"
                        )
                    )
                    row.refuse(
                        "started_on",
                        overlap
                        % {
                            "person": same["full_name"],
                            "branch": clash.branch_name,
                            "date": _date(clash.started_on),
                        },
                        columns=columns,
                    )
            record = (
                (_kept_name(name, stored) or row.shown.get("full_name", ""))
                + (f" ({_date(born)})" if born else "")
                + (f" — {branch.name}" if branch else "")
            )
            summary = record + (
                f" ({Term.Role(role).label})" if branch and role != Term.Role.SECRETARY else ""
            )
            action, changes = NEW, []
            if not row.errors:
                appointment = (
                    Appointment(stored, branch, started, role, due) if with_term and kept is None else None
                )
                if stored is not None:
                    changes = [
                        change(Person._meta.get_field(key), getattr(stored, key), value)
                        for key, value in _changes(row, name, stored).items()
                    ]
                action = self._apply(row, name, stored, appointment, payload)
                if kept is not None and due is not None and due != kept.expected_end_on:
                    # The term kept, with the expected end the row gives it (an empty cell keeps it).
                    payload.term_ends[kept.pk] = due
                    changes.append(change(Term._meta.get_field("expected_end_on"), kept.expected_end_on, due))
                    action = UPDATED if action == UNCHANGED else action
            # The person updated or kept, and the term kept, at the version the preview read; the branch only
            # by which one it is (its current secretary is checked above, under its lock).
            basis = record_basis(stored, kept) + record_basis(branch, versioned=False)
            new = action == NEW and not row.errors
            outcomes.append(
                outcome_of(
                    row,
                    action,
                    record if new else summary,  # a new row says its role among its details
                    same_as=same_as,
                    chosen_same=same is not None and not auto,
                    basis=basis,
                    details=_new_details(values, role) if new else changes,
                )
            )
        return Plan(outcomes, payload, ignored_headers=dropped)

    @staticmethod
    def _read_only(row, name, found: list[dict], terms_of: dict, existing: dict, columns):
        """The row of a person the user reads and does not keep: "Unchanged" when it says what the record
        says (the person's fields, and their current term or none: the list's export read back), else
        refused as the other unit's record. Never written, so never checked against the user's units."""
        values = row.values
        started, role = values.get("started_on"), values.get("role") or Term.Role.SECRETARY
        due = values.get("expected_end_on")
        typed_branch, typed_commune = values.get("branch") or "", values.get("commune") or ""
        with_term = _names_term(values)

        def says(term) -> bool:
            return (
                branch_key(str(typed_branch)) == branch_key(term.branch_name)
                and (not typed_commune or fold(str(typed_commune)) == fold(term.commune_name))
                and (term.role, term.started_on) == (role, started)
                and (due is None or due == term.expected_end_on)
            )

        def fits(person: dict) -> Term | bool:
            current = _current(terms_of, person["pk"])
            if _changes(row, name, existing[person["pk"]]):
                return False
            if not with_term:
                return not current
            return next((t for t in current if says(t)), False)

        found_fit = next(((p, fit) for p in found if (fit := fits(p)) is not False), None)
        person = found_fit[0] if found_fit else found[0]
        stored = existing[person["pk"]]
        terms = sorted(terms_of.get(person["pk"], []), key=lambda t: (t.started_on, t.pk), reverse=True)
        keeping = [t for t in terms if t.ended_on is None] or terms[:1]
        term = found_fit[1] if found_fit and isinstance(found_fit[1], Term) else None
        summary = (
            _kept_name(name, stored)
            + (f" ({_date(stored.date_of_birth)})" if stored.date_of_birth else "")
            + (f" — {term.branch_name}" if term else "")
        )
        url = reverse("secretaries:person_detail", kwargs={"pk": person["pk"]})
        if found_fit is None:
            if keeping:
                message = _(
                    "the record of %(name)s is now kept by %(unit)s: your unit reads it and does not change "
                    "it. Leave this row as it was exported, or delete it"
                ) % {"name": person["full_name"], "unit": keeping[0].commune_name}
            else:
                message = _(
                    "the record of %(name)s is kept by another unit: your unit reads it and does not change "
                    "it. Leave this row as it was exported, or delete it"
                ) % {"name": person["full_name"]}
            # the message names the person
            row.refuse("full_name", message, columns=columns, link=url, link_text=_("open the record"))
        return outcome_of(row, UNCHANGED, summary, basis=record_basis(stored, term))

    @staticmethod
    def _check_dates(row, born, started, today, user, columns, recording=True):
        # The date of birth's own rules are its column's (validate_date_of_birth). A term kept as recorded
        # is not recorded again: the account's unit's end does not refuse it.
        if started:
            if started > today:
                row.refuse("started_on", _("the start date has not come yet"), columns=columns)
            elif born and started < born:
                row.refuse("started_on", _("the term starts before the date of birth"), columns=columns)
            if recording:
                try:
                    user.check_may_record_on(started)
                except ValidationError as error:
                    row.refuse("started_on", " ".join(error.messages), columns=columns)

    @staticmethod
    def _apply(
        row, name, person: Person | None, appointment: Appointment | None, payload: SecretaryPayload
    ) -> str:
        values = {key: row.values.get(key) for key in PERSON_FIELDS}
        values["full_name"] = name
        if person is None:
            commune = appointment.branch.commune
            fields = {key: (DEFAULTS.get(key) if value is None else value) for key, value in values.items()}
            person = Person(**fields, province_id=commune.province_id, district_id=commune.district_id)
            _keys(person)
            payload.new_people.append(person)
            appointment.person = person
            payload.appointments.append(appointment)
            return NEW
        changes = _changes(row, name, person)
        for key, value in changes.items():
            setattr(person, key, value)
        changed = bool(changes)
        if appointment is not None:
            payload.appointments.append(appointment)
            # The person's record is now managed by the unit of the branch they lead (as term_appoint does).
            commune = appointment.branch.commune
            person.province_id, person.district_id = commune.province_id, commune.district_id
            changed = True
        if not changed:
            return UNCHANGED
        _keys(person)
        payload.updated_people.append(person)
        return UPDATED

    def commit(self, *, plan: Plan, user, reason: str) -> None:
        secretaries_import(payload=plan.payload, user=user, reason=reason)


def _new_details(values: dict, role: str) -> list[dict]:
    """What the preview says of a new person after their name, as read from the row, for the officer to check
    before confirming: gender, role, the term's start and expected end, and the phone if the row has one. The
    words in English (`later`), put in the reader's language when the preview is drawn."""

    def label(model, key) -> dict:
        return later(model._meta.get_field(key).verbose_name)

    details = [
        {
            "label": label(Person, "gender"),
            "text": later(Gender(values["gender"]).label) if values.get("gender") else "",
        },
        {"label": label(Term, "role"), "text": later(Term.Role(role).label)},
        {"label": label(Term, "started_on"), "text": display(values.get("started_on"))},
        {"label": label(Term, "expected_end_on"), "text": display(values.get("expected_end_on"))},
    ]
    if values.get("phone"):
        details.append({"label": label(Person, "phone"), "text": values["phone"]})
    return details


def _names_term(values: dict) -> bool:
    """Whether a row names a term: a branch, a start, a role or an end. One with none of them is a former
    secretary's (the list's export has no current term for them)."""
    return bool(
        values.get("branch")
        or values.get("started_on")
        or values.get("role")
        or values.get("expected_end_on")
    )


def _current(terms_of: dict[int, list[Term]], person_pk: int) -> list[Term]:
    """A person's current terms among those the plan read (`terms_of`: person → terms)."""
    return [t for t in terms_of.get(person_pk, []) if t.ended_on is None]


def _kept_name(name: str, person: Person | None) -> str:
    """The name a row gives a person already in the portal (found by the name folded): the stored spelling
    when the row's says no more than it, typed without diacritics or in other capitals ("le thi ngoc",
    "NGUYỄN QUỐC KHÁNH" for "Lê Thị Ngọc", "Nguyễn Quốc Khánh"); else the row's, which corrects the marks
    (a change the preview shows)."""
    if person is None or not name:
        return name
    if name.lower() == fold(name) or name.casefold() == person.full_name.casefold():
        return person.full_name
    return name


def _changes(row, name: str, person: Person) -> dict:
    """What the row changes on the person's record: an update changes what the row fills in, an empty cell
    keeps the stored value (the one comparison of an update and of a read-only record's row)."""
    values = {key: row.values.get(key) for key in PERSON_FIELDS}
    values["full_name"] = _kept_name(name, person)
    return {
        key: value
        for key, value in values.items()
        if value is not None
        and not (key == "is_party_member" and not row.shown.get(key))
        and getattr(person, key) != value
    }


def drop_hidden(rows: list[ParsedRow], user) -> list[str]:
    """Sensitive data this user may not set (secretaries/sensitive.py): its column is ignored. Returns the
    labels of the columns that had values, for the preview to say they were not imported and why."""
    labels = {column.key: column.label for column in SecretaryImport.columns}
    dropped = []
    for name in sorted(hidden_fields(user)):
        values = [row.values.pop(name, None) for row in rows]  # from every row, before asking
        if any(value not in (None, "") for value in values):
            dropped.append(_("%(column)s (set only by provincial staff)") % {"column": labels[name]})
    return dropped


def _keys(person: Person) -> None:
    # bulk_create and bulk_update do not run Person.save(): the derived keys are set here.
    person.full_name = normalize_name(person.full_name)
    person.name_key = fold(person.full_name)
    person.sort_key = name_sort_key(person.full_name)
    person.phone = formatted(person.phone)
    person.phone_digits = search_digits(person.phone)


@transaction.atomic
def secretaries_import(*, payload: SecretaryPayload, user, reason: str) -> None:
    """Write a checked batch: the new people, the updated ones and the appointments, with their history
    ("Imported from file …", the user), in a fixed number of queries whatever the number of rows."""
    if payload.new_people:
        bulk_create_with_history(
            payload.new_people, Person, batch_size=500, default_user=user, default_change_reason=reason
        )
    if payload.updated_people:
        for person in payload.updated_people:
            person.version += 1
        bulk_update_with_history(
            payload.updated_people,
            Person,
            [*PERSON_FIELDS, "name_key", "sort_key", "phone_digits", "province", "district", "version"],
            batch_size=500,
            default_user=user,
            default_change_reason=reason,
        )
    terms = [
        Term(
            person_id=a.person.pk,
            branch_id=a.branch.pk,
            role=a.role,
            started_on=a.started_on,
            expected_end_on=a.expected_end_on,
        )
        for a in payload.appointments
    ]
    if payload.term_ends:
        kept = list(Term.objects.filter(pk__in=payload.term_ends).order_by("pk"))
        for term in kept:
            term.expected_end_on = payload.term_ends[term.pk]
            term.version += 1
        bulk_update_with_history(
            kept,
            Term,
            ["expected_end_on", "version"],
            batch_size=500,
            default_user=user,
            default_change_reason=reason,
        )
    if terms:
        bulk_create_with_history(terms, Term, batch_size=500, default_user=user, default_change_reason=reason)
        counters.refresh({a.branch.commune_id for a in payload.appointments})
