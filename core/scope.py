"""The one place that decides which rows a user may see.

Every scoped model's QuerySet mixes in `ScopedQuerySet` and names the paths from its rows to the
province, the district, the commune of its branch today, and the branch itself. Lists start from
`visible_to(user)`; details, forms, exports, search and autocomplete load through it too, so an object
outside the user's scope simply does not exist (404).

Across the 2025 reform: provincial staff read their province and the provinces that went into it; a
commune officer reads through the branch (its commune today), so a branch's earlier records follow it
whatever the units were then; a user of an ended unit keeps reading the branches it had before they were
re-attached (its scope is then two lists of branches: those under it today, few, and its former ones).
The user supplies its provinces and its former branches as lists read once per request (the former
branches usually none, and then left out of the query), so a list costs a fixed number of queries; as a
subquery, the provinces were planned into every query of the page (Tỉnh đoàn Vĩnh Long's lists, 1 to
2.5 ms of planning a page; its assessment list 39 → 31 ms).
Where a row is placed through its branch's commune today (a term, a branch), or the unit is a province
that goes on (whose predecessors' records it reads by their recorded province), only the former branches
outside the unit today are named, and for a term the unit's side becomes a list of branches too, so that
the OR stays on one column and PostgreSQL filters before it joins (national data: a provincial first
screen or report 2 to 5 times faster).
"""

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, Value


