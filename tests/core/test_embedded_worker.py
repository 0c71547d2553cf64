"""The embedded mode's background path: a real Celery worker on kombu's SQLAlchemy transport over a SQLite
file (the broker `make run` uses without Redis) runs a job after the request has answered."""

import sqlite3
import threading
import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from applications.workflow import Status
from core import jobs
from core.models import Job, JobStatus
from tests.conftest import missing
from tests.factories import application_in
from tests.helpers import fresh_celery_connections, response_bytes, xlsx_book
from zhengzhou_grants.celery import app

GATES = {"started": threading.Event(), "go": threading.Event()}
RAN_IN = {}


@jobs.job_function("tests/gated", title=_("Background job"))
def gated(job):
    """Reports 50 % and waits until the test lets it finish: the test watches it run on the worker."""
    RAN_IN["thread"] = threading.get_ident()
    job.report(50, "half")
    GATES["started"].set()
    if not GATES["go"].wait(20):
        raise RuntimeError("never released")
    jobs.attach(job, "gated.txt", ContentFile(b"done"))


@pytest.fixture
def sqlite_worker(tmp_path):
    try:
        import sqlalchemy  # noqa: F401  (kombu's SQLAlchemy transport)
    except ImportError:
        missing("SQLAlchemy (pip install -r requirements.txt)")
    broker = tmp_path / "celery-broker.sqlite3"
    previous = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager",
                                               "broker_transport_options")}
    app.conf.update(broker_url=f"sqla+sqlite:///{broker}", result_backend=None, task_always_eager=False,
                    broker_transport_options=settings.EMBEDDED_BROKER_TRANSPORT_OPTIONS)
    fresh_celery_connections(app)
    for gate in GATES.values():
        gate.clear()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield broker
    finally:
        GATES["go"].set()
        app.conf.update(**previous)
        fresh_celery_connections(app)


def wait_for(predicate, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_job_runs_on_the_worker_after_the_request_and_its_page_follows_the_progress(sqlite_worker, client_for):
    client = client_for(Role.CITY)
    job = jobs.start_job(owner=client.user, kind="tests/gated")  # commits: the task goes to the SQLite broker
    with sqlite3.connect(sqlite_worker) as broker:  # kombu's tables are in the file
        assert {"kombu_queue", "kombu_message"} <= {row[0] for row in broker.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")}
    assert GATES["started"].wait(20), "the worker never started the job"
    assert RAN_IN["thread"] != threading.get_ident()  # on the worker, not in the caller
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert 'aria-valuenow="50"' in page and 'hx-trigger="every 1s"' in page
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING

    GATES["go"].set()
    wait_for(lambda: Job.objects.get(pk=job.pk).status == JobStatus.DONE)
    fragment = client.get(reverse("core:job_progress", args=[job.pk])).content.decode()
    assert 'aria-valuenow="100"' in fragment and "hx-trigger" not in fragment
    assert response_bytes(client.get(reverse("core:job_download", args=[job.pk]))) == b"done"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_a_large_export_answers_at_once_and_the_worker_writes_the_file(sqlite_worker, client_for, settings):
    settings.EXPORT_JOB_THRESHOLD = 1
    for status in (Status.SUBMITTED, Status.QUALIFIED):
        application_in(status)
    client = client_for(Role.CITY)
    response = client.get(reverse("applications:export"))
    job = Job.objects.get(kind="applications/export")
    assert response.status_code == 302 and response["Location"] == reverse("core:job", args=[job.pk])
    wait_for(lambda: Job.objects.get(pk=job.pk).finished)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    book = xlsx_book(response_bytes(client.get(reverse("core:job_download", args=[job.pk]))))
    assert book.worksheets[0].max_row >= 2 + 1 + 2 and job.rows == 2 and job.peak_memory_kb > 0
