"""The Youth Union's hierarchy: province › district › commune › branch.

Provinces, districts and communes are official administrative units with statistics-office codes
(loaded by `manage.py load_divisions`). Since the 2025 reform a commune may hang directly under a
province, so its district is optional; units that ceased to exist keep their end date,
name and parents, their lineage is in the succession tables, and records attached to them are never moved.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from core.history import HistoricalRecords, ended_label
from core.navigation import object_url
from core.scope import ScopedQuerySet
from core.text import fold, normalize_name, search_terms
from core.validators import validate_not_in_future, validate_union_era
from core.versioning import Versioned


class UnitQuerySet(ScopedQuerySet):
    def visible_in_hand(self, user, rows: list) -> dict | None:
        """A unit's scope (the paths below) in the attributes of the unit and of the user's own unit,
        loaded with the account: no query for the breadcrumbs' links (core.scope.mark_visible). The same
        answers as visible_to (tests/branches/test_reform_scope.py compares them for every persona)."""
        model = self.model
        if user.is_provincial_staff:
            provinces = set(user.scope_province_ids())
            if model is Province:
                return {row.pk: row.pk in provinces for row in rows}
            return {row.pk: row.province_id in provinces for row in rows}
        if user.is_district_officer and user.district is not None:
            own = {Province: user.district.province_id, District: user.district_id}
            if model is Commune:
                return {row.pk: row.district_id == user.district_id for row in rows}
            return {row.pk: row.pk == own[model] for row in rows}
        if user.is_commune_officer and user.commune is not None:
            own = {
                Province: user.commune.province_id,
                District: user.commune.district_id,
                Commune: user.commune_id,
            }
            return {row.pk: own[model] is not None and row.pk == own[model] for row in rows}
        return None

    def current(self) -> "UnitQuerySet":
        return self.filter(ended_on__isnull=True)

    def existing_on(self, day: datetime.date) -> "UnitQuerySet":
        return self.filter(
            Q(began_on__isnull=True) | Q(began_on__lte=day), Q(ended_on__isnull=True) | Q(ended_on__gte=day)
        )

    def get_by_code(self, code: str, *, on: datetime.date | None = None):
        """The unit with this code: the one existing on `on` if given, else the current one, else the one
        that ended last. A code is unique only among the units of one moment (new communes reuse old
        communes' codes), so links to an ended unit carry "?on=" its last day (see get_absolute_url)."""
        units = self.filter(code=code)
        if on is not None:
            units = units.existing_on(on)
        unit = units.order_by(F("ended_on").desc(nulls_first=True), "-pk").first()
        if unit is None:
            raise self.model.DoesNotExist(f"No {self.model._meta.model_name} with code {code!r}.")
        return unit


class AdministrativeUnit(Versioned):
    """An official unit as it existed between two dates. Its identity is the row, not its code: when a
    reform reuses a code for a new unit, the old unit keeps its name, parents and history for ever and the
    new unit is another row; succession rows say which became which."""

    code = models.CharField(_("official code"), max_length=5)
    name = models.CharField(_("name"), max_length=100)
    name_key = models.CharField(max_length=100, editable=False, db_index=True)
    began_on = models.DateField(
        _("in effect from"),
        null=True,
        blank=True,
        help_text=_("Empty when the start is not recorded (the units before the 2025 reform)."),
    )
    ended_on = models.DateField(_("ceased on"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_name(self.name)
        self.name_key = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    def _url(self, name: str) -> str:
        url = object_url(name, self.code, "code")
        # An ended unit's code may belong to a current unit now: name the day it last existed.
        return f"{url}?on={self.ended_on.isoformat()}" if self.ended_on else url

    @classmethod
    def unit_constraints(cls, prefix: str, code_regex: str) -> list:
        return [
            models.CheckConstraint(name=f"{prefix}_code_format", condition=Q(code__regex=code_regex)),
            # Codes are unique among the units of one moment: among current units, and among the units
            # that ended on the same day (a code reused by a reform belongs to units of different times).
            models.UniqueConstraint(
                fields=["code"], condition=Q(ended_on__isnull=True), name=f"{prefix}_code_unique_current"
            ),
            models.UniqueConstraint(fields=["code", "ended_on"], name=f"{prefix}_code_unique_when_ended"),
            models.CheckConstraint(
                name=f"{prefix}_began_before_ended",
                condition=Q(began_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=F("began_on")),
            ),
        ]


class Succession(models.Model):
    """One line of lineage: on `on`, (part of) `predecessor` went into `successor`. Many-to-many: an old
    commune split across several new ones has a row for each, all `partly`."""

    on = models.DateField(_("on"))
    partly = models.BooleanField(_("partly"), default=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.on:%d/%m/%Y})"

    @classmethod
    def succession_meta(cls, prefix: str) -> list:
        return [
            models.UniqueConstraint(fields=["predecessor", "successor"], name=f"{prefix}_succession_unique"),
            models.CheckConstraint(
                name=f"{prefix}_succession_not_itself", condition=~Q(predecessor=F("successor"))
            ),
        ]


def _lineage_fields(model: str):
    # PROTECT: a unit with lineage is history; deleting it must not silently erase who became whom.
    predecessor = models.ForeignKey(
        model, verbose_name=_("predecessor"), on_delete=models.PROTECT, related_name="successions"
    )
    successor = models.ForeignKey(
        model, verbose_name=_("successor"), on_delete=models.PROTECT, related_name="origins"
    )
    return predecessor, successor


#: how a province's official name begins: its kind, then its place
PROVINCE_PREFIXES = ("Tỉnh ", "Thành phố ")


class ProvinceQuerySet(UnitQuerySet):
    province_path = "pk"
    district_path = "districts"
    commune_path = "communes"

    def with_predecessors(self, provinces) -> "ProvinceQuerySet":
        """`provinces` (ids: a list, or a query of them) and the provinces that went into them in the 2025
        reform: Vĩnh Long with Trà Vinh and Bến Tre, whose records its staff read."""
        return self.filter(Q(pk__in=provinces) | Q(successions__successor__in=provinces))


class Province(AdministrativeUnit):
    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("Province")
        MUNICIPALITY = "thanh_pho_tw", _("Centrally-run city")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PROVINCE)

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code"]
        constraints = [
            *AdministrativeUnit.unit_constraints("province", r"^[0-9]{2}$"),
        ]

    def get_absolute_url(self) -> str:
        return self._url("branches:province_detail")

    @property
    def place_name(self) -> str:
        """The name without its kind: "Trà Vinh" for "Tỉnh Trà Vinh", "Cần Thơ" for "Thành phố Cần Thơ"."""
        for prefix in PROVINCE_PREFIXES:
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name

    @property
    def union_name(self) -> str:
        """Its Youth Union: "Tỉnh đoàn Trà Vinh", "Thành đoàn Cần Thơ" (a city's is the Thành đoàn)."""
        if self.name.startswith("Thành phố ") or self.kind == self.Kind.MUNICIPALITY:
            return _("City Youth Union of %(name)s") % {"name": self.place_name}
        return _("Provincial Youth Union of %(name)s") % {"name": self.place_name}


class DistrictQuerySet(UnitQuerySet):
    province_path = "province"
    district_path = "pk"
    commune_path = "communes"


class District(AdministrativeUnit):
    class Kind(models.TextChoices):
        RURAL_DISTRICT = "huyen", _("Rural district")
        TOWN = "thi_xa", _("District-level town")
        CITY = "thanh_pho", _("Provincial city")
        URBAN_DISTRICT = "quan", _("Urban district")

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="districts"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.RURAL_DISTRICT)

    objects = DistrictQuerySet.as_manager()

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["code"]
        constraints = [
            *AdministrativeUnit.unit_constraints("district", r"^[0-9]{3}$"),
        ]

    def get_absolute_url(self) -> str:
        return self._url("branches:district_detail")

    @property
    def admin_label(self) -> str:
        """Where it is and whether it ended, for Django admin's choices (read with its province)."""
        return ended_label(f"{self.name}, {self.province.name}", self.ended_on)


