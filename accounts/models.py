import functools

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Case, Exists, OuterRef, Q, Value, When
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.compiled import ONE, bind
from core.lookups import Ids
from core.text import fold


class User(AbstractUser):
    """A portal account. Its role and the unit it is bound to decide everything it may see."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", _("Administrator")
        PROVINCIAL_STAFF = "provincial_staff", _("Provincial staff")
        DISTRICT_OFFICER = "district_officer", _("District officer")
        COMMUNE_OFFICER = "commune_officer", _("Commune officer")
        # A branch secretary's own account: their record, self-assessment, corrections, consent; nothing
        # of the staff pages (see core.mixins: a secretary gets 404 there, never a hint of what exists).
        SECRETARY = "secretary", _("Branch secretary")

    #: the unit an account may be bound to, read with the account on every request (accounts.backends)
    UNIT_FIELDS = ("province", "district", "commune")
    #: the one field each role is bound to, the others staying empty (the constraint user_role_matches_unit)
    UNIT_OF_ROLE = {
        Role.PROVINCIAL_STAFF: "province",
        Role.DISTRICT_OFFICER: "district",
        Role.COMMUNE_OFFICER: "commune",
        Role.SECRETARY: "person",
    }

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, blank=True)
    # The full name folded (core.text.fold), for Django admin's search without diacritics.
    name_key = models.CharField(max_length=301, editable=False, default="")
    province = models.ForeignKey(
        "branches.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text=_("Required for provincial staff."),
    )
    district = models.ForeignKey(
        "branches.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        help_text=_("Required for district officers."),
    )
    commune = models.ForeignKey(
        "branches.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        help_text=_("Required for commune officers."),
    )
    person = models.OneToOneField(
        "secretaries.Person",
        verbose_name=_("secretary record"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="account",
        help_text=_("Required for a branch secretary's account: the record it may read."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            # Each role is bound to exactly the unit it needs, and to nothing else.
            models.CheckConstraint(
                name="user_role_matches_unit",
                condition=(
                    Q(
                        role="",
                        province__isnull=True,
                        district__isnull=True,
                        commune__isnull=True,
                        person__isnull=True,
                    )
                    | Q(
                        role="secretary",
                        province__isnull=True,
                        district__isnull=True,
                        commune__isnull=True,
                        person__isnull=False,
                    )
                    | Q(
                        role="administrator",
                        person__isnull=True,
                        province__isnull=True,
                        district__isnull=True,
                        commune__isnull=True,
                    )
                    | Q(
                        role="provincial_staff",
                        person__isnull=True,
                        province__isnull=False,
                        district__isnull=True,
                        commune__isnull=True,
                    )
                    | Q(
                        role="district_officer",
                        person__isnull=True,
                        province__isnull=True,
                        district__isnull=False,
                        commune__isnull=True,
                    )
                    | Q(
                        role="commune_officer",
                        person__isnull=True,
                        province__isnull=True,
                        district__isnull=True,
                        commune__isnull=False,
                    )
                ),
                violation_error_message=_(
                    "Provincial staff need a province, district officers a district, commune officers a "
                    "commune, a secretary's account its secretary record, and other roles none of them."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def save(self, *args, **kwargs):
        self.name_key = fold(self.get_full_name())
        fields = kwargs.get("update_fields")
        if fields is not None and {"first_name", "last_name"} & set(fields):
            kwargs["update_fields"] = {*fields, "name_key"}
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        # Vietnamese order: family and middle names (last_name) before the given name (first_name).
        return f"{self.last_name} {self.first_name}".strip()

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMINISTRATOR

    @property
    def is_provincial_staff(self) -> bool:
        return self.role == self.Role.PROVINCIAL_STAFF

    @property
    def is_district_officer(self) -> bool:
        return self.role == self.Role.DISTRICT_OFFICER

    @property
    def is_commune_officer(self) -> bool:
        return self.role == self.Role.COMMUNE_OFFICER

    @property
    def is_secretary(self) -> bool:
        """A branch secretary's own account (bound to their Person record); not a staff role."""
        return self.role == self.Role.SECRETARY

    def scope_province_ids(self) -> list[int]:
        """The provinces whose records this account reads: its own province (a commune officer's: its
        commune's) and the provinces that went into it in the 2025 reform, so Tỉnh đoàn Vĩnh Long reads
        Trà Vinh's 2019–2025. Read once per request (one small query, kept on the user) and put in every
        scoped query of the page as a list: as a subquery PostgreSQL planned it into each of them, 1 to
        2.5 ms of planning a page (Tỉnh đoàn Vĩnh Long's first screen 86 → 77 ms)."""

        if (provinces := self.__dict__.get("_scope_province_ids")) is None:
            if self.is_commune_officer:
                kind, unit = "commune", self.commune_id
            else:
                kind, unit = "province", self.province_id
            if unit is None:
                # No unit (a secretary's account, no role): no province, not "every province that went
                # into no other" (`successions__successor=None`).
                provinces = []
            else:
                # On most pages of an officer and of provincial staff: compiled once per process, as the
                # branch lists are (below).
                sql, params = _scope_provinces_sql(kind, connection.vendor)
                with connection.cursor() as cursor:
                    cursor.execute(sql, bind(params, one=unit))
                    provinces = sorted({row[0] for row in cursor.fetchall()})
            self._scope_province_ids = provinces
        return provinces

    def former_branch_ids(self, *, outside_only: bool = False) -> Ids:
        """Branches that belonged to this account's unit before they were re-attached to a new commune: a
        Huyện đoàn or the old Tỉnh đoàn keeps reading the records of its former branches. Read once per
        request (cached on the user) as a list: most accounts have none, and an OR with a subquery in every
        scoped query made each of them ~20 times slower on national data (25 ms instead of 1.4 ms).

        `outside_only`: those whose commune today is not under the account's unit (the same query). A row
        reached through its branch's commune today needs no more: Tỉnh đoàn Vĩnh Long's 3,384 former
        branches are all under it today, and their list in every query kept the planner from starting at
        the province's communes (a report's 95 ms instead of 10)."""
        self._read_branch_lists(outside_only=outside_only)
        return self._former_outside_ids if outside_only else self._former_branch_ids

    def branch_ids_today(self) -> Ids:
        """For an account of an ended unit: the branches under it today (those still waiting for a new
        commune), read with `former_branch_ids` in one query. Its scope is then one list of branches, these
        and the former ones outside it: with the unit matched through each branch's commune instead, the
        OR made PostgreSQL join every branch in the country to its commune (Trà Vinh's vacancies, 30 ms a
        query)."""
        self._read_branch_lists(outside_only=True)
        return self._branch_ids_today

    def _read_branch_lists(self, *, outside_only: bool) -> None:
        if hasattr(self, "_former_branch_ids"):
            return
        # A province that goes on asks only for its former branches outside it today (core.scope: it reads
        # the others by their recorded province): only those are read. Tỉnh đoàn Vĩnh Long's 3,384 former
        # branches, all under it today, were sent on every one of its pages to be set aside (5 ms a page).
        narrow = outside_only and self.is_provincial_staff and self.unit_ended_on is None
        if narrow and hasattr(self, "_former_outside_ids"):
            return
        if self.is_provincial_staff:
            kind, unit = "province", self.province_id
        elif self.is_district_officer:
            kind, unit = "district", self.district_id
        else:
            kind, unit = "commune", self.commune_id
        ended = self.unit_ended_on is not None
        if unit is None:
            rows = _branch_lists(kind, unit, ended=ended, outside_only=narrow)
        else:
            # Every request of an officer or provincial staff reads these lists: the query is compiled once
            # per process (compiling it cost three times what running it did), the unit put in its place.
            sql, params = _branch_lists_sql(kind, ended, narrow, connection.vendor)
            with connection.cursor() as cursor:
                cursor.execute(sql, bind(params, one=unit))
                rows = cursor.fetchall()
        kinds: dict[int, set] = {_OUTSIDE: set(), _INSIDE: set(), _CURRENT: set()}
        for branch, kind_of_branch in rows:
            kinds[kind_of_branch].add(branch)
        # As core.lookups.Ids: sent in every scoped query of the request, their text made once.
        if not narrow:
            self._former_branch_ids = Ids(sorted(kinds[_OUTSIDE] | kinds[_INSIDE]))
        self._former_outside_ids = Ids(sorted(kinds[_OUTSIDE]))
        self._branch_ids_today = Ids(sorted(kinds[_CURRENT]))

    @property
    def unit(self):
        """The unit this account works for (province, district or commune); None for the administrator."""
        if self.is_provincial_staff:
            return self.province
        if self.is_district_officer:
            return self.district
        if self.is_commune_officer:
            return self.commune
        return None

    @property
    def unit_ended_on(self):
        """The day this account's unit ended (a Huyện đoàn, old Tỉnh đoàn Trà Vinh: 30/06/2025), or None."""
        unit = self.unit
        return unit.ended_on if unit is not None else None

    def check_may_change_today(self) -> None:
        """PermissionDenied (403) for an account whose unit has ended (a Huyện đoàn, old Tỉnh đoàn Trà Vinh):
        it reads its records and enters those dated before its end (check_may_record_on), but what a branch
        is today, who leads it (appointing, ending a term) and a person's record belong to today's units. The
        403 page says so, naming them (ended_unit_reason)."""
        if self.unit_ended_on is not None:
            from core.mixins import RefusedWithReason  # not at the top: it imports Django's auth views

            raise RefusedWithReason(self.ended_unit_reason())

    def ended_unit_reason(self) -> str:
        """Why an account of an ended unit is refused what today's units keep, and who keeps it: a province's
        successors by their Youth Union ("Tỉnh đoàn Vĩnh Long"); for a district or commune, today's communes
        and province. One query, on the refusal only."""
        unit = self.unit
        params = {"unit": unit.name, "date": date_format(unit.ended_on, "SHORT_DATE_FORMAT")}
        if self.is_provincial_staff:
            followers = [
                s.successor.union_name
                for s in unit.successions.select_related("successor").order_by("successor__name")
            ]
            if followers:
                return _(
                    "%(unit)s ended on %(date)s: it still reads its records, but what its branches are "
                    "today, who leads them and the people's records are kept by %(followers)s."
                ) % {**params, "followers": ", ".join(followers)}
        return (
            _(
                "%(unit)s ended on %(date)s: it still reads its records, but what its branches are today, "
                "who leads them and the people's records are kept by today's commune and provincial Youth "
                "Unions."
            )
            % params
        )

    def check_may_record_on(self, day) -> None:
        """Refuse a new record dated after the end of this account's unit: a Huyện đoàn keeps reading its
        records after 30/06/2025 and writes nothing dated later. Raises ValidationError (for the form's
        date field to show)."""
        ended = self.unit_ended_on
        if ended is not None and day is not None and day > ended:
            raise ValidationError(
                _("%(unit)s ended on %(date)s: it can no longer record anything dated after that day."),
                code="unit_ended",
                params={"unit": self.unit, "date": date_format(ended, "SHORT_DATE_FORMAT")},
            )

    @property
    def acts_for_province(self) -> bool:
        """Provincial staff, or the administrator acting for any province: who confirms, reviews, decides and
        revokes, where a district officer proposes."""
        return self.is_administrator or self.is_provincial_staff

    @property
    def runs_commendations(self) -> bool:
        """Who runs the commendation campaigns now (sets them up, reviews, publishes, revokes): provincial
        staff of a province that goes on, or the administrator. An ended Tỉnh đoàn (Trà Vinh after
        30/06/2025) reads its campaigns; today's province decides."""
        return self.acts_for_province and self.unit_ended_on is None

    @property
    def has_portal_role(self) -> bool:
        """A staff role: the administrator, provincial staff, a district or commune officer. A secretary's
        account has its own pages and none of these."""
        return self.is_administrator or (bool(self.role) and not self.is_secretary)

    @property
    def scope_label(self) -> str:
        """The unit this account works for, as the header shows it."""
        if self.is_administrator:
            return str(_("Whole country"))
        if self.is_provincial_staff:
            return str(self.province)
        if self.is_district_officer:
            return str(self.district)
        if self.is_commune_officer:
            return str(self.commune)
        if self.is_secretary:
            # Their own name (the role beside it already says "Bí thư Chi đoàn").
            return self.get_full_name() or self.username
        return str(_("No role assigned"))


