"""Reads of secretaries and vacancies, always through the user's scope."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, DateField, Exists, FilteredRelation, OuterRef, Prefetch, Q
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from branches.counters import unit_counts
from branches.models import Branch, BranchAttachment, Commune, District, Province
from branches.rollup import (
    TODAY,
    Grouping,
    provinces_today_by_name,
    rows_level,
    sort_key,
    unit_names,
    unit_today_named,
)
from branches.selectors import (
    branch_attachments,
    branch_communes_on,
    commune_ended_on,
    commune_on,
    level_below,
    unit_name,
)
from core.mixins import RefusedWithReason

from .models import Correction, Invitation, Person, Term
from .sensitive import sees_sensitive

TERMS_ENDING_WITHIN_DAYS = 60


CURRENT_SECRETARY = Q(terms__role=Term.Role.SECRETARY, terms__ended_on__isnull=True)


def current_secretary_exists() -> Exists:
    return Exists(Term.objects.current().secretaries().filter(branch=OuterRef("pk")))


def attach_secretaries(branches: list, *, user) -> None:
    """A list of branches' "Bí thư" column (branches.selectors.attach_secretaries): on each branch its current
    secretary's name, and their phone and id where the user may open the person (a personal datum: an ended
    unit reading its former branch names today's secretary, as the branch page does, and no more). One
    query, and one more for an ended unit's account: for a unit that goes on, the branch's being listed is
    the person's being visible (both are placed through the branch's commune today, or its former units)."""
    found: dict[int, tuple] = {}
    ids = [branch.pk for branch in branches]
    if ids:
        terms = (
            Term.objects.current()
            .secretaries()
            .filter(branch__in=ids)
            .order_by("branch", "-started_on", "pk")
            .values_list("branch", "person", "person__full_name", "person__phone")
        )
        for branch, *secretary in terms:
            found.setdefault(branch, secretary)
    visible = None
    if found and not user.is_administrator and user.unit_ended_on is not None:
        people = [person for person, _name, _phone in found.values()]
        visible = set(Person.objects.visible_to(user).filter(pk__in=people).values_list("pk", flat=True))
    for branch in branches:
        person, name, phone = found.get(branch.pk, (None, None, None))
        shown = person is not None and (visible is None or person in visible)
        branch.secretary_name = name
        branch.secretary_phone = phone if shown else None
        branch.secretary_person = person if shown else None


def percent(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


def vacant_branches(*, user):
    """Active branches in scope with no current secretary."""
    return Branch.objects.visible_to(user).active().filter(~current_secretary_exists())


def current_terms_prefetch(to_attr: str = "current_terms") -> Prefetch:
    return Prefetch(
        "terms",
        queryset=Term.objects.current().select_related("branch__commune__district").order_by("role"),
        to_attr=to_attr,
    )


def serving_here(user):
    """The current terms that make a person "serving" for the user's unit: those held in its scope. A person
    read through an earlier term here who serves in another commune's branch now is not serving here, nor
    is their term's end a matter for this unit: the list's filters, its rows and the first screen agree."""
    return Term.objects.visible_to(user).current()


def mark_serving_here(people, user) -> None:
    """Split each person's `current_terms` (current_terms_prefetch) into `terms_here` (serving_here) and
    `terms_elsewhere` (named on the list as where they serve now, not as a term of this unit): one query
    for the page."""
    ids = [term.pk for person in people for term in person.current_terms]
    here = set(serving_here(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    for person in people:
        person.terms_here = [t for t in person.current_terms if t.pk in here]
        person.terms_elsewhere = [t for t in person.current_terms if t.pk not in here]


def _grouping(user) -> Grouping:
    """Branches (today's state) per unit one level below the user's own. Per district, a branch whose
    commune is one of 2025 (no district) is counted under that commune: a user of an ended province or
    district reads its former branches under the communes they belong to today."""
    level, _model = level_below(user)
    if level == "district":
        return Grouping(TODAY, (("district", "commune__district"), ("commune", "commune")))
    return Grouping(TODAY, ((level, "commune" if level == "commune" else f"commune__{level}"),))


def vacancy_summary(*, user) -> tuple[str, list[dict]]:
    """Branches and vacancies per unit one level below the user's own, with the vacancy rate. Each row
    says its `level` (a district's table may hold today's communes, see _grouping)."""
    group = _grouping(user)
    # Summed from the per-commune counters (branches.counters), which the services keep exact.
    counts: dict = {}
    for row in unit_counts(user=user, fields=group.fields):
        acc = counts.setdefault(group.key(row), {"branches": 0, "vacant": 0})
        acc["branches"] += row["branches"]
        acc["vacant"] += row["vacant"]
    found = group.units(counts)
    summary = [
        {
            "unit": found[key],
            "level": key[0],
            "branches": row["branches"],
            "vacant": row["vacant"],
            "rate": percent(row["vacant"], row["branches"]),
        }
        for key, row in sorted(
            ((key, row) for key, row in counts.items() if key in found),
            key=lambda item: sort_key(item[0][0], found[item[0]]),
        )
    ]
    if None in counts:  # no unit at that level (cannot happen for a branch, which always has a commune)
        row = counts[None]
        summary.append(
            {
                "unit": None,
                "level": "",
                "branches": row["branches"],
                "vacant": row["vacant"],
                "rate": percent(row["vacant"], row["branches"]),
            }
        )
    return rows_level({row["level"] for row in summary if row["unit"]}, group.level), summary


def vacancy_totals(branches) -> dict:
    """Active `branches` (a filtered list's) and those of them without a secretary, with the vacancy rate:
    the vacancy list's headline when it is filtered. One query."""
    totals = branches.order_by().aggregate(
        branches=Count("pk"), vacant=Count("pk", filter=~current_secretary_exists())
    )
    totals["rate"] = percent(totals["vacant"], totals["branches"])
    return totals


def vacant_count(*, user) -> int:
    """Active branches without a secretary in the user's scope: vacancy_summary's total, from the counters
    alone (no unit read)."""
    return sum(row["vacant"] for row in unit_counts(user=user, fields=[]))


def ending_soon_per_unit(*, user) -> dict:
    """How many current terms end within the window, per unit of vacancy_summary, by (level, pk)."""
    group = _grouping(user).prefixed("branch")
    counts: dict = {}
    for row in terms_ending_soon(user=user).order_by().values(*group.fields).annotate(n=Count("pk")):
        key = group.key(row)
        counts[key] = counts.get(key, 0) + row["n"]
    return counts


def terms_overdue_count(*, user) -> int:
    """Current terms past the day they were due to end (the list's "Overdue"): re-elected or ended, and
    not yet recorded so."""
    return Term.objects.visible_to(user).current().filter(expected_end_on__lt=timezone.localdate()).count()


def terms_ending_soon(*, user, within_days: int = TERMS_ENDING_WITHIN_DAYS):
    today = timezone.localdate()
    return (
        Term.objects.visible_to(user)
        .current()
        .filter(expected_end_on__gte=today, expected_end_on__lte=today + datetime.timedelta(days=within_days))
        .select_related("person", "branch__commune")
        .order_by("expected_end_on")
    )


def person_terms(person: Person):
    # `moved`: the branch was re-attached to another commune since the term began (attach_communes_then
    # reads its former communes only then: most people's pages need no query more).
    moved = BranchAttachment.objects.filter(branch=OuterRef("branch"), ended_on__gte=OuterRef("started_on"))
    return (
        person.terms.select_related("branch__commune__district", "branch__commune__province")
        .annotate(moved=Exists(moved))
        .order_by("-started_on", "-pk")
    )


def attach_communes_then(terms: list) -> list:
    """Set `communes_then` on each term (with its `branch__commune__district`): the communes that held its
    branch during the term, with their districts, as `commune_on` reads them: the one of its start, and
    the one of its end (today's for a current term) where the branch was re-attached between them (a term
    of Ấp Trà Kháo from 2023 to 2024 is Xã Hiếu Tử's, Huyện Tiểu Cần, not today's Xã Tập Ngãi's). History
    is not rewritten by a merger. One query, whatever the number of terms, and none where no term's branch
    moved since it began (`moved`, as `person_terms` reads it)."""
    moved = [t.branch for t in terms if getattr(t, "moved", True)]
    attachments = branch_attachments(moved) if moved else {}
    today = timezone.localdate()
    for term in terms:
        first = commune_on(term.branch, term.started_on, attachments)
        last = commune_on(term.branch, term.ended_on or today, attachments)
        term.communes_then = [first] if first.pk == last.pk else [first, last]
    return terms


def keeping_terms(terms: list) -> list:
    """The terms that say which unit keeps a person's record (`terms` newest first, as person_terms gives
    them): the current ones, else the latest (as `PersonQuerySet.kept_by` reads them)."""
    return [t for t in terms if t.is_current] or terms[:1]


def person_units(person: Person, terms: list) -> dict:
    """The province, district and commune a person's pages sit under (their breadcrumbs, by those names):
    the units today of the branch they serve, or last served (`keeping_terms`; a branch re-attached on
    01/07/2025 is under its new commune and province, as the branch's own page says), else the units
    recorded on the person. Read from `terms` as person_terms gives them: no query."""
    commune = next((t.branch.commune for t in keeping_terms(terms)), None)
    if commune is None:
        return {"province": person.province, "district": person.district, "commune": None}
    return {"province": commune.province, "district": commune.district, "commune": commune}


def manages_person(user, person: Person, *, terms: list | None = None) -> bool:
    """Whether the user's unit keeps this person's record (`PersonQuerySet.kept_by`), and so may change it,
    assess them, invite them, decide their corrections; not only read it. Above a commune the person's own
    province and district say it; for a commune officer, `terms` (the person's terms newest first, with
    their branches, as the person page has them) say it without a query (the same rule as kept_by's:
    tests/branches/test_reform_scope.py compares the two), else kept_by is asked."""
    if user.is_administrator:
        return True
    if user.unit_ended_on is not None:
        return False
    if user.is_provincial_staff:
        return person.province_id in user.scope_province_ids()
    if user.is_district_officer:
        return person.district_id == user.district_id
    if user.is_commune_officer and terms is not None:
        return any(t.branch.commune_id == user.commune_id for t in keeping_terms(terms))
    return Person.objects.kept_by(user).filter(pk=person.pk).exists()


def check_manages_person(user, person: Person) -> None:
    """PermissionDenied (403) unless the user's unit keeps the person's record (`manages_person`). The 403
    says why, as the person's page does: an ended unit's account is told who keeps its records now
    (check_may_change_today); another unit's reader, which unit keeps this one (a query, on refusal only)."""
    if manages_person(user, person):
        return
    user.check_may_change_today()
    keeping = keeping_terms(list(person_terms(person)))
    if keeping:
        raise RefusedWithReason(
            _(
                "This record is now kept by %(unit)s: your unit reads it, as that of an earlier secretary of "
                "its branches, and does not change it."
            )
            % {"unit": keeping[0].branch.commune.name}
        )
    raise RefusedWithReason(
        _("This record is kept by another unit: your unit reads it and does not change it.")
    )


def person_export_rows(*, people, hidden: frozenset[str] = frozenset()) -> tuple[list[str], Iterator[list]]:
    """The headers and rows of the secretaries' Excel export, for `people` (already scoped to the user and
    filtered like the list). Rows are read as plain values in one query (no model instances), in chunks,
    so a national export of 100,000+ people costs seconds of database time, not minutes."""
    # The branch and the units' names are read beside each row (unit_name), not joined: joined, they put
    # the plan past PostgreSQL's join_collapse_limit, and a commune's 20 secretaries cost a join of the
    # whole country; and a scope with former branches (an OR the planner reckons to keep half the people)
    # hashed every branch of the country for a district's 131 secretaries.
    branch = "current__branch_id"
    # In the list's order (a column's sort, the terms ending soon by date), else by name.
    ordering = [*people.query.order_by] or ["sort_key"]
    people = (
        people.annotate(current=FilteredRelation("terms", condition=Q(terms__ended_on__isnull=True)))
        .annotate(
            current_branch=unit_name(Branch, branch),
            current_commune=unit_name(Commune, branch, via="branches"),
            current_district=unit_name(District, branch, via="communes__branches"),
            province_name=unit_name(Province, "province_id"),
            district_name=unit_name(District, "district_id"),
            current_province=unit_name(Province, branch, via="communes__branches"),
            # The commune's end, for a branch still waiting for its new commune (its "Unit today").
            current_commune_ended=commune_ended_on(branch, via="branches"),
        )
        .order_by(*ordering, "pk", "current__role")
        .values_list(
            "pk",
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
            "current__role",
            "current_branch",
            "current_commune",
            "current_district",
            "province_name",
            "current__started_on",
            "current__expected_end_on",
            "district_name",
            "current_province",
            "current_commune_ended",
        )
    )
    headers = [
        _("Full name"),
        _("Gender"),
        _("Date of birth"),
        _("Ethnicity"),
        _("Religion"),
        _("Education level"),
        _("Political-theory level"),
        _("Party member"),
        _("Joined the Party on"),
        _("Occupation"),
        _("Phone"),
        _("E-mail"),
        _("Current role"),
        _("Branch"),
        _("Commune"),
        _("District"),
        _("Province"),
        _("Term started on"),
        _("Term due to end on"),
        _("Unit when recorded"),
        _("Unit today"),
    ]
    # Labels are looked up once, not translated again for each of 100,000 rows.
    labels = [
        {value: str(label) for value, label in Person._meta.get_field(name).flatchoices}
        for name in ("gender", "ethnicity", "religion", "education_level", "political_theory_level")
    ]
    roles = {value: str(label) for value, label in Term.Role.choices}
    yes, no = _("Yes"), _("No")
    successors = provinces_today_by_name()

    def rows():
        previous = None
        for (
            pk,
            name,
            gender,
            born,
            ethnicity,
            religion,
            education,
            theory,
            party,
            joined,
            occupation,
            phone,
            email,
            role,
            branch,
            commune,
            district,
            province,
            started,
            due,
            recorded_district,
            province_today,
            commune_ended,
        ) in people.iterator(chunk_size=5000):
            if pk == previous:
                continue  # a second current term (say, also a deputy elsewhere): the first one is shown
            previous = pk
            yield [
                name,
                labels[0].get(gender, ""),
                born,
                labels[1].get(ethnicity, ""),
                labels[2].get(religion, ""),
                labels[3].get(education, ""),
                labels[4].get(theory, ""),
                yes if party else no,
                joined,
                occupation,
                phone,
                email,
                roles.get(role, ""),
                branch or "",
                commune or "",
                district or "",
                # Where the branch is (its commune's province today), as the three columns before it; the
                # record's own province, for someone without a current term.
                province_today or province,
                started,
                due,
                # The person's record names the units of the time it was made; today's is the current
                # term's branch's commune (none without a current term).
                unit_names(recorded_district, province),
                unit_today_named(commune, commune_ended, province_today, successors),
            ]

    if "religion" not in hidden:
        return headers, rows()
    # Sensitive data the user may not see (secretaries/sensitive.py): the column is left out.
    at = headers.index(_("Religion"))
    del headers[at]
    return headers, ([*row[:at], *row[at + 1 :]] for row in rows())


# The secretary in the loop.


@dataclass
class FieldChangeRow:
    label: str
    old: str
    new: str
    #: the record's value now, where it changed since the request was made (a pending one only)
    now: str | None = None


@dataclass
class CorrectionRow:
    correction: "Correction"
    changes: list[FieldChangeRow]
    #: the branches the person serves, or last served (`correction_list_rows`: the officers' list only)
    branches: list = field(default_factory=list)


def _shown(name: str, value) -> str:
    if value in (None, ""):
        return "—"
    field = Person._meta.get_field(name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):  # party member: yes / no, not "True"
        return str(_("Yes") if value else _("No"))
    if isinstance(field, DateField):
        return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
    return str(value)


def correction_rows(corrections) -> list[CorrectionRow]:
    """Each correction with its fields as label, old value, new value (as the person page shows them); for
    one still pending, the record's value now where it changed since (another correction accepted, an
    edit): what accepting would replace."""

    def row(correction) -> CorrectionRow:
        changed = correction.changed_on_record() if correction.is_pending else []
        return CorrectionRow(
            correction,
            [
                FieldChangeRow(
                    capfirst(str(Person._meta.get_field(name).verbose_name)),
                    _shown(name, correction.previous.get(name)),
                    _shown(name, value),
                    _shown(name, getattr(correction.person, name)) if name in changed else None,
                )
                for name, value in correction.changes.items()
            ],
        )

    return [row(correction) for correction in corrections]


def correction_list_rows(corrections) -> list[CorrectionRow]:
    """The officers' list: `correction_rows`, each with the branches its person serves, or last served
    (`keeping_terms`, as the unit that decides it is found), the people's terms read in one query."""
    newest_first = Term.objects.select_related("branch__commune").order_by("-started_on", "-pk")
    corrections = corrections.prefetch_related(
        Prefetch("person__terms", newest_first, to_attr="terms_newest")
    )
    rows = correction_rows(corrections)
    for row in rows:
        row.branches = [term.branch for term in keeping_terms(row.correction.person.terms_newest)]
    return rows


def visible_corrections(user):
    """The corrections the user's unit decides: those of the people in its scope whose record it keeps
    (`PersonQuerySet.kept_by`: not those of a former secretary of its branches who serves elsewhere now);
    one touching a sensitive field (religion) only for those who may see it (secretaries/sensitive.py)."""
    corrections = Correction.objects.visible_to(user).select_related("person", "decided_by")
    if not user.is_administrator:
        corrections = corrections.filter(person__in=Person.objects.kept_by(user).values("pk"))
    if not sees_sensitive(user):
        corrections = corrections.filter(sensitive=False)
    return corrections


def pending_correction_count(user) -> int:
    return visible_corrections(user).pending().count()


def person_account(person: Person) -> dict:
    """The person page's account card: the secretary's account, if any, and the latest invitation."""
    from accounts.models import User

    return {
        "account": User.objects.filter(person=person).first(),
        "invitation": Invitation.objects.filter(person=person).select_related("invited_by").first(),
    }


def consent_history(person: Person) -> list[dict]:
    """Every answer the person gave about public showing, newest first (from the record's history)."""
    answers, previous = [], None
    records = person.history.order_by("history_date", "history_id").values_list(
        "public_consent", "public_consent_on", "history_date"
    )
    for answer, on, when in records:
        if (answer, on) != previous and answer:
            answers.append({"answer": answer, "on": on, "recorded_at": when})
        previous = (answer, on)
    labels = dict(Person._meta.get_field("public_consent").flatchoices)
    for row in answers:
        row["label"] = str(labels.get(row["answer"], row["answer"]))
    return answers[::-1]


def commune_secretaries_on(commune: Commune, day: datetime.date) -> list[Term]:
    """The secretaries' terms running on `day` in the branches `commune` had that day, by branch name: for
    a commune that has ended, those of a day before its end, its branches since re-attached to new
    communes included (`BranchQuerySet.of_unit`, each branch's commune that day by `branch_communes_on`).
    The caller has loaded `commune` through the user's scope. Three queries."""
    branches = list(
        Branch.objects.of_unit(commune).exclude(ended_on__lt=day).select_related("commune__district")
    )
    had = [pk for pk, then in branch_communes_on(branches, day).items() if then.pk == commune.pk]
    return list(
        Term.objects.secretaries()
        .current_on(day)
        .filter(branch__in=had)
        .select_related("person", "branch")
        .order_by("branch__name_key", "pk")
    )
