"""Report jobs: requested by staff or officials, built as a background job (core/jobs.py) that reports its
progress."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.jobs import enqueue, execute, job_function

from ..constants import REPORT_LOST_AFTER, JobStatus
from ..models import EvaluationYear, ReportJob
from ..report.render import report_files
from . import require

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
        transaction.on_commit(lambda: enqueue(job))
    return job


@job_function("evaluation/report", title=_("Self-evaluation report"))
def build_report(job):
    """The job function: render the PDF and the XLSX of the job's year, reporting progress as it goes."""
    pdf, xlsx, context = report_files(job.year, progress=job.report)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    job.pdf.save(f"self-evaluation-{job.year.year}-{stamp}-{job.pk}.pdf", ContentFile(pdf), save=False)
    job.xlsx.save(f"self-evaluation-{job.year.year}-{stamp}-{job.pk}.xlsx", ContentFile(xlsx), save=False)
    job.pdf_size, job.xlsx_size = len(pdf), len(xlsx)
    job.total_points = context["result"].total.points
    job.message = "done"


def report_run(job_id):
    """Build the files of one job (what the worker does). Idempotent: a finished job is left alone."""
    return execute(ReportJob, job_id)
