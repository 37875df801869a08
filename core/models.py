import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class SecurityEvent(models.Model):
    """One security event (core.security_log.security_event), kept so an administrator can read recent
    ones in Django admin or with `manage.py security_events`. Ids and counts only, never personal data."""

    class Level(models.IntegerChoices):
        INFO = 20, _("Information")
        WARNING = 30, _("Warning")
        ERROR = 40, _("Error")

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


def job_storage():
    """Where finished jobs' files are kept: a private location (JOB_FILES_ROOT), never under MEDIA_ROOT and
    never behind a URL; each file is served by the job's download view, to the job's owner only."""
    from django.core.files.storage import storages

    return storages["jobs"]


def job_file_path(instance, filename: str) -> str:
    # The download name is kept in `file_name`; the stored name is random.
    suffix = filename.rsplit(".", 1)[-1][:8] if "." in filename else "bin"
    return f"{uuid.uuid4().hex}.{suffix}"


class JobQuerySet(models.QuerySet):
    def visible_to(self, user) -> "JobQuerySet":
        """A user's own jobs, the administrator's included: a job's file holds what its owner could see, as
        they saw it then (and its reading was logged as theirs), so nobody else reads it. The pages say
        "Việc của tôi"; the worker's state is `rq info`'s on the server."""
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        return self.filter(owner=user)


class Job(models.Model):
    """Long work run by the worker (core.jobs): a large export, a batch of certificates, a large import.
    The page of the job shows its progress, then a link to its file or its result."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30)
    title = models.CharField(_("title"), max_length=300)
    #: the title in each of the portal's languages (core.jobs.job_start), shown in the reader's
    #: (`shown_title`); empty for a job of before, whose `title` is in the language that started it
    titles = models.JSONField(_("titles"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    message = models.TextField(_("message"), blank=True)
    file = models.FileField(
        _("file"), storage=job_storage, upload_to=job_file_path, blank=True, max_length=200
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    #: where the result is when it is not a file (the import that was committed)
    result_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    file_removed_at = models.DateTimeField(_("file removed at"), null=True, blank=True)
    #: the id of the RQ job that runs it now (a re-queued job gets a new one; an older run then stops)
    rq_id = models.CharField(max_length=64, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    #: what runs it again: the dotted path of the job function, its keyword arguments, the language
    func = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=10, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "-created_at"], name="job_owner_newest")]
        constraints = [
            models.CheckConstraint(
                name="job_finished_has_time",
                condition=~models.Q(status__in=["done", "failed"]) | models.Q(finished_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.shown_title

    def get_absolute_url(self) -> str:
        return reverse("jobs:job_detail", kwargs={"pk": self.pk})

    @property
    def shown_title(self) -> str:
        """The title in the reader's language (the one that started the job, for a job without `titles`)."""
        return self.titles.get(translation.get_language()) or self.title

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return 100 if self.is_done else None
        return min(100, self.progress_done * 100 // self.progress_total)

    def report(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        """For the job function: `done` of `total` steps are done (written at most once a second)."""
        from core.jobs import report_progress

        report_progress(self, done, total, force=force)

    @property
    def has_file(self) -> bool:
        return self.is_done and bool(self.file) and self.file_removed_at is None


from core.importing.models import ImportBatch  # noqa: E402, F401 (the import log's model, in its package)
