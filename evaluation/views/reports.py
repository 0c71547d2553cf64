"""The report page: generate (a Celery job with a progress bar), come back later, download PDF and XLSX."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core.web import require_perm

from ..constants import JobStatus
from ..selectors import report_jobs_for
from ..services import reports as svc
from . import EXPORT, get_year


@require_perm(EXPORT)
def report(request, year):
    year = get_year(request, year)
    jobs = report_jobs_for(request.user, year)[:10]
    return render(request, "evaluation/report.html", {"year": year, "jobs": jobs, "tab": "report"})


@require_perm(EXPORT)
@require_POST
def report_generate(request, year):
    year = get_year(request, year)
    job = svc.report_request(actor=request.user, year=year)
    # no flash message about the state: the job page shows the real one and follows it (a "being generated"
    # message stayed on the page next to "ready" once the job had finished)
    return redirect("evaluation:report_job", year.year, job.pk)


def _job(request, year, pk):
    year = get_year(request, year)
    return year, get_object_or_404(report_jobs_for(request.user, year), pk=pk)


@require_perm(EXPORT)
def report_job(request, year, pk):
    year, job = _job(request, year, pk)
    return render(request, "evaluation/report_job.html", {"year": year, "job": job, "tab": "report"})


@require_perm(EXPORT)
def report_progress(request, year, pk):
    year, job = _job(request, year, pk)
    return render(request, "evaluation/_report_progress.html", {"year": year, "job": job})


@require_perm(EXPORT)
def report_download(request, year, pk, kind):
    year, job = _job(request, year, pk)
    if job.status != JobStatus.DONE or kind not in ("pdf", "xlsx"):
        raise Http404
    field = job.pdf if kind == "pdf" else job.xlsx
    content_type = "application/pdf" if kind == "pdf" else \
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    name = f"{year.year}年度制造业高质量发展专项资金绩效自评{'报告' if kind == 'pdf' else '表'}.{kind}"
    response = FileResponse(field.open("rb"), as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