class ScopedQuerySet(models.QuerySet):
    #: lookup from a row to its province's primary key, e.g. "commune__province"
    province_path: str = "province"
    #: lookup from a row to its district's primary key, e.g. "commune__district"
    district_path: str = "district"
    #: lookup from a row to the commune its branch belongs to today, e.g. "branch__commune"; None when a
    #: commune officer sees no row of the model
    commune_path: str | None = None
    #: lookup from a row to its branch, e.g. "branch"; None when a row belongs to no branch
    branch_path: str | None = None
    #: paths above that cross a one-to-many relation (matched in a subquery, so no row comes twice)
    multi_valued_paths: frozenset[str] = frozenset()
    #: lookup from a row to the day it began, e.g. "started_on" (a term), "terms__started_on" (a person):
    #: an ended unit reads its former branches' rows up to its end, not what their new commune records since
    former_until_path: str | None = None

    def _match(self, path: str, value, lookup: str = "exact", **also) -> Q:
        condition = {f"{path}__{lookup}": value, **also}
        if path in self.multi_valued_paths:
            return related_match(self.model, condition)
        return Q(**condition)

    def visible_to(self, user) -> "ScopedQuerySet":
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if user.is_administrator:
            return self.all()
        # The condition is built once per request and kind of row (kept on the user, as its lists are): a
        # page's list, its filter's choices and its counts ask for the same one, and a commune officer's
        # seminars (a UNION of subqueries) took 0.6 to 0.9 ms to build each time.
        # By model too: one QuerySet class may serve several models (assessments' totals), and a condition
        # can hold subqueries of its own model's table.
        key = (self.model, type(self), user.role, user.province_id, user.district_id, user.commune_id)
        conditions = user.__dict__.setdefault("_scope_conditions", {})
        if key not in conditions:
            conditions[key] = self._scope_condition(user)
        condition = conditions[key]
        return self.none() if condition is None else self.filter(condition)

    def visible_in_hand(self, user, rows: list) -> dict | None:
        """{row's pk: whether `user` may open it} said from the rows and the user alone, where this model's
        scope is plain attributes of both (the units: branches.models.UnitQuerySet); None when the database
        must say it (`mark_visible` then asks). Not for the administrator (who opens everything)."""
        return None

    def _scope_condition(self, user) -> Q | None:
        """What `visible_to` filters by for a user with a role (not the administrator), or None: no row."""
        if user.is_provincial_staff:
            scope = self._match(self.province_path, user.scope_province_ids(), "in")
        elif user.is_district_officer:
            scope = self._match(self.district_path, user.district_id)
        elif user.is_commune_officer and self.commune_path is not None:
            scope = self._match(self.commune_path, user.commune_id)
        else:
            return None
        follows = self._unit_follows_branch(user)
        # A province that goes on (Vĩnh Long since 2025) reads its predecessors' provinces too: the rows of
        # a former branch still under it today were recorded in one of them, and only its former branches
        # now elsewhere need naming, whatever the path (3,384 ids in each of its queries otherwise).
        covered = follows or (user.is_provincial_staff and user.unit_ended_on is None)
        if self.branch_path is not None and (former := user.former_branch_ids(outside_only=covered)):
            also = {}
            ended = user.unit_ended_on
            if self.former_until_path is not None and ended is not None:
                also[f"{self.former_until_path}__lte"] = ended
            if follows and ended is not None:
                # An ended unit has few branches today (those waiting for a new commune): both sides are
                # lists on the row's branch, and the database reads them through the branch's index.
                scope = self._match(self.branch_path, user.branch_ids_today(), "any_of")
            elif follows and "__" not in self.branch_path and self.branch_path != "pk":
                # Both sides on the row's own branch column: with the unit matched through a join of the
                # branch and its commune, the OR kept the planner from filtering before joining, and it
                # joined every current term in the country to its branch (an ended district's first
                # screen, 25 ms a query) to keep a few hundred.
                scope = self._branch_in_unit(user)
            if self.branch_path in self.multi_valued_paths:
                # The unit's rows and those of its former branches as one set of ids (a UNION): an OR of
                # the unit's condition with a subquery left PostgreSQL no estimate of how many rows match,
                # and it read a district officer's 131 people of 124,000 in name order through the whole
                # index (90 ms; 5 ms this way).
                base = self.model._base_manager
                former_rows = base.filter(**{f"{self.branch_path}__any_of": former, **also})
                either = base.filter(scope).order_by().values("pk").union(former_rows.order_by().values("pk"))
                # As an array (core/lookups.py): PostgreSQL misjudged how many ids the UNION gives, and read
                # all 124,000 people for a merged province's 4,369.
                return Q(pk__any_of=either)
            scope |= self._match(self.branch_path, former, "any_of", **also)
        return scope

    def _branch_in_unit(self, user) -> Q:
        """The rows whose branch is under the user's unit today, as a list of branches the database reads
        first (the same rows as the join `_unit_follows_branch` describes)."""
        branches = self.model._meta.get_field(self.branch_path).related_model._base_manager
        if user.is_provincial_staff:
            within = branches.filter(commune__province__in=user.scope_province_ids())
        elif user.is_district_officer:
            within = branches.filter(commune__district=user.district_id)
        else:
            within = branches.filter(commune=user.commune_id)
        return Q(**{f"{self.branch_path}__in": within.values("pk")})

    def _unit_follows_branch(self, user) -> bool:
        """Whether the path that places a row in the user's unit goes through its branch's commune today
        (a term, a branch): then a former branch under the unit today is matched by that path already,
        and only the former branches outside it need naming."""
        if user.is_provincial_staff:
            path, unit = self.province_path, "commune__province"
        elif user.is_district_officer:
            path, unit = self.district_path, "commune__district"
        else:
            path, unit = self.commune_path, "commune"
        return path == (unit if self.branch_path == "pk" else f"{self.branch_path}__{unit}")

    def in_province(self, province) -> "ScopedQuerySet":
        return self.filter(**{self.province_path: province.pk})

    def in_district(self, district) -> "ScopedQuerySet":
        return self.filter(**{self.district_path: district.pk})


def mark_visible(objects, user) -> None:
    """Set `visible` on each object (rows of scoped models, any mix; None is skipped): whether `user` may
    open it, so that a page links only what answers (a link outside the scope would answer 404). One query
    for them all; none for the administrator, who may open everything, nor for the units, whose scope the
    rows and the user say (`visible_in_hand`). Templates read it through the
    `linkable` filter (core/templatetags/portal.py)."""
    by_model: dict = {}
    for obj in objects:
        if obj is not None:
            by_model.setdefault(type(obj), []).append(obj)
    if not by_model:
        return
    if user.is_administrator:
        for rows in by_model.values():
            for row in rows:
                row.visible = True
        return
    allowed: set = set()
    asked = []
    for index, (model, rows) in enumerate(by_model.items()):
        in_hand = model._default_manager.visible_in_hand(user, rows)
        if in_hand is None:
            asked.append((index, model, rows))
        else:
            allowed.update((index, pk) for pk, visible in in_hand.items() if visible)
    if asked:
        # One query whatever the mix: each model's visible rows among those asked, tagged by model.
        parts = [
            model._default_manager.visible_to(user)
            .filter(pk__in={row.pk for row in rows})
            .order_by()
            .annotate(model_index=Value(index))
            .values_list("model_index", "pk")
            for index, model, rows in asked
        ]
        allowed.update(parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0])
    for index, rows in enumerate(by_model.values()):
        for row in rows:
            row.visible = (index, row.pk) in allowed


