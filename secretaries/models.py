"""Branch secretaries: the people (Person) and the terms (Term) that tie them to branches.

A person's personal data (birth date, phone, ethnicity, religion, party membership) is personal data
under Law 91/2025/QH15 on personal data protection (religion is sensitive data): it is visible only within
scope, and every change is audited. Showing a person publicly (the honour wall) needs their consent.
Rules the data must keep live in the database: one current secretary per branch, a term ends on or after
it starts, a person's terms in the same role never overlap (see migration 0002 for the last one).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.history import HistoricalRecords
from core.navigation import object_url
from core.scope import ScopedQuerySet
from core.text import fold, name_sort_key, normalize_name
from core.validators import validate_not_in_future
from core.versioning import Versioned

from .birth_dates import validate_date_of_birth
from .choices import ETHNICITIES, EducationLevel, Gender, PublicConsent, Religion, TheoryLevel
from .phones import formatted, numbers_in_query, search_digits, validate_phone

#: branches whose secretaries a search by place finds; a word more of them have is matched by name only
SEARCH_BRANCHES = 200
#: the words of a unit's kind, folded: alone they name no place ("ap" is in every hamlet's name)
KIND_WORDS = frozenset({"ap", "khom", "to", "chi", "doan", "xa", "phuong", "thi", "tran", "dac", "khu"})


def check_party_date(*, is_party_member, date_of_birth, party_joined_on) -> None:
    """The Party joining date's rules beside the person's other fields (the person form's and the Excel
    import's): only a party member has one, and not before 18. Raises ValidationError with every message."""
    if not party_joined_on:
        return
    messages = []
    if not is_party_member:
        messages.append(_("Only a party member has a date of joining the Party."))
    born = date_of_birth
    if born:
        try:
            eighteen = born.replace(year=born.year + 18)
        except ValueError:  # born on 29 February: 18 on 1 March of a year without it
            eighteen = datetime.date(born.year + 18, 3, 1)
        if party_joined_on < eighteen:
            messages.append(_("One joins the Party at 18 at the earliest."))
    if messages:
        raise ValidationError(messages)


def check_expected_end(*, started_on, expected_end_on) -> None:
    """A term's expected end is not before its start (the appointment forms' and the Excel import's rule;
    the database's `term_due_end_after_start` is the last word)."""
    if started_on and expected_end_on and expected_end_on < started_on:
        raise ValidationError(_("The term cannot be due to end before it starts."))


def check_started_after_founding(*, branch, started_on) -> None:
    """A term does not start before its branch was founded (the appointment's and the Excel import's rule);
    a branch with no founding date recorded takes any start."""
    if started_on and branch.founded_on and started_on < branch.founded_on:
        raise ValidationError(
            _("%(branch)s was founded on %(date)s: a term cannot start before that day.")
            % {"branch": branch.name, "date": formats.date_format(branch.founded_on, "SHORT_DATE_FORMAT")},
            code="before_founded",
        )


def secretary_overlap_error(previous: "Term") -> ValidationError:
    """A branch has at most one secretary on any day: `previous`, an ended secretary's term of the branch,
    runs on or after the day a new one would start; the new one may start the day after it ended."""
    return ValidationError(
        _(
            "%(person)s was secretary of %(branch)s from %(start)s to %(end)s: a branch has one secretary "
            "at a time, so the new term can start on %(next)s at the earliest."
        )
        % {
            "person": previous.person.full_name,
            "branch": previous.branch.name,
            "start": formats.date_format(previous.started_on, "SHORT_DATE_FORMAT"),
            "end": formats.date_format(previous.ended_on, "SHORT_DATE_FORMAT"),
            "next": formats.date_format(previous.ended_on + datetime.timedelta(days=1), "SHORT_DATE_FORMAT"),
        },
        code="secretary_overlap",
    )


def held_until_error(*, person: str, branch: str, ended_on) -> ValidationError:
    """The person's own term of the role, ended on `ended_on`, runs on or after the day a new one would
    start: it cannot be ended first, so the new one starts after it."""
    return ValidationError(
        _("%(person)s held this role in %(branch)s until %(date)s: the new term must start after it.")
        % {"person": person, "branch": branch, "date": formats.date_format(ended_on, "SHORT_DATE_FORMAT")},
        code="overlap_ended",
    )


class PersonQuerySet(ScopedQuerySet):
    # A person belongs to the unit of the branch they serve (or last served): see term_appoint.
    province_path = "province"
    district_path = "district"
    # A commune officer reads the people who served (or serve) its branches.
    commune_path = "terms__branch__commune"
    branch_path = "terms__branch"
    former_until_path = "terms__started_on"
    multi_valued_paths = frozenset({commune_path, branch_path})

    def search(self, query: str | None, *, branches=None) -> "PersonQuerySet":
        """Every word in the name, the phone's digits, or the branch they lead now (or its commune) named
        so, among `branches` (the searching user's, when given: fewer to match)."""
        from core.text import search_terms

        qs = self
        numbers, rest = numbers_in_query(query or "")
        for digits in numbers:
            qs = qs.filter(phone_digits__contains=digits)
        words = search_terms(rest)
        if not words:
            return qs
        named = Q()
        for word in words:
            named &= Q(name_key__contains=word)
        # Or the branch they lead now is named so, or its commune ("soc ruong", "tap ngai"). The branches,
        # then the people serving them, are read first as short lists of ids, so the name's trigram index
        # still finds the rest (the branches' own search does the same with communes).
        from branches.models import Branch

        if all(word in KIND_WORDS for word in words):  # "ap", "xa": no place named, only its kind
            return qs.filter(named)
        branches = list(
            (Branch.objects.all() if branches is None else branches)
            .search(" ".join(words))
            .filter(ended_on__isnull=True)
            .values_list("pk", flat=True)[: SEARCH_BRANCHES + 1]
        )
        if not branches or len(branches) > SEARCH_BRANCHES:  # none, or a word most branches have ("ap")
            return qs.filter(named)
        serving = list(
            Term.objects.filter(ended_on__isnull=True, branch_id__any_of=branches)
            .values_list("person_id", flat=True)
            .distinct()
        )
        return qs.filter(named | Q(pk__any_of=serving)) if serving else qs.filter(named)

    def kept_by(self, user) -> "PersonQuerySet":
        """The people whose record the user's unit keeps (changes, assesses, invites, corrects), among
        those it reads: the unit of the branch they serve, or last served. `Person.province`/`district`
        name it for the units above a commune (term_appoint keeps them so); for a commune, a current term
        in it, or none anywhere and the latest in it. A commune officer also reads the people who served its
        branches before and serve elsewhere now: the other commune keeps them."""
        if user.is_administrator:
            return self.all()
        if user.unit_ended_on is not None:
            return self.none()  # an ended unit reads its people; today's units keep their records
        if user.is_provincial_staff:
            return self.filter(province__in=user.scope_province_ids())
        if user.is_district_officer:
            return self.filter(district=user.district_id)
        if not user.is_commune_officer:
            return self.none()
        terms = Term.objects.filter(person=OuterRef("pk"))
        current = terms.filter(ended_on__isnull=True)
        latest = terms.order_by("-started_on", "-pk").values("branch__commune")[:1]
        return self.alias(latest_commune=Subquery(latest)).filter(
            Q(Exists(current.filter(branch__commune=user.commune_id)))
            | (~Q(Exists(current)) & Q(latest_commune=user.commune_id))
        )

    def with_current_term(self) -> "PersonQuerySet":
        return self.annotate(
            has_current_term=Exists(Term.objects.filter(person=OuterRef("pk"), ended_on__isnull=True))
        )


def portrait_path(instance, filename: str) -> str:
    # The uploader's file name is never used: see secretaries/portraits.py.
    return f"portraits/{filename}"


class Person(Versioned):
    full_name = models.CharField(_("full name"), max_length=100)
    name_key = models.CharField(max_length=100, editable=False, db_index=True)
    sort_key = models.CharField(max_length=130, editable=False, db_index=True)
    gender = models.CharField(_("gender"), max_length=3, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"), validators=[validate_date_of_birth])
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNICITIES, default="01")
    religion = models.CharField(_("religion"), max_length=12, choices=Religion.choices, default=Religion.NONE)
    education_level = models.CharField(
        _("education level"), max_length=12, choices=EducationLevel.choices, blank=True
    )
    political_theory_level = models.CharField(
        _("political-theory level"), max_length=12, choices=TheoryLevel.choices, default=TheoryLevel.NONE
    )
    is_party_member = models.BooleanField(_("party member"), default=False)
    party_joined_on = models.DateField(
        _("joined the Party on"), null=True, blank=True, validators=[validate_not_in_future]
    )
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    phone_digits = models.CharField(max_length=20, editable=False, blank=True, db_index=True)
    email = models.EmailField(_("e-mail"), blank=True)
    portrait = models.ImageField(_("portrait"), upload_to=portrait_path, blank=True)
    portrait_thumbnail = models.ImageField(upload_to=portrait_path, blank=True, editable=False)
    # Whether the person agreed to their portrait and achievements being shown publicly, and when that was
    # recorded; unanswered means no. The change history keeps every earlier answer.
    public_consent = models.CharField(
        _("consent to public showing"),
        max_length=8,
        choices=PublicConsent.choices,
        blank=True,
        default=PublicConsent.NOT_ASKED,
    )
    public_consent_on = models.DateField(_("consent recorded on"), null=True, blank=True)
    # The units the record was made under: those of the branch at the person's latest appointment. A branch
    # re-attached since (the 2025 reform) is kept by its commune of today (selectors.person_units); the
    # pages and Django admin call these "when recorded".
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
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["name_key", "phone_digits", "portrait_thumbnail", "updated_at"]
    )

    class Meta:
        verbose_name = _("branch secretary")
        verbose_name_plural = _("branch secretaries")
        ordering = ["sort_key", "pk"]
        constraints = [
            models.CheckConstraint(name="person_name_not_blank", condition=~Q(name_key="")),
            models.CheckConstraint(
                name="person_consent_dated",
                condition=Q(public_consent="", public_consent_on__isnull=True)
                | (~Q(public_consent="") & Q(public_consent_on__isnull=False)),
                violation_error_message=_("An answer about public showing needs the date it was given."),
            ),
            models.CheckConstraint(
                name="person_party_date_only_for_members",
                condition=Q(is_party_member=True) | Q(party_joined_on__isnull=True),
                violation_error_message=_("Only a party member has a date of joining the Party."),
            ),
        ]
        indexes = [models.Index(fields=["district", "sort_key"], name="person_district_sort")]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.full_name = normalize_name(self.full_name)
        self.name_key = fold(self.full_name)
        self.sort_key = name_sort_key(self.full_name)
        self.phone = formatted(self.phone)
        self.phone_digits = search_digits(self.phone)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return object_url("secretaries:person_detail", self.pk)

    @property
    def admin_label(self) -> str:
        """The name with the birth date and the record's number, for Django admin's choices: two people of
        one name told apart before an account is bound to one of them."""
        return _("%(name)s, born %(date)s (record %(number)s)") % {
            "name": self.full_name,
            "date": formats.date_format(self.date_of_birth, "d/m/Y"),
            "number": self.pk,
        }

    @property
    def may_be_shown_publicly(self) -> bool:
        return self.public_consent == PublicConsent.GIVEN

    def age(self, on: datetime.date | None = None) -> int:
        on = on or timezone.localdate()
        born = self.date_of_birth
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class TermQuerySet(ScopedQuerySet):
    province_path = "branch__commune__province"
    district_path = "branch__commune__district"
    commune_path = "branch__commune"
    branch_path = "branch"
    former_until_path = "started_on"

    def current(self) -> "TermQuerySet":
        return self.filter(ended_on__isnull=True)

    def current_on(self, day) -> "TermQuerySet":
        """The terms running on `day`: begun by then, not ended before it (a term's end is its last day)."""
        return self.filter(started_on__lte=day).exclude(ended_on__lt=day)

    def secretaries(self) -> "TermQuerySet":
        return self.filter(role=Term.Role.SECRETARY)


