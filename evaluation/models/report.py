"""A report run: PDF and XLSX built by a Celery task, with progress the page polls."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..constants import REPORT_LOST_AFTER, JobStatus
from .year import EvaluationYear


class ReportJob(models.Model):
    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="report_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED,
                              db_index=True)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.CharField(max_length=200, blank=True)
    pdf = models.FileField(upload_to="evaluation/reports/%Y/", max_length=200, blank=True)
    xlsx = models.FileField(upload_to="evaluation/reports/%Y/", max_length=200, blank=True)
    pdf_size = models.PositiveIntegerField(default=0)
    xlsx_size = models.PositiveIntegerField(default=0)
    total_points = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.year} #{self.pk}"

    @property
    def finished(self):
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def lost(self):
        """Still queued or running long after it was requested: its worker died (a new request starts afresh)."""
        return not self.finished and self.created_at < timezone.now() - REPORT_LOST_AFTER
