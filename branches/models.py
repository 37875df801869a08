"""The Youth Union's hierarchy: province › district › commune › branch.

Provinces, districts and communes are official administrative units with statistics-office codes
(loaded by `manage.py load_divisions`). Since the 2025 reform a commune may hang directly under a
province, so its district is optional; units that ceased to exist keep their end date and successor,
and records attached to them are never moved.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scope import ScopedQuerySet
from core.text import fold, normalize_name
from core.versioning import Versioned


class AdministrativeUnit(Versioned):
    code = models.CharField(_("official code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_key = models.CharField(max_length=100, editable=False, db_index=True)
    ended_on = models.DateField(_("ceased on"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("succeeded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )

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


class ProvinceQuerySet(ScopedQuerySet):
    province_path = "pk"
    district_path = "districts"


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
            models.CheckConstraint(name="province_code_two_digits", condition=Q(code__regex=r"^[0-9]{2}$")),
        ]

    def get_absolute_url(self) -> str:
        return reverse("branches:province_detail", kwargs={"code": self.code})

    @property
    def union_name(self) -> str:
        return _("Provincial Youth Union of %(name)s") % {"name": self.name}


class DistrictQuerySet(ScopedQuerySet):
    province_path = "province"
    district_path = "pk"


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
            models.CheckConstraint(name="district_code_three_digits", condition=Q(code__regex=r"^[0-9]{3}$")),
        ]

    def get_absolute_url(self) -> str:
        return reverse("branches:district_detail", kwargs={"code": self.code})


class CommuneQuerySet(ScopedQuerySet):
    province_path = "province"
    district_path = "district"


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
            models.CheckConstraint(name="commune_code_five_digits", condition=Q(code__regex=r"^[0-9]{5}$")),
        ]

    def get_absolute_url(self) -> str:
        return reverse("branches:commune_detail", kwargs={"code": self.code})


class BranchQuerySet(ScopedQuerySet):
    province_path = "commune__province"
    district_path = "commune__district"

    def active(self) -> "BranchQuerySet":
        return self.filter(is_active=True)

    def search(self, query: str | None) -> "BranchQuerySet":
        from core.text import search_terms

        qs = self
        for term in search_terms(query):
            qs = qs.filter(name_key__contains=term)
        return qs


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
    member_count = models.PositiveIntegerField(_("member count"), default=0)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
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
        constraints = [
            # "Ấp Cây Gòn" and "ap cay gon" are the same branch of the same commune.
            models.UniqueConstraint(
                fields=["commune", "name_key"],
                name="branch_name_unique_in_commune",
                violation_error_message=_("This commune already has a branch with that name."),
            ),
            models.CheckConstraint(name="branch_name_not_blank", condition=~Q(name_key="")),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.commune.name})"

    def save(self, *args, **kwargs):
        self.name = normalize_name(self.name)
        self.name_key = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("branches:branch_detail", kwargs={"pk": self.pk})

    @property
    def district(self):
        return self.commune.district

    @property
    def province(self):
        return self.commune.province
