"""A report run: PDF and XLSX built as a background job (core/jobs.py), with progress the page polls."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import JobState

from .year import EvaluationYear


class ReportJob(JobState):
    """Shared by the staff who may export the year's evaluation (one job at a time per year), hence its own
    model; it runs through the same runner and shows the same progress bar as every other job."""

    job_kind = "evaluation/report"
    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="report_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pdf = models.FileField(upload_to="evaluation/reports/%Y/", max_length=200, blank=True)
    xlsx = models.FileField(upload_to="evaluation/reports/%Y/", max_length=200, blank=True)
    pdf_size = models.PositiveIntegerField(default=0)
    xlsx_size = models.PositiveIntegerField(default=0)
    total_points = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.year} #{self.pk}"

    @property
    def job_params(self):
        return {}