class CommuneQuerySet(UnitQuerySet):
    province_path = "province"
    district_path = "district"
    commune_path = "pk"


class Commune(AdministrativeUnit):
    class Kind(models.TextChoices):
        COMMUNE = "xa", _("Commune")
        WARD = "phuong", _("Ward")
        TOWNSHIP = "thi_tran", _("Township")
        SPECIAL_ZONE = "dac_khu", _("Special zone")

    province = models.ForeignKey(
        Province, verbose_name=_("province"), on_delete=models.PROTECT, related_name="communes"
    )
    # Optional since the 2025 reform: new communes hang directly under a province.
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communes",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMMUNE)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["code"]
        constraints = [
            *AdministrativeUnit.unit_constraints("commune", r"^[0-9]{5}$"),
        ]

    def get_absolute_url(self) -> str:
        return self._url("branches:commune_detail")

    @property
    def admin_label(self) -> str:
        """Where it is and whether it ended, for Django admin's choices: today's Xã Tập Ngãi and the old one
        of Huyện Tiểu Cần told apart (read with its district and province)."""
        parents = [unit.name for unit in (self.district, self.province) if unit is not None]
        return ended_label(", ".join([self.name, *parents]), self.ended_on)


class ProvinceSuccession(Succession):
    predecessor, successor = _lineage_fields("Province")

    class Meta:
        verbose_name = _("province succession")
        verbose_name_plural = _("province successions")
        ordering = ["on", "predecessor__code", "successor__code"]
        constraints = Succession.succession_meta("province")


