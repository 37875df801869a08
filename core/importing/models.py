import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.navigation import object_url
from core.scope import ScopedQuerySet


class ImportBatchQuerySet(ScopedQuerySet):
    # A batch belongs to the unit of the account that uploaded it: a commune officer sees the imports made
    # for their commune, provincial staff those of their province and its communes. The unit is kept as
    # plain ids because the ground floor knows nothing of the units' models.
    province_path = "scope_province"
    district_path = "scope_district"
    commune_path = "scope_commune"


def batch_path(instance, filename: str) -> str:
    # The uploader's file name is kept in `file_name`, never used as a path.
    return f"imports/{uuid.uuid4().hex}.xlsx"


class ImportBatch(models.Model):
    """One uploaded file: its preview, then (once confirmed) the import. The original file is kept, served
    only to users whose scope holds the batch (core.importing.views.batch_file)."""

    class Status(models.TextChoices):
        PREVIEW = "xem_truoc", _("Preview")
        COMMITTED = "da_nhap", _("Imported")

    kind = models.CharField(_("kind"), max_length=30)
    file = models.FileField(_("file"), upload_to=batch_path)
    file_name = models.CharField(_("file name"), max_length=200)
    file_size = models.PositiveIntegerField(_("file size"), default=0)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )
    scope_province = models.PositiveIntegerField(null=True, blank=True, editable=False, db_index=True)
    scope_district = models.PositiveIntegerField(null=True, blank=True, editable=False, db_index=True)
    scope_commune = models.PositiveIntegerField(null=True, blank=True, editable=False, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PREVIEW)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True, db_index=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    new_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("with errors"), default=0)
    #: the preview: every row's outcome, the rows with errors first
    report = models.JSONField(default=dict, blank=True, editable=False)
    #: the rows as read from the file (values, cells as typed, cell errors): a re-check needs no new parse
    parsed = models.JSONField(default=dict, blank=True, editable=False)
    #: what each row of the preview does and to which records at which version (engine.Plan.basis):
    #: a confirmation commits only while the rows still read so
    basis = models.JSONField(default=dict, blank=True, editable=False)
    #: the user's choices on the preview, e.g. {"same_person": [5, 9]} (row numbers)
    options = models.JSONField(default=dict, blank=True, editable=False)

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        app_label = "core"
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                name="import_committed_has_time",
                condition=~models.Q(status="da_nhap") | models.Q(committed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d/%m/%Y %H:%M})"

    def get_absolute_url(self) -> str:
        return object_url("imports:batch_detail", self.pk)

    @property
    def is_preview(self) -> bool:
        return self.status == self.Status.PREVIEW

    @property
    def is_committed(self) -> bool:
        return self.status == self.Status.COMMITTED

    @staticmethod
    def scope_of(user) -> dict:
        """The unit ids a batch of `user` belongs to (none for the administrator: only administrators
        see an administrator's imports)."""
        if user.is_commune_officer:
            return {"scope_commune": user.commune_id, "scope_province": user.commune.province_id}
        if user.is_district_officer:
            return {"scope_district": user.district_id, "scope_province": user.district.province_id}
        if user.is_provincial_staff:
            return {"scope_province": user.province_id}
        return {}