# What a branch is to an account's unit (User._read_branch_lists): a former branch outside it today, a former
# one inside it, and (an ended unit only) a branch under it today.
_OUTSIDE, _INSIDE, _CURRENT = 0, 1, 2


def _province_ids(province_id):
    """A province and those that went into it in the 2025 reform, as a queryset of ids (a subquery in
    _branch_lists; read once per request by User.scope_province_ids)."""
    from branches.models import Province

    return Province.objects.with_predecessors([province_id]).values("pk")


def _branch_lists(kind: str, unit, *, ended: bool, outside_only: bool = False):
    """(branch id, what it is to the unit) for a unit of `kind` ("province", "district", "commune");
    `outside_only`: not the former branches under the unit today."""
    from branches.models import Branch, BranchAttachment

    if kind == "province":
        where = {"commune__province__in": _province_ids(unit)}
    elif kind == "district":
        where = {"commune__district": unit}
    else:
        where = {"commune": unit}
    attachments = BranchAttachment.objects.filter(**where)
    if outside_only:
        # As NOT EXISTS, which PostgreSQL plans as an anti-join after reading the unit's former branches (as
        # NOT IN, it read all 92,000 attachments in the country to set the unit's aside).
        under_unit = Branch._base_manager.filter(**where, pk=OuterRef("branch"))
        attachments = attachments.exclude(Exists(under_unit)).annotate(to_unit=Value(_OUTSIDE))
    else:
        # Whether a former branch is under the unit today: against the set of the unit's branches today (a
        # hashed subquery, read once through their communes), not by looking up each former branch's
        # commune (Tỉnh đoàn Vĩnh Long's 3,384 former branches: 3,384 look-ups into the branches).
        today = Q(branch__in=Branch._base_manager.filter(**where).values("pk"))
        attachments = attachments.annotate(
            to_unit=Case(When(today, then=Value(_INSIDE)), default=Value(_OUTSIDE))
        )
    rows = attachments.order_by().values_list("branch", "to_unit")
    if ended:
        now = Branch._base_manager.filter(**where).annotate(to_unit=Value(_CURRENT)).order_by()
        rows = rows.union(now.values_list("pk", "to_unit"))
    return rows


def _scope_provinces(kind: str, unit):
    """The ids of the provinces an account of a commune or a province reads (User.scope_province_ids)."""
    from branches.models import Province

    if kind == "commune":
        own = Province.objects.filter(communes=unit).values("pk")
        return Province.objects.with_predecessors(own).values_list("pk")
    return _province_ids(unit).values_list("pk")


@functools.cache
def _scope_provinces_sql(kind: str, vendor: str) -> tuple[str, tuple]:
    """`_scope_provinces` as SQL, with `ONE` for the unit's id wherever it goes."""
    return _scope_provinces(kind, ONE).query.sql_with_params()


@functools.cache
def _branch_lists_sql(kind: str, ended: bool, outside_only: bool, vendor: str) -> tuple[str, tuple]:
    """`_branch_lists` as SQL, with `ONE` for the unit's id wherever it goes."""
    return _branch_lists(kind, ONE, ended=ended, outside_only=outside_only).query.sql_with_params()
