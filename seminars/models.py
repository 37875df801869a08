"""Seminars (tọa đàm), their themes and proposed solutions, photos, and the models/solutions
(mô hình, giải pháp) the districts apply.

An organiser is any unit's Union: the province's (Tỉnh đoàn), a commune's (Đoàn xã, from 1 July 2025) or, for
the past, a district's (Huyện đoàn); never both a district and a commune. District officers see and change
their own district's records only; commune officers their commune's (and read the seminars their branches'
secretaries attended); both read their province's own programmes too (ProgrammeQuerySet.province_wide);
provincial staff the whole province and its predecessors', province-level ones included.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from branches.rollup import unit_names
from core.choices import status_is
from core.history import HistoricalRecords
from core.navigation import object_url
from core.scope import ScopedQuerySet
from core.text import fold, normalize_name
from core.validators import validate_planned_year, validate_year
from core.versioning import Versioned


class OrganisedQuerySet(ScopedQuerySet):
    province_path = "province"
    district_path = "district"
    # A commune officer reads its commune's own records, and the seminars its branches' secretaries took
    # part in (and the initiatives its branches apply): that second path is set per model below.
    # No former-branch path: the records of an ended unit (a Huyện đoàn) are those it organised, not its
    # former branches' later ones (Đoàn xã Tập Ngãi's 2026 seminars are not Huyện đoàn Tiểu Cần's).
    organiser_commune_path = "commune"
    #: whether a district or commune officer reads its province's own rows too (district and commune empty):
    #: what its unit works within and files its own under (the programmes)
    province_wide = False

    def _scope_condition(self, user) -> Q | None:
        visible = super()._scope_condition(user)
        if user.is_district_officer and self.province_wide and visible is not None:
            return visible | self._province_own(user.district.province_id)
        if user.is_commune_officer:
            # Both sets of ids as one (a UNION, as an array: core/lookups.py): with an OR of the two,
            # PostgreSQL joined every open proposal in the country to its seminar to keep a commune's few
            # (its follow-up page, 18 ms of SQL).
            own_records = Q(**{self.organiser_commune_path: user.commune_id})
            if self.province_wide:
                # Its province's, and those of the provinces that went into it, as campaigns are
                # (awards.models.ProvinceWideQuerySet): a commune answers to its province directly.
                own_records |= self._province_own(user.scope_province_ids(), "in")
            if visible is None:
                return own_records
            base = self.model._base_manager
            own = base.filter(own_records)
            either = base.filter(visible).order_by().values("pk").union(own.order_by().values("pk"))
            return Q(pk__any_of=either)
        return visible

    @staticmethod
    def _province_own(province, lookup: str = "exact") -> Q:
        """The rows the province itself organises (no district, no commune)."""
        return Q(**{f"province__{lookup}": province}, district__isnull=True, commune__isnull=True)

    def search(self, query: str | None):
        """Each word in the title or in the organiser's name as shown ("tieu can" and "huyen doan tieu can"
        find Huyện đoàn Tiểu Cần's, "doan xa tap ngai" Đoàn xã Tập Ngãi's): the unit's name (name_key), or
        its Union body's words, which are the unit's kind (union_body_terms)."""
        from core.text import search_terms

        qs = self
        for term in search_terms(query):
            qs = qs.filter(
                Q(title_key__contains=term)
                | Q(province__name_key__contains=term)
                | Q(district__name_key__contains=term)
                | Q(commune__name_key__contains=term)
                | union_body_terms(term)
            )
        return qs


class ProgrammeQuerySet(OrganisedQuerySet):
    commune_path = "seminars__participants__terms__branch__commune"
    multi_valued_paths = frozenset({commune_path})
    # A province's programme gathers its districts' (before 2025) or its communes' seminars and models: they
    # read it and file theirs under it (forms.programmes_offered), and change only their own (forms.may_edit).
    province_wide = True


class SeminarQuerySet(OrganisedQuerySet):
    commune_path = "participants__terms__branch__commune"
    multi_valued_paths = frozenset({commune_path})


class InitiativeQuerySet(OrganisedQuerySet):
    commune_path = "branches__commune"
    multi_valued_paths = frozenset({commune_path})


#: The Union body of a unit, by the unit's kind, and the kind's word that begins the unit's official name.
UNION_BODIES = {
    ("province", "tinh"): ("Tỉnh đoàn", "Tỉnh"),
    ("province", "thanh_pho_tw"): ("Thành đoàn", "Thành phố"),
    ("district", "huyen"): ("Huyện đoàn", "Huyện"),
    ("district", "thi_xa"): ("Thị đoàn", "Thị xã"),
    ("district", "thanh_pho"): ("Thành đoàn", "Thành phố"),
    ("district", "quan"): ("Quận đoàn", "Quận"),
    ("commune", "xa"): ("Đoàn xã", "Xã"),
    ("commune", "phuong"): ("Đoàn phường", "Phường"),
    ("commune", "thi_tran"): ("Đoàn thị trấn", "Thị trấn"),
    ("commune", "dac_khu"): ("Đoàn đặc khu", "Đặc khu"),
}


def union_body_name(unit) -> str:
    """The Vietnamese name of a unit's Youth Union body: "Tỉnh đoàn Vĩnh Long", "Huyện đoàn Tiểu Cần",
    "Đoàn xã Tập Ngãi" (a proper name, the same in every interface language)."""
    body, word = UNION_BODIES.get((unit._meta.model_name, unit.kind), ("", ""))
    name = unit.name
    if word and name.casefold().startswith(word.casefold() + " "):
        name = name[len(word) + 1 :]
    return f"{body} {name}".strip()


#: the organiser's level as the records say it: a commune's, else a district's, else the province's own
_ORGANISED_BY = {
    "commune": Q(commune__isnull=False),
    "district": Q(district__isnull=False, commune__isnull=True),
    "province": Q(district__isnull=True, commune__isnull=True),
}


def union_body_terms(term: str) -> Q:
    """Records whose organiser's Union body has a word holding the folded `term` ("doan", "huyen", "xa"):
    by the organising unit's kind, as the words are not in the unit's name ("Huyện đoàn Tiểu Cần" is
    Huyện Tiểu Cần's). Nothing when no body's words hold it."""
    kinds: dict[str, list[str]] = {}
    for (level, kind), (body, _word) in UNION_BODIES.items():
        if term in fold(body):
            kinds.setdefault(level, []).append(kind)
    matched = Q(pk__in=[])
    for level, level_kinds in kinds.items():
        matched |= _ORGANISED_BY[level] & Q(**{f"{level}__kind__in": level_kinds})
    return matched


def check_held_not_ahead(day) -> None:
    """A seminar is recorded once it has been held: a date still ahead (a slip of the year, or a plan) would
    count as held in every report and make its proposals overdue. Code "held_ahead", shown by the date."""
    if day is not None and day > timezone.localdate():
        raise ValidationError(
            gettext(
                "A seminar is recorded once it has been held: %(date)s is still ahead. Record it on the day "
                "or after."
            )
            % {"date": date_format(day, "SHORT_DATE_FORMAT")},
            code="held_ahead",
        )


def programme_period_error(*, programme, held_on) -> ValidationError | None:
    """A seminar belongs to a programme of its year: one that ended before it, or began after, is another
    time's (a 2026 seminar in "… (2019–2022)"). Code "programme_outside_period", shown by the programme."""
    if programme is None or held_on is None or programme.covers_year(held_on.year):
        return None
    return ValidationError(
        gettext("%(programme)s does not cover %(date)s: choose a programme of the seminar's year, or none.")
        % {"programme": programme, "date": date_format(held_on, "SHORT_DATE_FORMAT")},
        code="programme_outside_period",
    )


def programme_first_year_error(*, programme, from_year) -> ValidationError | None:
    """A model or solution belongs to a programme running in its first year, as a seminar to one of its day
    (programme_period_error). Code "programme_outside_period", shown by the programme."""
    if programme is None or from_year is None or programme.covers_year(from_year):
        return None
    return ValidationError(
        gettext(
            "%(programme)s does not cover %(year)s: choose a programme running in the model's first year, "
            "or none."
        )
        % {"programme": programme, "year": from_year},
        code="programme_outside_period",
    )


def proposal_due_error(*, held_on, due_on) -> ValidationError | None:
    """A proposal falls due after the seminar that made it, never before (it would be overdue at once)."""
    if held_on is None or due_on is None or due_on >= held_on:
        return None
    return ValidationError(
        gettext(
            "Due on %(due)s, before the seminar was held (%(held)s): give a date from the seminar's day on."
        )
        % {
            "due": date_format(due_on, "SHORT_DATE_FORMAT"),
            "held": date_format(held_on, "SHORT_DATE_FORMAT"),
        },
        code="due_before_held",
    )


def proposal_result_error(*, status, result) -> ValidationError | None:
    """A proposal marked done says what came of it: the follow-up's point, and the report's."""
    if status == "hoan_thanh" and not (result or "").strip():
        return ValidationError(
            gettext("Say what came of it: a proposal marked done has its result."), code="result_missing"
        )
    return None


class Organised(models.Model):
    """Organised by a unit's Union: the province's (district and commune empty), a commune's (from 1 July
    2025) or a district's (until 30 June 2025); never a district and a commune together."""

    province = models.ForeignKey(
        "branches.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "branches.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the province itself organises it."),
    )
    commune = models.ForeignKey(
        "branches.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The commune whose Union organises it (from 1 July 2025)."),
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                name="%(class)s_organiser_not_district_and_commune",
                condition=Q(district__isnull=True) | Q(commune__isnull=True),
                violation_error_message=_("An organiser is a district or a commune, not both."),
            ),
        ]

    @property
    def organiser(self):
        """The organising unit: the commune, the district, or the province itself."""
        if self.commune_id:
            return self.commune
        return self.district if self.district_id else self.province

    @property
    def organiser_name(self) -> str:
        return union_body_name(self.organiser)

    @property
    def units_recorded(self) -> str:
        """An export's "unit as recorded" cell: the district for the past or the commune today, with its
        province ("Huyện Tiểu Cần, Tỉnh Trà Vinh"); the province alone for its own records."""
        return unit_names(
            self.commune.name if self.commune_id else None,
            self.district.name if self.district_id else None,
            self.province.name,
        )


