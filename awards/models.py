"""Annual commendation of outstanding branch secretaries (tuyên dương bí thư chi đoàn tiêu biểu).

A province runs one campaign (đợt tuyên dương) a year: its nominating units (districts until 30/06/2025,
communes since: see nominating_level) nominate secretaries within a window and a quota, provincial staff
approve or reject each nomination, and publishing the decision turns the approved ones into commendations
and locks the campaign. A commendation obtained on false claims is revoked, never deleted
(Law on Emulation and Commendation 06/2022/QH15). The rules of each step live in awards/services.py.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from assessments.models import Rating
from core.choices import status_is
from core.history import HistoricalRecords
from core.navigation import object_url
from core.scope import ScopedQuerySet
from core.text import fold, normalize_name
from core.versioning import Versioned

# Ratings from best to worst: a campaign's minimum rating admits its own level and every better one.
RATING_ORDER = [Rating.EXCELLENT, Rating.GOOD, Rating.FULFILLED, Rating.NOT_FULFILLED]


def rating_rank(rating: str) -> int:
    """0 for the best level; a missing rating ranks below the worst."""
    return RATING_ORDER.index(rating) if rating in RATING_ORDER else len(RATING_ORDER)


class ProvinceWideQuerySet(ScopedQuerySet):
    """Rows a whole province shares (campaigns, published commendations): a district officer sees those of
    their district's province."""

    province_path = "province"

    def visible_to(self, user):
        if user and user.is_authenticated and user.is_active and user.is_district_officer:
            return self.filter(province__districts=user.district_id)
        if user and user.is_authenticated and user.is_active and user.is_commune_officer:
            # Its commune's province and the provinces that went into it.
            return self.filter(province__in=user.scope_province_ids())
        return super().visible_to(user)


# The units that nominate in a campaign: the name of the field that holds them on Quota, Nomination and
# Commendation.
DISTRICT, COMMUNE = "district", "commune"


def nominating_level(province) -> str:
    """Which units nominate in a province's campaigns: the communes of a province of the 2025 world (one with
    `began_on`, which has no districts), the districts of a province before the reform. The one rule."""
    return COMMUNE if province.began_on is not None else DISTRICT


def nominating_unit(user) -> tuple[str, int] | None:
    """(level, unit id) of the unit an officer nominates for: their district or their commune; None for
    the other roles."""
    if user.is_district_officer:
        return DISTRICT, user.district_id
    if user.is_commune_officer:
        return COMMUNE, user.commune_id
    return None


def effective_quota(*, campaign, level: str, unit, default) -> Coalesce:
    """A nominating unit's quota in a campaign, as SQL: the province's override for that district or commune
    (Quota) or else the campaign's default. The one definition, for campaigns seen by one unit
    (`campaign=OuterRef("pk")`, `default=F("default_quota")`) and for the units of one campaign
    (`unit=OuterRef("pk")`)."""
    # One row at most (a unit has one quota in a campaign): without the model's ordering, which joined the
    # campaign, the commune and the district into every campaign's subquery only to sort that one row.
    override = Quota.objects.filter(campaign=campaign, **{level: unit}).order_by().values("quota")[:1]
    return Coalesce(Subquery(override), default, output_field=IntegerField())


def places_left(*, quota: int, used: int) -> int:
    """Places a unit may still fill; never negative, even after the province lowered the quota."""
    return max(quota - used, 0)


def exactly_one_unit(prefix: str, message) -> models.CheckConstraint:
    """A row belongs to one nominating unit: a district (before the reform) or a commune (since)."""
    return models.CheckConstraint(
        name=f"{prefix}_one_nominating_unit",
        condition=Q(district__isnull=False, commune__isnull=True)
        | Q(district__isnull=True, commune__isnull=False),
        violation_error_message=message,
    )


