"""Report jobs: requested by staff or officials, built by a Celery task that reports its progress."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record

from ..constants import REPORT_LOST_AFTER, JobStatus
from ..models import EvaluationYear, ReportJob
from ..report.render import report_files
from . import require

log = logging.getLogger(__name__)
EXPORT = "evaluation.export_evaluation"
STALE_AFTER = REPORT_LOST_AFTER  # a job still "running" after this is taken as lost


def report_request(*, actor, year):
    """Queue a report job; the task starts after commit (eagerly in the demo, on a worker in deployment)."""
    require(actor, EXPORT)
    with transaction.atomic(durable=True):
        # one job at a time per year: pressing the button again joins the job that is still being built
        EvaluationYear.objects.select_for_update().get(pk=year.pk)
        pending = ReportJob.objects.filter(year=year, status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
                                           created_at__gte=timezone.now() - STALE_AFTER).first()
        if pending is not None:
            return pending
        job = ReportJob.objects.create(year=year, requested_by=actor)
        audit_record(actor=actor, action="evaluation.report_request", obj=job)
        transaction.on_commit(lambda: _enqueue(job.pk))
    return job


def _enqueue(job_id):
    from ..tasks import generate_report

    try:
        generate_report.delay(job_id)
    except Exception as exc:  # broker unreachable: say so on the job instead of hanging at 0 %
        log.exception("Could not queue report job %s", job_id)
        ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, error=f"queue: {exc.__class__.__name__}", finished_at=timezone.now())


def _progress(job_id):
    def update(percent, message=""):
        # each update commits on its own so that the page polling the job sees it
        ReportJob.objects.filter(pk=job_id).update(progress=percent, message=message[:200])

    return update


def report_run(job_id):
    """Build the files of one job. Idempotent: a finished job is left alone."""
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().select_related("year").get(pk=job_id)
        if job.status in (JobStatus.DONE, JobStatus.FAILED):
            return job
        job.status, job.started_at, job.progress = JobStatus.RUNNING, timezone.now(), 5
        job.save(update_fields=["status", "started_at", "progress"])
    try:
        pdf, xlsx, context = report_files(job.year, progress=_progress(job.pk))
    except Exception as exc:
        log.exception("Report job %s failed", job_id)
        ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=str(exc)[:2000],
                                                   finished_at=timezone.now())
        raise
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    job.pdf.save(f"self-evaluation-{job.year.year}-{stamp}-{job.pk}.pdf", ContentFile(pdf), save=False)
    job.xlsx.save(f"self-evaluation-{job.year.year}-{stamp}-{job.pk}.xlsx", ContentFile(xlsx), save=False)
    job.pdf_size, job.xlsx_size = len(pdf), len(xlsx)
    job.total_points = context["result"].total.points
    job.status, job.progress, job.message, job.finished_at = JobStatus.DONE, 100, "done", timezone.now()
    job.save(update_fields=["pdf", "xlsx", "pdf_size", "xlsx_size", "total_points", "status", "progress",
                            "message", "finished_at"])
    return job
