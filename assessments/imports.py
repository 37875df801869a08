"""Excel import of assessment scores: one row per secretary, one column per criterion of the framework the
commune grid opens with for the user's province (`models.framework_at_hand`, this year's), the layout of the
grid. The kind the import engine (core.importing) offers on the assessment list; registered in
AssessmentsConfig.ready().

The rules of `assessment_save` hold for the whole batch, checked in bulk: the person is in the user's scope
and leads a branch now; one assessment per person and framework (and quarter, in a quarterly framework,
where the import fills the quarter at hand as the grid opens it); a submitted or confirmed assessment, or one
made by another unit, is never changed; every score is on the framework's scale. New assessments are
drafts, as the grid saves them; an existing draft gets the file's scores (and stays as it was otherwise).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.importing.engine import (
    NEW,
    UNCHANGED,
    UPDATED,
    Column,
    ImportKind,
    ParsedRow,
    Plan,
    later,
    outcome_of,
    record_basis,
    shown,
)
from core.templatetags.portal import places
from core.text import fold
from secretaries.models import Person, Term

from . import scoring, totals
from .forms import score_range
from .models import (
    Assessment,
    Criterion,
    Framework,
    GroupScore,
    Rating,
    Score,
    framework_at_hand,
    quarter_at_hand,
    user_province_id,
)
from .selectors import assessed_elsewhere, framework_criteria


def score_help(low: int, high: int) -> str:
    # In the request's language: the columns are made for the user who asks (ScoreImport.for_user).
    return _("Enter a whole number from %(min)s to %(max)s.") % {"min": low, "max": high}


def framework_target(framework: Framework, quarter: int | None) -> dict:
    """What the rows go into, as the upload page, the template and the preview (in its reader's language)
    name it."""
    if quarter:
        return later(
            gettext_noop("Framework: %(name)s (%(year)s), quarter %(quarter)s"),
            name=framework.name,
            year=framework.year,
            quarter=quarter,
        )
    return later(gettext_noop("Framework: %(name)s (%(year)s)"), name=framework.name, year=framework.year)


def criterion_key(criterion: Criterion) -> str:
    return f"c{criterion.pk}"


def criterion_code(criterion: Criterion) -> str:
    return f"{criterion.group.order}.{criterion.order}"


@dataclass
class ScorePayload:
    framework: Framework | None = None
    quarter: int | None = None
    criteria: list = field(default_factory=list)
    #: (assessment, values by criterion id): new ones unsaved, existing ones loaded
    new: list = field(default_factory=list)
    updated: list = field(default_factory=list)


class ScoreImport(ImportKind):
    slug = "scores"
    file_slug = "diem-danh-gia"
    label = gettext_lazy("Assessment scores")
    list_url_name = "assessments:assessment_list"
    instructions = (
        gettext_lazy(
            "One row per secretary, one column per criterion of the framework your commune grid opens with "
            "(named below), as the grid."
        ),
        gettext_lazy("A person is found by full name and date of birth among the secretaries of your unit."),
        gettext_lazy(
            "New assessments are saved as drafts and a draft gets the file's scores; a submitted or "
            "confirmed assessment is never changed."
        ),
    )
    BASE = (
        Column(
            "full_name",
            gettext_lazy("Full name"),
            aliases=("ho va ten", "ho ten", "bi thu", "name"),
            required=True,
            width=26,
        ),
        Column(
            "date_of_birth",
            gettext_lazy("Date of birth"),
            aliases=("ngay sinh", "sinh ngay", "birth date"),
            type="date",
            help=gettext_lazy("Needed only when two secretaries of your unit have the same name."),
            width=14,
        ),
    )

    #: set on the copy bound to a user (`for_user`): the framework and quarter its grid opens with
    framework: Framework | None = None
    quarter: int | None = None
    _columns: tuple[Column, ...] | None = None

    @staticmethod
    def framework_of(user) -> Framework | None:
        """The framework `user`'s rows go into: the one the commune grid opens with, by the same rule."""
        return framework_at_hand(user_province_id(user), ended_on=user.unit_ended_on)

    def for_user(self, user) -> ScoreImport:
        bound = copy.copy(self)
        bound.framework = framework = self.framework_of(user)
        if framework is not None:
            bound.quarter = quarter_at_hand(framework)
            bound._columns = self.BASE + tuple(self._criterion_columns(framework.pk))
            bound.target = shown(framework_target(framework, bound.quarter))
        return bound

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns if self._columns is not None else self.BASE

    @staticmethod
    def _criterion_columns(framework_id: int) -> list[Column]:
        criteria = Criterion.objects.filter(group__framework=framework_id).select_related("group__framework")
        return [
            Column(
                criterion_key(c),
                f"{criterion_code(c)} {c.name}",
                aliases=(criterion_code(c), c.name),
                type="int",
                width=12,
                # The template's instructions say what a score is, as the grid does (not "0, 1, 2…").
                help=score_help(*score_range(c.group.framework, c)),
            )
            for c in sorted(criteria, key=lambda c: (c.group.order, c.order))
        ]

    def may_import(self, user) -> bool:
        # Those who fill in the commune grid, for a unit that still exists.
        return user.has_portal_role and user.unit_ended_on is None and self.framework_of(user) is not None

    def template_lists(self, user) -> dict[str, list[str]]:
        # The unit's secretaries the rows are for (those leading a branch of a commune of today), as the
        # grid lists them: the "Full name" column's drop-down.
        names = (
            Term.objects.visible_to(user)
            .current()
            .secretaries()
            .filter(branch__is_active=True, branch__commune__ended_on__isnull=True)
            .order_by("person__sort_key", "person__full_name")
            .values_list("person__full_name", flat=True)
        )
        return {"full_name": list(dict.fromkeys(names[:2000]))}

    def example_row(self, user) -> dict:
        return {"full_name": "Nguyễn Thị Hồng Nhung", "date_of_birth": None}

    def plan(self, *, rows: list[ParsedRow], user, options: dict, lock: bool = False) -> Plan:
        # Bound to the user by the engine (for_user): the grid's framework and quarter.
        framework, quarter = self.framework, self.quarter
        columns = {c.key: c for c in self.columns}
        criteria = framework_criteria(framework)
        keys = {criterion_key(c): c for c in criteria}
        people: dict[str, list[dict]] = {}
        for person in Person.objects.visible_to(user).values("pk", "full_name", "name_key", "date_of_birth"):
            people.setdefault(person["name_key"], []).append(person)
        terms = {}
        for term in (
            Term.objects.current()
            .filter(person__in=Person.objects.visible_to(user))
            .select_related("branch__commune")
            .order_by("-role")  # "pho_bi_thu" before "bi_thu": the secretary's term wins below
        ):
            terms[term.person_id] = term
        # The same assessment as the database's constraints say: one per person and framework (and quarter).
        existing_qs = Assessment.objects.visible_to(user).filter(framework=framework, quarter=quarter)
        if lock:
            existing_qs = existing_qs.select_for_update(of=("self",))
        existing = {a.person_id: a for a in existing_qs.select_related("branch").prefetch_related("scores")}
        elsewhere = assessed_elsewhere(
            user=user, framework=framework, people=[p["pk"] for ps in people.values() for p in ps]
        )
        seen: dict[int, int] = {}
        payload = ScorePayload(framework=framework, quarter=quarter, criteria=criteria)
        outcomes = []
        preview = ScorePreview(framework, criteria)
        for row in rows:
            values = {keys[key].pk: value for key, value in row.values.items() if key in keys}
            for key, criterion in keys.items():
                value = row.values.get(key)
                # The grid's rule: the scale, or out of 100 each criterion's own maximum points.
                low, high = score_range(framework, criterion)
                if value is not None and not low <= value <= high:
                    row.refuse(
                        key,
                        _("%(value)s is outside the scale %(min)s–%(max)s")
                        % {"value": value, "min": low, "max": high},
                        columns=columns,
                    )
            person = self._person(row, people, columns)
            summary = row.shown.get("full_name", "")
            action, basis, cells = NEW, (), []
            if person is not None:
                born = formats.date_format(person["date_of_birth"], "SHORT_DATE_FORMAT")
                summary = f"{person['full_name']} ({born})"
                pk = person["pk"]
                if pk in seen:
                    row.refuse(
                        "full_name",
                        _("the same person is on row %(row)s") % {"row": seen[pk]},
                        columns=columns,
                    )
                seen.setdefault(pk, row.number)
                assessment = existing.get(pk)
                if assessment is not None and assessment.is_locked:
                    row.refuse(
                        "full_name",
                        _("the assessment of %(year)s is confirmed and cannot change")
                        % {"year": framework.year},
                        columns=columns,
                        link=assessment.get_absolute_url(),
                        link_text=_("open the assessment"),
                    )
                elif assessment is not None and not assessment.is_draft:
                    # Sent to the province, or in the secretary's self-assessment step: changed on its page.
                    row.refuse(
                        "full_name",
                        _("the assessment of %(year)s is “%(status)s”: an import changes drafts only")
                        % {"year": framework.year, "status": assessment.get_status_display()},
                        columns=columns,
                        link=assessment.get_absolute_url(),
                        link_text=_("open the assessment"),
                    )
                elif assessment is None and pk in elsewhere:
                    row.refuse("full_name", _("already assessed by another unit"), columns=columns)
                elif assessment is None and pk not in terms:
                    row.refuse("full_name", _("leads no branch now"), columns=columns)
                branch = (
                    assessment.branch if assessment is not None else getattr(terms.get(pk), "branch", None)
                )
                if branch is not None:
                    summary += f" — {branch.name}"
                if not row.errors:
                    action = self._apply(assessment, pk, terms.get(pk), values, payload)
                    stored = (
                        {s.criterion_id: s.value for s in assessment.scores.all()} if assessment else None
                    )
                    cells = preview.cells(values, stored)
                # The assessment updated, or the term a new one is recorded under, as the preview read them.
                # The framework too: a preview confirmed once another framework applies writes nothing.
                basis = (
                    record_basis(assessment) if assessment is not None else record_basis(terms.get(pk))
                ) + record_basis(framework, versioned=False)
            outcomes.append(outcome_of(row, action, summary, basis=basis, cells=cells))
        return Plan(outcomes, payload, target=framework_target(framework, quarter), columns=preview.columns())

    @staticmethod
    def _person(row: ParsedRow, people: dict, columns: dict) -> dict | None:
        name = row.values.get("full_name") or ""
        if not name:
            return None  # the engine has said the column is required: no second word on it
        found = people.get(fold(name), [])
        born = row.values.get("date_of_birth")
        if born:
            found = [p for p in found if p["date_of_birth"] == born]
        if len(found) == 1:
            return found[0]
        if found:
            row.refuse(
                "date_of_birth",
                _("several secretaries have this name: fill in the date of birth"),
                columns=columns,
            )
        else:
            row.refuse(
                "full_name",
                # Not found, whatever the cause (a name misspelt, a birth date that differs): "not a secretary
                # of your unit" read as a question of scope, as the other imports' words did.
                _("no secretary named %(value)s was found in your unit") % {"value": name},
                columns=columns,
            )
        return None

    @staticmethod
    def _apply(assessment, person_id, term, values: dict, payload: ScorePayload) -> str:
        if assessment is None:
            commune = term.branch.commune
            new = Assessment(
                person_id=person_id,
                framework=payload.framework,
                quarter=payload.quarter,
                branch=term.branch,
                commune=commune,
                district_id=commune.district_id,
                province_id=commune.province_id,
            )
            payload.new.append((new, values))
            return NEW
        stored = {score.criterion_id: score.value for score in assessment.scores.all()}
        merged = {**stored, **{k: v for k, v in values.items() if v is not None}}
        if merged == stored:
            return UNCHANGED
        payload.updated.append((assessment, merged))
        return UPDATED

    def commit(self, *, plan: Plan, user, reason: str) -> None:
        scores_import(payload=plan.payload, user=user, reason=reason)


class ScorePreview:
    """What the preview shows of a row: each criterion's score as it will be saved (the file's, or the stored
    one an empty cell keeps), the group scores, the overall score and the rating `scores_import` will derive
    from them, and for an assessment that exists what each replaces. Derived in Python (scoring.derive), no
    query: the framework's rating conditions are read once, for all the rows."""

    def __init__(self, framework: Framework, criteria: list[Criterion]):
        self.framework, self.criteria = framework, criteria
        self.groups: dict[int, list[Criterion]] = {}
        for criterion in criteria:
            self.groups.setdefault(criterion.group_id, []).append(criterion)

    def columns(self) -> list[dict]:
        """Headed as the commune grid and the template: the group's name over its criteria's codes (1.1, 1.2,
        … with the criterion's name as the header's title) and its score; then overall and rating."""
        columns = []
        for group_criteria in self.groups.values():
            group = group_criteria[0].group
            heading = f"{group.order}. {group.name}"
            for criterion in group_criteria:
                title = criterion.name
                if self.framework.is_points and criterion.max_points:
                    title = f"{title} ({criterion.max_points})"
                columns.append(
                    {"label": criterion_code(criterion), "title": title, "group": heading, "total": False}
                )
            # The words in the reader's language (engine.later); the names are data.
            columns.append(
                {
                    "label": later(gettext_noop("Score")),
                    "title": later(gettext_noop("Group score")),
                    "group": heading,
                    "total": True,
                }
            )
        columns.append(
            {"label": later(gettext_noop("Overall score")), "title": "", "group": "", "total": True}
        )
        columns.append({"label": later(gettext_noop("Rating")), "title": "", "group": "", "total": False})
        return columns

    def cells(self, values: dict, stored: dict | None) -> list[dict]:
        """`values`: the file's scores by criterion id (None for an empty cell); `stored`: the existing
        assessment's, None for a new one. The cells in the order of `columns`."""
        saved = values if stored is None else {**stored, **{k: v for k, v in values.items() if v is not None}}
        now = self._derived(saved)
        before = self._derived(stored) if stored is not None else None
        cells = []
        for group_id, group_criteria in self.groups.items():
            for criterion in group_criteria:
                value, old = saved.get(criterion.pk), (stored or {}).get(criterion.pk)
                kept = stored is not None and values.get(criterion.pk) is None and old is not None
                changed = stored is not None and value != old
                cells.append(_cell(_text(value), _text(old) if changed else None, kept=kept))
            cells.append(self._derived_cell(now, before, group_id))
        cells.append(self._derived_cell(now, before, "overall"))
        cells.append(self._derived_cell(now, before, "rating"))
        return cells

    def _derived(self, values: dict) -> dict:
        derived = scoring.derive(framework=self.framework, criteria=self.criteria, values=values)
        digits = self.framework.score_places
        shown: dict = {group_id: places(score, digits) for group_id, score in derived.group_scores.items()}
        shown["overall"] = places(derived.overall, digits)
        # An imported assessment is a draft: as the grid says of a draft, its rating waits for the criteria
        # left empty.
        missing = sum(1 for criterion in self.criteria if values.get(criterion.pk) is None)
        if missing and derived.overall is not None:
            # (the messages of the list's rating, assessment_views._rating_text)
            shown["rating"] = later(
                "%(counter)s criterion not scored yet", "%(counter)s criteria not scored yet", count=missing
            )
        else:
            shown["rating"] = later(Rating(derived.rating).label) if derived.rating else ""
        return shown

    @staticmethod
    def _derived_cell(now: dict, before: dict | None, key) -> dict:
        changed = before is not None and before.get(key, "") != now.get(key, "")
        return _cell(now.get(key, ""), before.get(key, "") if changed else None)


def _text(value) -> str:
    return "" if value is None else str(value)


def _cell(text: str, was: str | None = None, *, kept: bool = False) -> dict:
    """A preview cell: its text as saved ("" nothing), the text it replaces (None: unchanged or new), and
    whether an empty cell of the file keeps the stored value."""
    return {"text": text, "was": was, "kept": kept}


@transaction.atomic
def scores_import(*, payload: ScorePayload, user, reason: str) -> None:
    """Write a checked batch of assessments and their scores (derived group and overall scores, rating),
    with history ("Imported from file …", the user), in a fixed number of queries."""
    framework, criteria, today = payload.framework, payload.criteria, timezone.localdate()
    for assessment, values in payload.new + payload.updated:
        derived = scoring.derive(framework=framework, criteria=criteria, values=values)
        assessment.overall_score, assessment.rating = derived.overall, derived.rating
        assessment.assessor, assessment.assessed_on = user, today
        assessment.derived = derived
    if payload.new:
        bulk_create_with_history(
            [a for a, _v in payload.new],
            Assessment,
            batch_size=500,
            default_user=user,
            default_change_reason=reason,
        )
    if payload.updated:
        for assessment, _values in payload.updated:
            assessment.version += 1
        bulk_update_with_history(
            [a for a, _v in payload.updated],
            Assessment,
            ["overall_score", "rating", "assessor", "assessed_on", "version"],
            batch_size=500,
            default_user=user,
            default_change_reason=reason,
        )
    written = payload.new + payload.updated
    ids = [a.pk for a, _v in written]
    Score.objects.filter(assessment__in=ids).delete()
    GroupScore.objects.filter(assessment__in=ids).delete()
    Score.objects.bulk_create(
        [Score(assessment=a, criterion=c, value=values.get(c.pk)) for a, values in written for c in criteria],
        batch_size=1000,
    )
    GroupScore.objects.bulk_create(
        [
            GroupScore(assessment=a, group_id=group_id, score=score)
            for a, _values in written
            for group_id, score in a.derived.group_scores.items()
        ],
        batch_size=1000,
    )
    totals.assessments_changed(ids)