# Matching across one-to-many and many-to-many relations.
#
# Django writes `Seminar.objects.filter(participants__terms__branch__commune=c)` as a join of every table on
# the path: seminar, its participants' table, person, term, branch. A scope condition is planned into every
# query of a page, and the rows it keeps are few, so PostgreSQL spent most of a commune officer's SQL time
# planning (its follow-up page: 3.9 ms of planning for 0.4 ms of execution). Written from the far end, each
# step names the ids of the step before by the column that links them (the participants' seminar_id for the
# people whose term is in the commune), and the tables that only pass an id along are left out.


def related_match(model, condition: dict) -> Q:
    """A Q on `model`: the rows linked through one related row (the same one for every condition, as in one
    `filter()` call) that satisfies `condition`, its lookups starting at `model`."""
    if not any(_crosses_many(model, lookup) for lookup in condition):
        return Q(**condition)
    step = _first_step(model, condition)
    if step is None:
        # One filter() call all the same: the conditions hold for the same related row, and no row twice.
        return Q(pk__in=model._base_manager.filter(**condition).values("pk"))
    field, rest = step
    if _forward(field):  # Proposal.seminar
        return Q(**{f"{field.name}__in": _matching_ids(field.related_model, rest)})
    return Q(pk__in=_ids_linked(field, rest))


def _matching_ids(model, condition: dict):
    """The ids of `model`'s rows matching `condition` (as related_match does), as a subquery."""
    step = _first_step(model, condition)
    if step is not None and not _forward(step[0]):
        return _ids_linked(*step)
    return model._base_manager.filter(related_match(model, condition)).values("pk")


def _ids_linked(field, rest: dict):
    """The ids of the rows on this side of the reverse or many-to-many relation `field` linked to a row
    that matches `rest`: read from the related table, or from the link table, alone."""
    related = field.related_model
    if not field.many_to_many:  # a foreign key's other side: Person.terms
        return related._base_manager.filter(related_match(related, rest)).values(field.field.attname)
    if field.concrete:  # a many-to-many declared on this side: Seminar.participants
        through, own, other = (
            field.remote_field.through,
            field.m2m_field_name(),
            field.m2m_reverse_field_name(),
        )
    else:  # the other side of one: Branch.initiatives
        through, own, other = (
            field.through,
            field.field.m2m_reverse_field_name(),
            field.field.m2m_field_name(),
        )
    own_column = through._meta.get_field(own).attname
    return through._base_manager.filter(**{f"{other}__in": _matching_ids(related, rest)}).values(own_column)


def _first_step(model, condition: dict):
    """(the relation every lookup of `condition` starts with, the lookups from its far side), or None when
    they start differently or not with a relation."""
    hops = {lookup.split("__", 1)[0] for lookup in condition}
    if len(hops) != 1 or any("__" not in lookup for lookup in condition):
        return None
    try:
        field = model._meta.get_field(hops.pop())
    except FieldDoesNotExist:
        return None
    if not field.is_relation:
        return None
    return field, {lookup.split("__", 1)[1]: value for lookup, value in condition.items()}


def _forward(field) -> bool:
    """A foreign key (or one-to-one) declared on the row's own model."""
    return field.concrete and not field.many_to_many


def _crosses_many(model, lookup: str) -> bool:
    for part in lookup.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a lookup or a transform: the path ended
        if not field.is_relation:
            return False
        if field.one_to_many or field.many_to_many:
            return True
        model = field.related_model
    return False