class Programme(Versioned, Organised):
    """A programme (chương trình) seminars and models belong to, e.g. "Xây dựng giá trị hình mẫu thanh niên
    thời kỳ mới" (2019–2022)."""

    name = models.CharField(_("name"), max_length=300)
    title_key = models.CharField(max_length=300, editable=False, db_index=True)
    from_year = models.PositiveSmallIntegerField(_("from year"), validators=[validate_year])
    to_year = models.PositiveSmallIntegerField(
        _("to year"),
        null=True,
        blank=True,
        validators=[validate_planned_year],
        help_text=_("The programme's last year, which may be ahead (2026–2030); empty while it runs on."),
    )

    objects = ProgrammeQuerySet.as_manager()
    # Kept by its unit in the portal (seminars/programme_views.py): who changed its name or period, and when.
    history = HistoricalRecords(excluded_fields=["title_key"])

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-from_year", "name"]
        constraints = [
            *Organised.Meta.constraints,
            models.CheckConstraint(
                name="programme_years_ordered",
                condition=Q(to_year__isnull=True) | Q(to_year__gte=F("from_year")),
            ),
        ]

    def __str__(self) -> str:
        years = f"{self.from_year}–{self.to_year}" if self.to_year else f"{self.from_year}–"
        return f"{self.name} ({years})"

    def save(self, *args, **kwargs):
        self.name = normalize_name(self.name)
        self.title_key = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return object_url("seminars:programme_detail", self.pk)

    def covers_year(self, year: int) -> bool:
        return self.from_year <= year and (self.to_year is None or year <= self.to_year)