class DistrictSuccession(Succession):
    predecessor, successor = _lineage_fields("District")

    class Meta:
        verbose_name = _("district succession")
        verbose_name_plural = _("district successions")
        ordering = ["on", "predecessor__code", "successor__code"]
        constraints = Succession.succession_meta("district")


class CommuneSuccession(Succession):
    predecessor, successor = _lineage_fields("Commune")

    class Meta:
        verbose_name = _("commune succession")
        verbose_name_plural = _("commune successions")
        ordering = ["on", "predecessor__code", "successor__code"]
        constraints = Succession.succession_meta("commune")


class BranchQuerySet(ScopedQuerySet):
    province_path = "commune__province"
    district_path = "commune__district"
    commune_path = "commune"
    branch_path = "pk"

    def active(self) -> "BranchQuerySet":
        # An ended branch (merged into another, split) is inactive too; both are checked so a branch
        # marked active again by hand after its end still counts nowhere.
        return self.filter(is_active=True, ended_on__isnull=True)

    def current(self) -> "BranchQuerySet":
        return self.filter(ended_on__isnull=True)

    def of_unit(self, unit: "Province | District | Commune") -> "BranchQuerySet":
        """The branches of a province, district or commune: those under it today and, for a unit that has
        ended, those it had on its last day and that were re-attached to a new commune since
        (BranchAttachment). A list narrowed to Huyện Tiểu Cần finds the branches Tiểu Cần had, not only the
        few still waiting under it for a new commune."""
        path = {Province: "commune__province", District: "commune__district", Commune: "commune"}[type(unit)]
        if unit.ended_on is None:
            return self.filter(**{path: unit.pk})
        had = BranchAttachment.objects.filter(**{path: unit.pk, "ended_on__lte": unit.ended_on})
        # One list of ids, not an OR of the two tests: that read every branch of the country (~25 ms).
        under = self.model._base_manager.filter(**{path: unit.pk}).order_by().values("pk")
        return self.filter(pk__in=under.union(had.order_by().values("branch"), all=True))

    def waiting(self) -> "BranchQuerySet":
        """Branches still under a commune that ended and went into new ones (split across several, or whose
        name the one new commune already has): they wait for someone to choose their new commune."""
        return self.filter(
            is_active=True,
            ended_on__isnull=True,
            commune__ended_on__isnull=False,
            commune__in=CommuneSuccession.objects.values("predecessor"),
        )

    def search(self, query: str | None) -> "BranchQuerySet":
        terms = search_terms(query)
        if not terms:
            return self
        # The branch's name holds every word, or its commune's does ("tap ngai" lists Xã Tập Ngãi's
        # branches), or that of a commune it belonged to before ("hieu tu": those re-attached from it).
        # The communes are read first, as a short list of ids: the branches are then found through their
        # name's trigram index or their commune's index (a subquery in the OR kept PostgreSQL from either,
        # and a national search read every branch: 5 → 85 ms).
        named = Q()
        communes = Commune.objects.all()
        for term in terms:
            named &= Q(name_key__contains=term)
            communes = communes.filter(name_key__contains=term)
        found = list(communes.values_list("pk", "ended_on")[: SEARCH_COMMUNES + 1])
        if len(found) > SEARCH_COMMUNES:  # a word most communes have ("xa"): matched as the database likes
            # (the former communes left out: today's names hold such a word as often)
            return self.filter(named | Q(commune__in=communes.values("pk")))
        if not found:
            return self.filter(named)
        ids = [pk for pk, _ended in found]
        matched = named | Q(commune_id__any_of=ids)
        # A commune that ended (Xã Hiếu Tử) also names the branches re-attached from it to today's, read
        # as a short list of ids too.
        if ended := [pk for pk, ended_on in found if ended_on is not None]:
            former = list(
                BranchAttachment.objects.filter(commune_id__any_of=ended)
                .values_list("branch", flat=True)
                .distinct()[: SEARCH_FORMER_BRANCHES + 1]
            )
            if len(former) > SEARCH_FORMER_BRANCHES:
                matched |= Q(
                    pk__in=BranchAttachment.objects.filter(commune_id__any_of=ended).values("branch")
                )
            elif former:
                matched |= Q(pk__any_of=former)
        return self.filter(matched)

    def name_matches_first(self, query: str | None) -> "BranchQuerySet":
        """A search's branches named what was typed first, then those whose name begins so, each group in
        the list's own order: each word matches anywhere, and "ap dai mong a" listed every Ấp Đại Mong with
        the one named so third. The name's first word, its kind ("ấp", "khóm"), may be left out."""
        typed = " ".join(search_terms(query))
        if not typed:
            return self
        after_kind = r"^[^ ]+ " + re.escape(typed)
        rank = Case(
            When(Q(name_key=typed) | Q(name_key__regex=after_kind + "$"), then=Value(0)),
            When(Q(name_key__startswith=typed) | Q(name_key__regex=after_kind), then=Value(1)),
            default=Value(2),
        )
        return self.order_by(rank, *(self.query.order_by or self.model._meta.ordering))


