"""Background jobs (core/jobs.py): the runner's states, the owner-only job page with its progress bar, the
download, and the large exports that run as jobs and give the same file as the direct download."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from applications.workflow import Status
from core import jobs
from core.models import Job, JobStatus
from tests.factories import UserFactory, application_in
from tests.factories import disbursements as f
from tests.helpers import response_bytes, xlsx_book

pytestmark = pytest.mark.django_db


@jobs.job_function("tests/counting", title=_("Background job"))
def counting(job, upto=3, fail=""):
    seen = []
    for number in range(1, upto + 1):
        job.report(100 * number // (upto + 1), f"step {number}")
        seen.append(Job.objects.get(pk=job.pk).progress)  # each report is written at once
    if fail == "job":
        raise jobs.JobError(_("You may no longer export applications."))
    if fail == "bug":
        raise RuntimeError("internal detail that must not reach the page")
    job.rows = upto
    jobs.attach(job, "计数.txt", ContentFile(",".join(map(str, seen)).encode()))


def run(owner, **params):
    job = Job.objects.create(owner=owner, kind="tests/counting", params=params)
    return jobs.execute(Job, job.pk)


def test_a_job_runs_to_done_with_its_progress_file_and_peak_memory():
    owner = UserFactory()
    job = run(owner, upto=3)
    job.refresh_from_db()
    assert (job.status, job.progress, job.rows) == (JobStatus.DONE, 100, 3)
    assert job.started_at and job.finished_at and job.peak_memory_kb > 1000
    assert job.file.read() == b"25,50,75" and job.filename == "计数.txt" and job.size == 8
    assert jobs.execute(Job, job.pk).finished_at == job.finished_at  # a redelivered task does nothing


@pytest.mark.parametrize(("fail", "message"), [("job", "您已无权导出申报项目"), ("bug", "任务因出错而中止")])
def test_a_failed_job_says_why_in_chinese_without_internal_detail(fail, message):
    job = run(UserFactory(), fail=fail)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and message in job.error and "internal" not in job.error
    assert not job.file and job.peak_memory_kb


def test_a_job_whose_broker_is_down_fails_at_once(monkeypatch, django_capture_on_commit_callbacks):
    def broker_down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(jobs.run_job, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(owner=UserFactory(), kind="tests/counting")
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "后台服务暂时无法连接" in job.error


def test_start_job_queues_after_commit_and_audits(django_capture_on_commit_callbacks):
    from core.models import AuditLog

    owner = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.start_job(owner=owner, kind="tests/counting", params={"upto": 2})
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED and len(callbacks) == 1
    callbacks[0]()  # eager in tests: runs the job
    assert Job.objects.get(pk=job.pk).status == JobStatus.DONE
    assert AuditLog.objects.filter(action="job.request", actor=owner, object_id=str(job.pk)).exists()


def test_the_job_page_polls_with_an_accessible_progress_bar_until_done(client_for):
    client = client_for(Role.COUNTY)
    owner = client.user
    job = Job.objects.create(owner=owner, kind="tests/counting", status=JobStatus.RUNNING, progress=35)
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'aria-valuenow="35"' in page and "<progress" in page
    assert "正在处理……35%" in page and reverse("core:job_progress", args=[job.pk]) in page
    assert client.get(reverse("core:job_download", args=[job.pk])).status_code == 404  # not done yet

    job = run(owner, upto=1)
    fragment = client.get(reverse("core:job_progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in fragment and 'aria-valuenow="100"' in fragment and "文件已生成" in fragment
    download = client.get(reverse("core:job_download", args=[job.pk]))
    assert download.status_code == 200 and response_bytes(download) == b"50"
    assert "attachment" in download["Content-Disposition"] and download["Cache-Control"] == "private, no-store"


def test_only_the_owner_sees_a_job(client_for):
    from django.test import Client

    job = run(UserFactory(), upto=1)
    other = client_for(Role.CITY)
    for name in ("core:job", "core:job_progress", "core:job_download"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
        assert Client().get(reverse(name, args=[job.pk])).status_code == 302  # anonymous: to the login page


def test_a_lost_job_stops_polling():
    from datetime import timedelta

    from django.utils import timezone

    owner = UserFactory()
    job = Job.objects.create(owner=owner, kind="tests/counting", status=JobStatus.RUNNING, progress=10)
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
    job.refresh_from_db()
    assert job.lost and not job.finished


def cells_below_title(content):
    """Every sheet's cell values from row 3 on (rows 1-2: the title and the time the file was produced)."""
    book = xlsx_book(content)
    return [[list(row) for row in sheet.iter_rows(min_row=3, values_only=True)] for sheet in book.worksheets]


def test_a_large_application_export_runs_as_a_job_with_the_same_cells_as_the_direct_download(
        client_for, settings, django_capture_on_commit_callbacks):
    from applications.models import Application

    city = client_for(Role.CITY)
    for status in (Status.SUBMITTED, Status.FORWARDED, Status.QUALIFIED, Status.COUNTY_ACCEPTED):
        application_in(status)
    query = {"status": Status.QUALIFIED}
    url = reverse("applications:export")
    settings.EXPORT_JOB_THRESHOLD = 100
    direct = city.get(url, query)
    assert direct["Content-Type"].startswith("application/vnd.openxmlformats")
    direct_all = city.get(url)

    settings.EXPORT_JOB_THRESHOLD = 0  # any non-empty list is "large"
    for params, expected in ((query, direct), ({}, direct_all)):
        with django_capture_on_commit_callbacks(execute=True):
            response = city.get(url, params)
        job = Job.objects.latest("id")
        assert response.status_code == 302 and response["Location"] == reverse("core:job", args=[job.pk])
        job.refresh_from_db()
        assert job.status == JobStatus.DONE, job.error
        assert job.kind == "applications/export" and job.rows == (1 if params else Application.objects.count())
        file = city.get(reverse("core:job_download", args=[job.pk]))
        assert cells_below_title(response_bytes(file)) == cells_below_title(response_bytes(expected))
        assert job.filename.endswith(".xlsx") and job.peak_memory_kb > 0


def test_a_large_payments_export_runs_as_a_job_with_the_same_cells(client_for, settings,
                                                                   django_capture_on_commit_callbacks):
    first = f.commitment("1000000.00")
    f.approved_batch(f.preparer(), f.approver(), [first, f.sibling(first, "2500000.00")])
    client = client_for(Role.FINANCE_PREPARER)
    url = reverse("disbursements:payments_export")
    settings.EXPORT_JOB_THRESHOLD = 100
    direct = client.get(url)
    settings.EXPORT_JOB_THRESHOLD = 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url)
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job", args=[job.pk]) and job.kind == "disbursements/payments_export"
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.rows >= 2
    file = client.get(reverse("core:job_download", args=[job.pk]))
    assert cells_below_title(response_bytes(file)) == cells_below_title(response_bytes(direct))


def test_peak_memory_is_the_process_own_not_the_parent_peak_carried_into_a_forked_child():
    import os

    with open("/proc/self/status", encoding="ascii") as status:
        assert jobs.peak_memory_kb() == jobs.memory_kb("VmHWM") > 0 and "VmHWM" in status.read()
    spike = b"x" * (150 * 1024 * 1024)  # the parent's peak goes 150 MB above what it keeps
    del spike
    parent_peak = jobs.peak_memory_kb()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child reports its own peak and leaves at once
        os.write(write, str(jobs.peak_memory_kb()).encode())
        os._exit(0)
    os.close(write)
    child_peak = int(os.read(read, 64))
    os.close(read)
    os.waitpid(pid, 0)
    assert 0 < child_peak < parent_peak - 100 * 1024