#: more people besides the secretaries than a seminar gathers: a typing mistake (an extra zero, a phone
#: number pasted)
MAX_OTHER_ATTENDEES = 10_000


def too_many_attendees() -> str:
    return gettext("A seminar has at most %(limit)s other attendees: check the number.") % {
        "limit": number_format(MAX_OTHER_ATTENDEES, force_grouping=True)
    }


def validate_other_attendees(value) -> None:
    if value is not None and value > MAX_OTHER_ATTENDEES:
        raise ValidationError(too_many_attendees(), code="too_many")


class Seminar(Versioned, Organised):
    title = models.CharField(_("title"), max_length=300)
    title_key = models.CharField(max_length=300, editable=False, db_index=True)
    held_on = models.DateField(_("held on"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    chair = models.CharField(_("chaired by"), max_length=200, blank=True)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seminars",
    )
    participants = models.ManyToManyField(
        "secretaries.Person", verbose_name=_("participating secretaries"), blank=True, related_name="seminars"
    )
    other_attendees = models.PositiveIntegerField(
        _("other attendees"),
        default=0,
        validators=[validate_other_attendees],
        help_text=_("Cadres and guests who are not branch secretaries."),
    )
    outcome = models.TextField(_("outcomes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SeminarQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["title_key", "updated_at"], m2m_fields=[participants])

    class Meta:
        verbose_name = _("seminar")
        verbose_name_plural = _("seminars")
        ordering = ["-held_on", "-pk"]
        constraints = [*Organised.Meta.constraints]
        indexes = [models.Index(fields=["province", "district", "held_on"], name="seminar_unit_date")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = normalize_name(self.title)
        self.title_key = fold(self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return object_url("seminars:seminar_detail", self.pk)

    def clean(self):
        # Also in admin, which saves without the service.
        super().clean()
        errors = {}
        try:
            check_held_not_ahead(self.held_on)
        except ValidationError as error:
            errors["held_on"] = error
        programme = self.programme if self.programme_id else None
        if (error := programme_period_error(programme=programme, held_on=self.held_on)) is not None:
            errors["programme"] = error
        if errors:
            raise ValidationError(errors)


class Theme(models.Model):
    """A discussion theme (nội dung thảo luận) of a seminar, in the order it was discussed."""

    seminar = models.ForeignKey(
        Seminar, verbose_name=_("seminar"), on_delete=models.CASCADE, related_name="themes"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("theme"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("discussion theme")
        verbose_name_plural = _("discussion themes")
        ordering = ["seminar", "order"]
        constraints = [models.UniqueConstraint(fields=["seminar", "order"], name="theme_order_unique")]

    def __str__(self) -> str:
        return self.title


class ProposalQuerySet(OrganisedQuerySet):
    province_path = "seminar__province"
    district_path = "seminar__district"
    commune_path = "seminar__participants__terms__branch__commune"
    multi_valued_paths = frozenset({commune_path})
    organiser_commune_path = "seminar__commune"

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Proposal(Versioned):
    """A proposed solution (đề xuất giải pháp) and its follow-up (theo dõi thực hiện)."""

    class Status(models.TextChoices):
        # Not "Đề xuất" in Vietnamese: the proposal's own name ("Đề xuất giải pháp: Đề xuất").
        PROPOSED = "de_xuat", pgettext_lazy("proposal status", "Proposed")
        IN_PROGRESS = "dang_thuc_hien", _("In progress")
        DONE = "hoan_thanh", _("Done")
        DROPPED = "dung", _("Dropped")

    seminar = models.ForeignKey(
        Seminar, verbose_name=_("seminar"), on_delete=models.CASCADE, related_name="proposals"
    )
    text = models.TextField(_("proposal"))
    responsible = models.CharField(_("responsible unit"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED)
    result = models.TextField(_("result"), blank=True)
    # The proposal and its responsible unit folded (core.text.fold), for searching without diacritics.
    search_key = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ProposalQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at", "search_key"])

    is_in_progress = status_is(Status.IN_PROGRESS)
    is_done = status_is(Status.DONE)
    is_dropped = status_is(Status.DROPPED)

    class Meta:
        verbose_name = _("proposed solution")
        verbose_name_plural = _("proposed solutions")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"], name="proposal_status_due")]

    def __str__(self) -> str:
        return self.text[:80]

    def save(self, *args, **kwargs):
        self.search_key = proposal_search_key(self.text, self.responsible)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def clean(self):
        # Also in admin, which saves without the service.
        super().clean()
        try:
            held_on = self.seminar.held_on  # in an admin inline: the seminar as being edited
        except Seminar.DoesNotExist:
            held_on = None
        errors = {}
        if (error := proposal_due_error(held_on=held_on, due_on=self.due_on)) is not None:
            errors["due_on"] = error
        if (error := proposal_result_error(status=self.status, result=self.result)) is not None:
            errors["result"] = error
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on is not None and self.due_on < timezone.localdate()


#: What is still to follow up: proposed, or in progress.
OPEN_STATUSES = (Proposal.Status.PROPOSED, Proposal.Status.IN_PROGRESS)


def proposal_search_key(text: str, responsible: str) -> str:
    return fold(f"{text} {responsible}")


def photo_path(instance, filename: str) -> str:
    # Names are generated by secretaries.portraits.image_process, never the uploader's.
    return f"seminars/{filename}"


class Photo(models.Model):
    seminar = models.ForeignKey(
        Seminar, verbose_name=_("seminar"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("photo"), upload_to=photo_path)
    thumbnail = models.ImageField(upload_to=photo_path, editable=False)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["seminar", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class Initiative(Versioned, Organised):
    """A model or solution (mô hình, giải pháp): what a unit applies, where, since when, with what result."""

    name = models.CharField(_("name"), max_length=300)
    title_key = models.CharField(max_length=300, editable=False, db_index=True)
    description = models.TextField(_("description"), blank=True)
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="initiatives",
    )
    from_year = models.PositiveSmallIntegerField(_("from year"), validators=[validate_year])
    to_year = models.PositiveSmallIntegerField(
        _("to year"),
        null=True,
        blank=True,
        validators=[validate_year],
        help_text=_("The last year it was applied; empty while it still is."),
    )
    communes = models.ManyToManyField("branches.Commune", verbose_name=_("communes applying it"), blank=True)
    branches = models.ManyToManyField("branches.Branch", verbose_name=_("branches applying it"), blank=True)
    seminars = models.ManyToManyField(
        Seminar, verbose_name=_("related seminars"), blank=True, related_name="initiatives"
    )
    results = models.TextField(_("results"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = InitiativeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["title_key", "updated_at"])

    class Meta:
        verbose_name = _("model or solution")
        verbose_name_plural = _("models and solutions")
        ordering = ["-from_year", "name"]
        constraints = [
            *Organised.Meta.constraints,
            models.CheckConstraint(
                name="initiative_years_ordered",
                condition=Q(to_year__isnull=True) | Q(to_year__gte=F("from_year")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = normalize_name(self.name)
        self.title_key = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return object_url("seminars:initiative_detail", self.pk)

    def clean(self):
        # Also in admin, which saves without the service.
        super().clean()
        programme = self.programme if self.programme_id else None
        if (error := programme_first_year_error(programme=programme, from_year=self.from_year)) is not None:
            raise ValidationError({"programme": error})


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


class Attendance(models.Model):
    """Who took part in at least one seminar (any organiser's) in a year: kept by seminars/totals.py from
    the seminars' participants, so the report's "share of secretaries who attended" reads one row per
    person instead of every participation of the year."""

    year = models.PositiveSmallIntegerField(_("year"))
    person = models.ForeignKey(
        "secretaries.Person", verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("seminar attendance")
        verbose_name_plural = _("seminar attendances")
        ordering = ["year", "person"]
        constraints = [
            models.UniqueConstraint(fields=["year", "person"], name="attendance_one_per_person_and_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.person_id}"
