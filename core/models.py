from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.Model):
    """One security event (core.security_log.security_event), kept so an administrator can read recent
    ones in Django admin or with `manage.py security_events`. Ids and counts only, never personal data."""

    class Level(models.IntegerChoices):
        INFO = 20, "INFO"
        WARNING = 30, "WARNING"
        ERROR = 40, "ERROR"

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    event = models.CharField(_("event"), max_length=64, db_index=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.INFO)
    # No database constraint and nothing done on delete: the record outlives the account it names.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    address = models.CharField(_("client address"), max_length=45, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        # In Vietnam's time, as every moment the portal shows (kept in UTC).
        return f"{self.event} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M:%S}"

    @property
    def details_text(self) -> str:
        return " ".join(f"{key}={value}" for key, value in sorted(self.details.items()))


class ReminderSent(models.Model):
    """One reminder mailed to a user (core/reminders.py): the log of the digests, and what keeps an item from
    being mailed again the next day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind of reminder"), max_length=40)
    key = models.CharField(_("item"), max_length=200)
    sent_on = models.DateField(_("sent on"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="reminder_sent_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key} {self.sent_on:%d/%m/%Y}"


class ReminderOptOut(models.Model):
    """A kind of reminder a user asked not to be mailed (from the settings page or a digest's link)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind of reminder"), max_length=40)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder turned off")
        verbose_name_plural = _("reminders turned off")
        ordering = ["user", "kind"]
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="reminder_opt_out_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"


class SensitiveDataAccess(models.Model):
    """One export that carried sensitive personal data (religion; Law 91/2025/QH15): who, when, which
    export, with which filters, how many rows. Written by core.personal_data.record_sensitive_access;
    read by the administrator in Django admin, never changed there."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    what = models.CharField(_("export"), max_length=200)
    fields = models.JSONField(_("sensitive fields"), default=list, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    #: the person the export is about, for a data-subject export (their own data)
    subject_id = models.PositiveIntegerField(_("about person number"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("sensitive data access")
        verbose_name_plural = _("sensitive data accesses")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.what} {timezone.localtime(self.created_at):%Y-%m-%d %H:%M:%S}"


from core.importing.models import ImportBatch  # noqa: E402, F401 (the import log's model, in its package)