class NominatingUnit(models.Model):
    """The district (before the reform) or the commune (since) a quota, nomination or commendation belongs
    to: exactly one of them (`exactly_one_unit` in each model's constraints); `unit` is that one."""

    district = models.ForeignKey(
        "branches.District",
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    commune = models.ForeignKey(
        "branches.Commune",
        verbose_name=_("commune"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def unit(self):
        return self.commune if self.commune_id is not None else self.district

    @property
    def unit_id(self):
        return self.commune_id if self.commune_id is not None else self.district_id


class CampaignQuerySet(ProvinceWideQuerySet):
    def with_nomination_counts(self) -> "CampaignQuerySet":
        """Each campaign annotated with `sent_count` (submitted or decided), `waiting_count` (submitted, not
        decided) and `approved_count`: the campaign list's columns for provincial staff."""
        sent = [Nomination.Status.SUBMITTED, Nomination.Status.APPROVED, Nomination.Status.REJECTED]
        return self.annotate(
            sent_count=Count("nominations", filter=Q(nominations__status__in=sent)),
            waiting_count=Count("nominations", filter=Q(nominations__status=Nomination.Status.SUBMITTED)),
            approved_count=Count("nominations", filter=Q(nominations__status=Nomination.Status.APPROVED)),
        )

    def with_unit_quota(self, level: str, unit_id: int) -> "CampaignQuerySet":
        """Each campaign annotated with one nominating unit's place in it (a district's, or a commune's):
        `unit_quota` (its override or the default), `unit_used` (places taken) and `unit_drafts`;
        `unit_left` follows. Meaningful on the campaigns whose `level` is the unit's."""
        mine = Q(**{f"nominations__{level}": unit_id})
        return self.annotate(
            unit_quota=effective_quota(
                campaign=OuterRef("pk"), level=level, unit=unit_id, default=F("default_quota")
            ),
            unit_used=Count(
                "nominations", filter=mine & Q(nominations__status__in=Nomination.QUOTA_STATUSES)
            ),
            unit_drafts=Count("nominations", filter=mine & Q(nominations__status=Nomination.Status.DRAFT)),
        )

    def visible_to(self, user):
        qs = super().visible_to(user)
        if user and user.is_authenticated and (user.is_district_officer or user.is_commune_officer):
            # A draft is still being prepared by the province.
            qs = qs.exclude(status=Campaign.Status.DRAFT)
        return qs


@dataclass(frozen=True)
class Window:
    """Where a day stands in a campaign's nomination window: "before" (opens in `days`), "open" (`days`
    left, 0 on the last day) or "after" (closed `days` ago)."""

    state: str
    days: int


class Campaign(Versioned):
    class Status(models.TextChoices):
        DRAFT = "nhap", _("Draft")
        OPEN = "mo", _("Open for nominations")
        REVIEW = "xet_duyet", _("Under review")
        DECIDED = "da_quyet_dinh", _("Decided")

    province = models.ForeignKey(
        "branches.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300)
    # Folded (core.text.fold) for Django admin's search; not indexed: a "contains" search reads every row.
    title_key = models.CharField(max_length=300, editable=False, default="")
    opens_on = models.DateField(_("nominations open on"))
    closes_on = models.DateField(_("nominations close on"))
    default_quota = models.PositiveSmallIntegerField(
        _("default quota"),
        default=3,
        help_text=_("How many secretaries each nominating unit may nominate, where no other quota is set."),
    )
    minimum_rating = models.CharField(
        _("minimum rating"),
        max_length=20,
        choices=Rating.choices,
        blank=True,
        help_text=_("If set, nominees need at least this rating in the year's skill assessment."),
    )
    criteria = models.TextField(
        # "Tiêu chuẩn": the assessments' criteria (tiêu chí) share the msgid "criteria".
        pgettext_lazy("campaign", "criteria"),
        blank=True,
        help_text=_("What the province looks for, as the nominating units will read it."),
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_signer = models.CharField(
        _("signed by"),
        max_length=120,
        blank=True,
        help_text=_("The name of whoever signs the decision for the Standing Committee, e.g. Nguyễn Văn An."),
    )
    # The account that recorded the published decision, not its signer (decision_signer).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decision recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CampaignQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["title_key", "updated_at"])

    is_draft = status_is(Status.DRAFT)
    is_open = status_is(Status.OPEN)
    is_under_review = status_is(Status.REVIEW)
    is_decided = status_is(Status.DECIDED)

    class Meta:
        verbose_name = _("commendation campaign")
        verbose_name_plural = _("commendation campaigns")
        ordering = ["-year", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "year"],
                name="campaign_one_per_province_and_year",
                violation_error_message=_("This province already has a campaign for that year."),
            ),
            models.CheckConstraint(
                name="campaign_window_ordered",
                condition=Q(closes_on__gte=F("opens_on")),
                violation_error_message=_("Nominations cannot close before they open."),
            ),
            models.CheckConstraint(
                name="campaign_decided_has_decision",
                condition=~Q(status="da_quyet_dinh")
                | (~Q(decision_number="") & Q(decision_date__isnull=False)),
                violation_error_message=_("A decided campaign has a decision number and date."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = normalize_name(self.title)
        self.title_key = fold(self.title)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "title_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return object_url("awards:campaign_detail", self.pk)

    @property
    def level(self) -> str:
        """DISTRICT or COMMUNE: which units nominate in this campaign (see nominating_level)."""
        return nominating_level(self.province)

    @property
    def by_commune(self) -> bool:
        return self.level == COMMUNE

    @property
    def unit_label(self) -> str:
        return _("Commune") if self.by_commune else _("District")

    @property
    def quota_label(self) -> str:
        return _("Quota per commune") if self.by_commune else _("Quota per district")

    def nominated_by(self, user) -> bool:
        """Whether the user's unit nominates in this campaign: a district officer in a campaign of districts,
        a commune officer in a campaign of communes (not in the old province's campaigns it reads)."""
        unit = nominating_unit(user)
        return unit is not None and unit[0] == self.level

    @property
    def unit_left(self) -> int:
        """Places left to the unit of `with_unit_quota(level, unit)` (only on campaigns read so)."""
        return places_left(quota=self.unit_quota, used=self.unit_used)

    def window(self, today: datetime.date | None = None) -> Window:
        today = today or timezone.localdate()
        if today < self.opens_on:
            return Window("before", (self.opens_on - today).days)
        if today > self.closes_on:
            return Window("after", (today - self.closes_on).days)
        return Window("open", (self.closes_on - today).days)

    def before_window(self, today: datetime.date | None = None) -> bool:
        """Open, but its first day is still ahead: the units prepare drafts and send nothing yet."""
        return self.status == self.Status.OPEN and self.window(today).state == "before"

    def window_closed(self, today: datetime.date | None = None) -> bool:
        """No more nominations: under review, decided, or past the closing date."""
        return self.status in (self.Status.REVIEW, self.Status.DECIDED) or self.window(today).state == "after"

    def window_note(self, today: datetime.date | None = None) -> str:
        """ "12 days left", "opens in 3 days" or "closed", as the campaign's page and list show the window."""
        if self.window_closed(today):
            return str(_("closed"))
        window = self.window(today)
        if window.state == "before":
            return ngettext("opens in %(days)d day", "opens in %(days)d days", window.days) % {
                "days": window.days
            }
        if self.status == self.Status.DRAFT:
            # Its dates have come, but the province has not opened it: nobody may nominate yet.
            return str(_("not opened yet: still a draft"))
        if window.days == 0:
            return str(_("last day"))
        return ngettext("%(days)d day left", "%(days)d days left", window.days) % {"days": window.days}


class Quota(NominatingUnit, models.Model):
    """A nominating unit's own quota in a campaign, where it differs from the campaign's default: a
    district's before the 2025 reform, a commune's since."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="quotas"
    )
    quota = models.PositiveSmallIntegerField(_("quota"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quota")
        verbose_name_plural = _("quotas")
        ordering = ["campaign", "district__code", "commune__code"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "district"], name="quota_one_per_district"),
            models.UniqueConstraint(fields=["campaign", "commune"], name="quota_one_per_commune"),
            exactly_one_unit("quota", _("A quota belongs to one district or one commune.")),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.quota}"


class NominationQuerySet(ScopedQuerySet):
    province_path = "province"
    district_path = "district"
    commune_path = "branch__commune"
    branch_path = "branch"

    def visible_to(self, user):
        """The nominations of the user's unit (its branches today, and for an ended unit its former
        branches) in the campaigns the user sees: Huyện đoàn Tiểu Cần reads its former branch's 2020
        nomination, not the 2026 one Xã Tập Ngãi made for the same branch in Vĩnh Long's campaign."""
        return super().visible_to(user).filter(campaign__in=Campaign.objects.visible_to(user))

    def counted_in_quota(self) -> "NominationQuerySet":
        """Nominations that use a place of the unit's quota: sent to the province and not turned down."""
        return self.filter(status__in=Nomination.QUOTA_STATUSES)


class Nomination(NominatingUnit, Versioned):
    """A district's (since the 2025 reform, a commune's) proposal (đề nghị tuyên dương) of one of its
    secretaries, with a short summary of achievements for the list and a longer achievement report."""

    class Status(models.TextChoices):
        DRAFT = "nhap", _("Draft")
        SUBMITTED = "da_gui", _("Submitted")
        APPROVED = "duyet", _("Approved")
        REJECTED = "khong_duyet", _("Not approved")

    # Sent to the province and not turned down: these take a place of the nominating unit's quota.
    QUOTA_STATUSES = [Status.SUBMITTED, Status.APPROVED]

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="nominations"
    )
    person = models.ForeignKey(
        "secretaries.Person",
        verbose_name=_("secretary"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    # The units of the branch the person led when nominated: they stay so if the person later moves. The
    # nominating unit is the branch's district before the reform, its commune since (one of the two).
    branch = models.ForeignKey(
        "branches.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey(
        "branches.Province",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    summary = models.CharField(
        _("summary of achievements"),
        max_length=600,
        help_text=_("Two or three sentences, as they will appear in the list."),
    )
    report = models.TextField(_("achievement report"), help_text=_("The nominee's full achievement report."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    rejection_reason = models.TextField(_("reason for not approving"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = NominationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    is_draft = status_is(Status.DRAFT)
    is_submitted = status_is(Status.SUBMITTED)
    is_approved = status_is(Status.APPROVED)
    is_rejected = status_is(Status.REJECTED)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["campaign", "district__code", "commune__code", "pk"]
        constraints = [
            exactly_one_unit("nomination", _("A nomination comes from one district or one commune.")),
            models.UniqueConstraint(
                fields=["campaign", "person"],
                name="nomination_one_per_person_and_campaign",
                violation_error_message=_("This secretary is already nominated in this campaign."),
            ),
            models.CheckConstraint(
                name="nomination_rejected_has_reason",
                condition=~Q(status="khong_duyet") | ~Q(rejection_reason=""),
                violation_error_message=_("A reason is required to reject a nomination."),
            ),
        ]
        indexes = [
            models.Index(fields=["campaign", "district", "status"], name="nomination_campaign_district"),
            models.Index(fields=["campaign", "commune", "status"], name="nomination_campaign_commune"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.campaign}"

    def get_absolute_url(self) -> str:
        return object_url("awards:nomination_detail", self.pk)

    @property
    def revocation(self) -> "Commendation | None":
        """The commendation made of it once it was revoked (None while it stands, or was never made), for
        the nominating unit's pages: select `commendation` with the nomination where a list shows it."""
        try:
            commendation = self.commendation
        except ObjectDoesNotExist:
            return None
        return commendation if commendation.is_revoked else None


class CommendationQuerySet(ProvinceWideQuerySet):
    def current(self) -> "CommendationQuerySet":
        return self.filter(revoked_on__isnull=True)


class Commendation(NominatingUnit, Versioned):
    """A published commendation: made from an approved nomination when the decision is published. The list
    is meant to be shown, so the whole province sees it; revocation marks it, the record stays."""

    nomination = models.OneToOneField(
        Nomination, verbose_name=_("nomination"), on_delete=models.PROTECT, related_name="commendation"
    )
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="commendations"
    )
    person = models.ForeignKey(
        "secretaries.Person",
        verbose_name=_("secretary"),
        on_delete=models.PROTECT,
        related_name="commendations",
    )
    branch = models.ForeignKey(
        "branches.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="+"
    )
    province = models.ForeignKey(
        "branches.Province", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"), db_index=True)
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CommendationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-year", "district__code", "commune__code", "pk"]
        constraints = [
            exactly_one_unit("commendation", _("A commendation comes from one district or one commune.")),
            models.CheckConstraint(
                name="commendation_revocation_complete",
                condition=Q(revoked_on__isnull=True, revocation_reason="")
                | (Q(revoked_on__isnull=False) & ~Q(revocation_reason="")),
                violation_error_message=_("A revocation has both a date and a reason."),
            ),
        ]
        indexes = [
            models.Index(fields=["province", "year", "district"], name="commendation_province_year"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.year}"

    def get_absolute_url(self) -> str:
        return object_url("awards:commendation_detail", self.pk)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_on is not None


class DecisionCorrection(models.Model):
    """A correction (đính chính) of a published decision: its number, date or signer as they were and as
    they are now, why, by whom and when. A published decision changes only through one of these; the
    certificates, made from the campaign's current decision, then read the corrected one and say so."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="corrections"
    )
    previous_number = models.CharField(_("previous decision number"), max_length=50)
    previous_date = models.DateField(_("previous decision date"))
    previous_signer = models.CharField(_("previous signer"), max_length=120, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=50)
    decision_date = models.DateField(_("decision date"))
    decision_signer = models.CharField(_("signed by"), max_length=120, blank=True)
    reason = models.TextField(_("reason for the correction"))
    corrected_on = models.DateField(_("corrected on"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("corrected by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    corrected_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision correction")
        verbose_name_plural = _("decision corrections")
        ordering = ["campaign", "corrected_at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="decision_correction_has_reason",
                condition=~Q(reason=""),
                violation_error_message=_("A correction needs its reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.decision_number}"

    def changes(self) -> list[tuple[str, str, str]]:
        """(what, before, after) for each part of the decision this correction changed."""
        rows = []
        if self.previous_number != self.decision_number:
            rows.append((str(_("Decision number")), self.previous_number, self.decision_number))
        if self.previous_date != self.decision_date:
            rows.append(
                (
                    str(_("Decision date")),
                    f"{self.previous_date:%d/%m/%Y}",
                    f"{self.decision_date:%d/%m/%Y}",
                )
            )
        if self.previous_signer != self.decision_signer:
            rows.append((str(_("Signed by")), self.previous_signer or "—", self.decision_signer or "—"))
        return rows


def document_path(instance, filename: str) -> str:
    # The uploader's file name is kept apart (original_name), never used on disk.
    return f"nomination-documents/{filename}"


class NominationDocument(models.Model):
    """A file attached to a nomination: the achievement report, the unit's proposal (tờ trình), or another
    supporting paper. Personal data: stored without a public URL and served by a view that loads the
    nomination through visible_to (awards.documents)."""

    class Kind(models.TextChoices):
        REPORT = "bao_cao", _("Achievement report")
        PROPOSAL = "to_trinh", _("The unit's proposal")
        OTHER = "khac", _("Other document")

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind of document"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("file"), upload_to=document_path)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Who attached or removed which file, and when: shown in the nomination's history.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nomination document")
        verbose_name_plural = _("nomination documents")
        ordering = ["nomination", "kind", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