#: communes whose branches a search names by id; more, and it asks the database to match them
SEARCH_COMMUNES = 200

#: branches a search names by id for the ended communes it matched; more, and it asks the database
SEARCH_FORMER_BRANCHES = 2000

#: more members than a branch has: a typing mistake (the national data's largest branch has 65)
MAX_MEMBERS = 5000


def too_many_members() -> str:
    return _("A branch has at most %(limit)s members: check the number.") % {
        "limit": formats.number_format(MAX_MEMBERS, force_grouping=True)
    }


def validate_member_count(value) -> None:
    if value is not None and value > MAX_MEMBERS:
        raise ValidationError(too_many_members(), code="too_many")


class Branch(Versioned):
    """A Youth Union branch (chi đoàn): of a hamlet or urban quarter, a sector, a school."""

    class Kind(models.TextChoices):
        HAMLET = "ap", _("Hamlet branch")
        QUARTER = "khom", _("Urban quarter branch")
        SECTOR = "nganh", _("Sector branch")
        SCHOOL = "truong_hoc", _("School branch")
        OTHER = "khac", _("Other")

    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="branches"
    )
    name = models.CharField(_("name"), max_length=150, help_text=_("For example “Ấp Cây Gòn” or “Khóm 3”."))
    name_key = models.CharField(max_length=150, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.HAMLET)
    member_count = models.PositiveIntegerField(
        _("member count"), default=0, validators=[validate_member_count]
    )
    founded_on = models.DateField(
        _("founded on"), null=True, blank=True, validators=[validate_not_in_future, validate_union_era]
    )
    is_active = models.BooleanField(_("active"), default=True)
    ended_on = models.DateField(
        _("ceased on"),
        null=True,
        blank=True,
        help_text=_("The last day of a branch merged into another or split into several."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = BranchQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["name_key", "updated_at"])

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        # By official commune code, then name: PostgreSQL walks the commune code index and the
        # (commune, name_key) unique index, so a page of the national list sorts nothing big.
        ordering = ["commune__code", "name_key"]
        indexes = [
            # A branch's commune read from the index alone: the national counts that join thousands of
            # terms to their branch and commune (the administrator's terms ending within 60 days per
            # province) probe it instead of hashing all 100,000 branches (56 → 27–37 ms on national data).
            models.Index(fields=["id", "commune"], name="branch_id_commune"),
        ]
        constraints = [
            # "Ấp Cây Gòn" and "ap cay gon" are the same branch of the same commune.
            models.UniqueConstraint(
                fields=["commune", "name_key"],
                name="branch_name_unique_in_commune",
                violation_error_message=_("This commune already has a branch with that name."),
            ),
            models.CheckConstraint(name="branch_name_not_blank", condition=~Q(name_key="")),
            models.CheckConstraint(
                name="branch_ended_after_founded",
                condition=Q(ended_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(ended_on__gte=F("founded_on")),
                violation_error_message=_("A branch cannot cease before it was founded."),
            ),
            # An ended branch is never active: vacancy counts and new terms leave it out.
            models.CheckConstraint(
                name="branch_ended_is_inactive",
                condition=Q(ended_on__isnull=True) | Q(is_active=False),
                violation_error_message=_("A branch that has ceased cannot be active."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.commune.name})"

    def save(self, *args, **kwargs):
        self.name = normalize_name(self.name)
        self.name_key = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return object_url("branches:branch_detail", self.pk)

    @property
    def admin_label(self) -> str:
        """The branch with its commune, for Django admin's choices (read with its commune)."""
        return f"{self.name}, {self.commune.name}"

    @property
    def is_ended(self) -> bool:
        return self.ended_on is not None

    @property
    def district(self):
        return self.commune.district

    @property
    def province(self):
        return self.commune.province


class BranchAttachment(models.Model):
    """A commune a branch belonged to until a day, kept when the branch was re-attached to another commune
    (on 1 July 2025, to the new commune its old one went into). The branch's current commune is
    `Branch.commune`; these rows are its past, read by pages and by the scope of the ended units."""

    branch = models.ForeignKey(
        Branch, verbose_name=_("branch"), on_delete=models.CASCADE, related_name="attachments"
    )
    commune = models.ForeignKey(
        Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="former_branches"
    )
    ended_on = models.DateField(_("until"), help_text=_("The last day the branch belonged to this commune."))

    class Meta:
        verbose_name = _("former commune of a branch")
        verbose_name_plural = _("former communes of branches")
        ordering = ["branch", "ended_on"]
        constraints = [
            models.UniqueConstraint(fields=["branch", "ended_on"], name="branch_attachment_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.branch.name}: {self.commune} (→ {self.ended_on:%d/%m/%Y})"


class BranchSuccession(models.Model):
    """One line of a branch's lineage when hamlets are re-arranged: on `on`, `predecessor` (which ended
    the day before) went into `successor`. A merge has a row per merged branch, all to one successor (which
    may be one of them, continuing); a split has a row per new branch, all from one predecessor."""

    class Kind(models.TextChoices):
        MERGE = "hop_nhat", _("Merge")
        SPLIT = "tach", _("Split")

    predecessor = models.ForeignKey(
        Branch, verbose_name=_("predecessor"), on_delete=models.PROTECT, related_name="successions"
    )
    successor = models.ForeignKey(
        Branch, verbose_name=_("successor"), on_delete=models.PROTECT, related_name="origins"
    )
    on = models.DateField(_("on"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("branch succession")
        verbose_name_plural = _("branch successions")
        ordering = ["on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="branch_succession_unique"),
            models.CheckConstraint(
                name="branch_succession_not_itself", condition=~Q(predecessor=F("successor"))
            ),
            models.CheckConstraint(
                name="branch_succession_kind_valid", condition=Q(kind__in=["hop_nhat", "tach"])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor.name} → {self.successor.name} ({self.on:%d/%m/%Y})"

    @property
    def is_merge(self) -> bool:
        return self.kind == self.Kind.MERGE


class CommuneCounterQuerySet(ScopedQuerySet):
    province_path = "commune__province"
    district_path = "commune__district"
    commune_path = "commune"
    # No branch path: an account's former branches (re-attached elsewhere) are not in its communes' rows;
    # branches.counters adds them from the branches themselves.


class CommuneCounter(models.Model):
    """What the unit tables and the first screen count, per commune, for the branches under it today: kept
    exact by the services on every write (`branches.counters.refresh`), rebuilt by `rebuild_aggregates`.
    Summing ~13,000 rows answers a national table that otherwise scans 100,000 branches and their terms."""

    commune = models.OneToOneField(
        Commune,
        verbose_name=_("commune"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="counter",
    )
    branches = models.PositiveIntegerField(_("active branches"), default=0)
    members = models.PositiveIntegerField(_("members"), default=0)
    vacant = models.PositiveIntegerField(_("branches without a secretary"), default=0)
    # The branches, active or not, with a current secretary (one at most each): the current secretaries
    # counted by the seminar report of the whole country.
    secretaries = models.PositiveIntegerField(_("current secretaries"), default=0)

    objects = CommuneCounterQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune counter")
        verbose_name_plural = _("commune counters")
        ordering = ["commune"]
        constraints = [
            models.CheckConstraint(
                name="commune_counter_vacant_le_branches", condition=Q(vacant__lte=F("branches"))
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune}: {self.branches}"
