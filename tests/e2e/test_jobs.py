"""A county officer exports a long list in the browser: the export runs as a background job on a real worker,
the job page's progress bar follows it, the download link appears; axe finds nothing serious on the page."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.roles import Role
from applications.workflow import Status
from core.models import Job
from tests.core.test_celery import celery_worker  # noqa: F401  (the real worker on the real Redis)
from tests.e2e.test_accessibility import violations
from tests.factories import UserFactory, application_in
from tests.factories.accounts import PASSWORD


@pytest.mark.e2e
@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker")
def test_a_large_export_runs_as_a_job_the_page_follows(live_server, page, artifacts, settings, tmp_path):
    settings.EXPORT_JOB_THRESHOLD = 1
    first = application_in(Status.SUBMITTED)
    application_in(Status.COUNTY_ACCEPTED, county=first.county)
    officer = UserFactory.for_role(Role.COUNTY, county=first.county)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(officer.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    page.goto(f"{live_server.url}/applications/export.xlsx")
    job = Job.objects.get(owner=officer)
    assert page.url == f"{live_server.url}/jobs/{job.pk}/"
    progress = page.locator("progress#job-progress-bar")
    assert progress.get_attribute("aria-valuenow") is not None
    download = page.get_by_role("link", name="下载")
    download.wait_for(timeout=60_000)  # htmx polls the job until the worker has finished
    assert progress.get_attribute("aria-valuenow") == "100"
    page.screenshot(path=str(artifacts / "job-export-done.png"), full_page=True)
    assert violations(Axe(), page) == []
    with page.expect_download() as info:
        download.click()
    target = tmp_path / "export.xlsx"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"PK") and info.value.suggested_filename.endswith(".xlsx")