class Term(Versioned):
    """A term (nhiệm kỳ): a person leads a branch, as secretary or deputy, from a date until a date."""

    class Role(models.TextChoices):
        SECRETARY = "bi_thu", _("Secretary")
        DEPUTY = "pho_bi_thu", _("Deputy secretary")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="terms"
    )
    branch = models.ForeignKey(
        "branches.Branch", verbose_name=_("branch"), on_delete=models.PROTECT, related_name="terms"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.SECRETARY)
    started_on = models.DateField(_("started on"))
    expected_end_on = models.DateField(
        _("term due to end on"),
        null=True,
        blank=True,
        help_text=_("The end of the term as elected, if known."),
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TermQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["branch"],
                condition=Q(role="bi_thu", ended_on__isnull=True),
                name="term_one_current_secretary_per_branch",
                violation_error_message=_("This branch already has a current secretary."),
            ),
            models.CheckConstraint(
                name="term_ends_after_it_starts",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                violation_error_message=_("A term cannot end before it starts."),
            ),
            models.CheckConstraint(
                name="term_due_end_after_start",
                condition=Q(expected_end_on__isnull=True) | Q(expected_end_on__gte=models.F("started_on")),
                violation_error_message=_("A term cannot be due to end before it starts."),
            ),
        ]
        indexes = [
            models.Index(fields=["person", "role", "started_on"], name="term_person_role_start"),
            models.Index(
                fields=["expected_end_on"], name="term_expected_end", condition=Q(ended_on__isnull=True)
            ),
            # The default order, read backwards: a page of the national list (Django admin's changelist)
            # without sorting every term, and the first and last start its date hierarchy asks for.
            models.Index(fields=["started_on", "id"], name="term_started"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} {self.branch.name}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    @property
    def is_secretary(self) -> bool:
        """The branch's secretary (not a deputy): without them the branch counts as without a secretary."""
        return self.role == self.Role.SECRETARY


# The secretary in the loop: invitations to an account of one's own, and proposed corrections.


class InvitationQuerySet(ScopedQuerySet):
    province_path = "person__province"
    district_path = "person__district"
    commune_path = "person__terms__branch__commune"
    branch_path = "person__terms__branch"
    multi_valued_paths = frozenset({commune_path, branch_path})

    def open(self) -> "InvitationQuerySet":
        """Neither used nor revoked (an expired one is still open, and refused when redeemed)."""
        return self.filter(used_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """An invitation for a secretary to open their own account, bound to their Person record. The code is
    shown once (in the e-mail or on the printed slip) and only its SHA-256 is stored."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("By e-mail")
        PRINTED = "printed", _("Printed slip")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        "accounts.User", verbose_name=_("invited by"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("sent"), max_length=8, choices=Channel.choices)
    email = models.EmailField(_("e-mail"), blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("account invitation")
        verbose_name_plural = _("account invitations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Re-inviting revokes the previous invitation: one open invitation per person.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_person",
            ),
            models.CheckConstraint(
                name="invitation_used_or_revoked",
                condition=Q(used_at__isnull=True) | Q(revoked_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({timezone.localtime(self.created_at):%d/%m/%Y})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.revoked_at is None and not self.is_expired


def json_value(value):
    """A record's value as a correction keeps it (JSON): a date as its ISO text."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class CorrectionQuerySet(ScopedQuerySet):
    province_path = "person__province"
    district_path = "person__district"
    commune_path = "person__terms__branch__commune"
    branch_path = "person__terms__branch"
    multi_valued_paths = frozenset({commune_path, branch_path})

    def pending(self) -> "CorrectionQuerySet":
        return self.filter(status=Correction.Status.PENDING)


class Correction(models.Model):
    """A correction a secretary proposes to their own record: the new values of some fields (and the old
    ones as they were when proposed), with a note; the officers of the unit accept or refuse it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        ACCEPTED = "accepted", _("Accepted")
        # Not the refused consent's "Không đồng ý": the officers refused the correction.
        REFUSED = "refused", pgettext_lazy("correction status", "Refused")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="corrections"
    )
    #: {field: new value} and {field: value when proposed}, as the form's cleaned data serialised
    changes = models.JSONField(_("proposed values"), default=dict)
    previous = models.JSONField(_("values when proposed"), default=dict)
    #: touches a sensitive field (religion): only those who may see it decide (secretaries/sensitive.py)
    sensitive = models.BooleanField(_("sensitive"), default=False)
    note = models.TextField(_("note"), blank=True)
    proposed_by = models.ForeignKey(
        "accounts.User", verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason for refusal"), blank=True)
    #: the person's version when proposed: an accept after someone else changed the record is refused
    person_version = models.PositiveIntegerField(default=1, editable=False)

    objects = CorrectionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="correction_decided_fully",
                condition=Q(status="pending", decided_at__isnull=True, decided_by__isnull=True)
                | (~Q(status="pending") & Q(decided_at__isnull=False, decided_by__isnull=False)),
            ),
            models.CheckConstraint(
                name="correction_refusal_has_reason",
                condition=~Q(status="refused") | ~Q(reason=""),
                violation_error_message=_("A refusal needs its reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({timezone.localtime(self.created_at):%d/%m/%Y})"

    def get_absolute_url(self) -> str:
        return object_url("secretaries:correction_review", self.pk)

    def changed_on_record(self, person=None) -> list[str]:
        """The proposed fields whose value on the record (`person`, or the correction's own) differs now from
        when this was proposed: accepting would overwrite that change."""
        person = person or self.person
        return [name for name, old in self.previous.items() if json_value(getattr(person, name)) != old]

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def is_refused(self) -> bool:
        return self.status == self.Status.REFUSED
