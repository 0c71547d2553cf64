"""Cross-cutting records: the append-only audit log, in-app notifications (with their e-mail outbox) and
background jobs."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import clock
from .search import BigramIndex, TrigramIndex


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only")

    def delete(self):
        raise PermissionError("The audit log is append-only")


class AuditLog(models.Model):
    """One row per state change or authentication event. Never updated, never deleted."""

    created_at = models.DateTimeField(_("time"), default=clock.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("client IP"), null=True, blank=True)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    action = models.CharField(_("action"), max_length=64)  # indexed with the time: audit_action_time_order
    from_state = models.CharField(_("from state"), max_length=64, blank=True)
    to_state = models.CharField(_("to state"), max_length=64, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The facts of the change as JSON (see core.audit.audit_record); rendered in the reader's language.
    data = models.JSONField(_("data"), default=dict, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the log's order: its first page reads this index forwards, its last page backwards (core.paging)
            models.Index(fields=["-created_at", "-id"], name="audit_time_order"),
            # the log filtered by one action, in the same order (an action among millions of rows of others)
            models.Index(fields=["action", "-created_at", "-id"], name="audit_action_time_order"),
            models.Index(fields=["content_type", "object_id"]),
            # the search box of the audit log (core.search)
            TrigramIndex("object_repr", name="audit_object_trgm"),
            TrigramIndex("actor_name", name="audit_actor_trgm"),
            BigramIndex("object_repr", name="audit_object_bigrams"),
            BigramIndex("actor_name", name="audit_actor_bigrams"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only")

    @property
    def action_label(self):
        from .audit import action_label

        return action_label(self.action)

    def audited_model(self):
        """The model class of the audited object (None without one), through the content-type cache: reading
        ``self.content_type`` would be one query per row shown. Looked up once per row (a row's note, state and
        people all ask)."""
        known = self.__dict__.get("_audited")
        if known is None or known[0] != self.content_type_id:
            model = ContentType.objects.get_for_id(self.content_type_id).model_class() if self.content_type_id else None
            known = self._audited = (self.content_type_id, model)
        return known[1]

    def state_label(self, value):
        """The display name of a workflow state, from the status choices of the audited model."""
        return status_choices(self.audited_model()).get(value, value)

    @property
    def from_state_label(self):
        return self.state_label(self.from_state) if self.from_state else ""

    @property
    def to_state_label(self):
        return self.state_label(self.to_state) if self.to_state else ""


_STATUS_CHOICES: dict = {}  # model class -> its status field's {value: label}


def status_choices(model):
    """{value: label (translated when shown)} of ``model``'s ``status`` field; {} when the model has none (or
    is None). Built once per model and process: the audit log shows fifty rows of states a page."""
    found = _STATUS_CHOICES.get(model)
    if found is None:
        try:
            found = dict(model._meta.get_field("status").flatchoices) if model is not None else {}
        except FieldDoesNotExist:
            found = {}
        _STATUS_CHOICES[model] = found
    return found


class Notification(models.Model):
    """An in-app message; its e-mail goes out through the outbox (emailed_at stays empty until sent)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(default=clock.now, editable=False, db_index=True)
    # The event that caused it (an audit action code, or a reminder code) and the item it concerns
    # (core.events.object_key): the notification page groups by item and by day with these.
    kind = models.CharField(max_length=64, blank=True, db_index=True)
    object_key = models.CharField(max_length=100, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_wanted = models.BooleanField(default=True)
    emailed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.subject


JOB_LOST_AFTER = timedelta(minutes=15)  # a job still queued or running after this is taken as lost


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class JobState(models.Model):
    """What every background job records (core/jobs.py runs it): status, progress 0-100 with a short message,
    the times, the error in Chinese when it failed, and the peak memory of the process that ran it."""

    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED,
                              db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    # resource.getrusage(RUSAGE_SELF).ru_maxrss of the worker process when the job ended, in KiB
    peak_memory_kb = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def lost(self):
        """Still queued or running long after it was requested: its worker died (a new request starts afresh)."""
        return not self.finished and self.created_at < timezone.now() - JOB_LOST_AFTER

    def report(self, percent, message=""):
        """Progress from inside the job function: written at once (its own commit in the worker), so the page
        polling the job sees it move."""
        percent = max(0, min(99, int(percent)))
        if percent == self.progress and message[:200] == self.message:
            return
        self.progress, self.message = percent, message[:200]
        type(self).objects.filter(pk=self.pk).update(progress=self.progress, message=self.message)


class Job(JobState):
    """A background job a user started (a large export): one registered function, one result file."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jobs")
    kind = models.CharField(max_length=64)
    params = models.JSONField(default=dict, blank=True)
    file = models.FileField(upload_to="jobs/%Y/%m/", max_length=200, blank=True)
    filename = models.CharField(max_length=200, blank=True)  # the name the download carries
    size = models.PositiveBigIntegerField(default=0)
    rows = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def job_kind(self):
        return self.kind

    @property
    def job_params(self):
        return self.params
