"""Background jobs: work that takes seconds (a large export, the self-evaluation report) runs on the Celery
worker in both modes, and the page the user lands on polls the job's row.

- An app registers a job function with ``@job_function("<app>/<name>", title=_("..."))``; the function is called as
  ``fn(job, **params)``, reports progress with ``job.report(percent, message)`` and stores its result (for a
  ``core.Job``: ``attach(job, filename, fileobj)``). A ``JobError(message)`` fails the job with that message.
- ``start_job(owner=, kind=, params=)`` creates the ``core.Job`` row and queues ``run_job`` after commit.
- ``run_job`` (the one Celery task) and ``execute`` run a job of any model built on ``core.models.JobState``
  whose row names its function (``job_kind``) and parameters (``job_params``): queued -> running -> done or
  failed, with the error in Chinese and the worker's peak memory recorded.
"""

import logging
import resource
from dataclasses import dataclass

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .audit import audit_record
from .models import Job, JobStatus

log = logging.getLogger(__name__)

GENERIC_FAILURE = _("The job stopped because of an error. Start it again; if it fails again, tell the "
                    "administrator.")
QUEUE_FAILURE = _("The job could not be queued: the background service is not reachable. Try again later.")


class JobError(Exception):
    """Raised by a job function to fail the job with a message for its owner (in Chinese)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class JobKind:
    kind: str
    title: object  # a lazy text
    fn: object


_KINDS = {}


def job_function(kind, *, title):
    """Register ``fn(job, **params)`` as the function of the jobs of ``kind``."""
    def decorate(fn):
        _KINDS[kind] = JobKind(kind, title, fn)
        return fn

    return decorate


def job_kind(kind):
    return _KINDS[kind]


def job_title(kind):
    entry = _KINDS.get(kind)
    return entry.title if entry else _("Background job")


def memory_kb(field="VmHWM"):
    """This process's peak (``VmHWM``) or current (``VmRSS``) resident memory in KiB. Not ``ru_maxrss``: Linux
    carries a parent's peak over ``fork``/``exec`` into the child (a worker's child would report the worker's
    peak); ``ru_maxrss`` only where ``/proc`` is missing."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def peak_memory_kb():
    """The peak resident memory of this process so far, in KiB."""
    return memory_kb("VmHWM")


def start_job(*, owner, kind, params=None):
    """Queue a job of ``kind`` for ``owner``; the worker starts it after commit. Returns the Job."""
    job_kind(kind)  # an unknown kind is a programming error: fail here, not on the worker
    with transaction.atomic(durable=True):
        job = Job.objects.create(owner=owner, kind=kind, params=params or {})
        audit_record(actor=owner, action="job.request", obj=job, data={"kind": kind})
        transaction.on_commit(lambda: enqueue(job))
    return job


def enqueue(job):
    """Send the job to the worker; when the broker is unreachable the job fails at once with a message
    (instead of a progress bar that never moves)."""
    try:
        run_job.delay(job.pk, job._meta.label)
    except Exception:
        log.exception("Could not queue job %s #%s", job._meta.label, job.pk)
        type(job).objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, error=_chinese(QUEUE_FAILURE), finished_at=timezone.now())


def _chinese(text):
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


@shared_task(name="core.run_job", acks_late=True)
def run_job(job_id, model="core.Job"):
    job = execute(apps.get_model(model), job_id)
    return {"job": job.pk, "status": job.status}


def execute(model, job_id):
    """Run one job to its end. Idempotent: a finished job is left alone (a redelivered task does nothing)."""
    with transaction.atomic():
        job = model.objects.select_for_update().get(pk=job_id)
        if job.finished:
            return job
        job.status, job.started_at, job.progress = JobStatus.RUNNING, timezone.now(), max(job.progress, 1)
        job.save(update_fields=["status", "started_at", "progress"])
    try:
        job_kind(job.job_kind).fn(job, **job.job_params)
    except Exception as exc:
        if isinstance(exc, JobError):
            error = _chinese(exc.message)
        else:
            log.exception("Job %s #%s failed", model._meta.label, job_id)
            error = _chinese(GENERIC_FAILURE)
        job.status, job.error, job.finished_at = JobStatus.FAILED, error, timezone.now()
        job.peak_memory_kb = peak_memory_kb()
        model.objects.filter(pk=job.pk).update(status=job.status, error=error, finished_at=job.finished_at,
                                               peak_memory_kb=job.peak_memory_kb)
        return job
    job.status, job.progress, job.finished_at = JobStatus.DONE, 100, timezone.now()
    job.peak_memory_kb = peak_memory_kb()
    job.save()
    return job


def attach(job, filename, fileobj):
    """Store ``fileobj`` (an open binary file at its start) as the job's result; ``filename`` is the name the
    download carries. Written through the default storage (local disk or S3)."""
    fileobj.seek(0, 2)
    job.size = fileobj.tell()
    fileobj.seek(0)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else "bin"
    job.file.save(f"job-{job.pk}-{stamp}.{suffix}", File(fileobj), save=False)
    job.filename = filename
