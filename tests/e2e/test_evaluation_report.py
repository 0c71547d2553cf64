"""An official generates the self-evaluation report in the browser: progress bar, then the PDF download.

The report is built by a real Celery worker on the real Redis, so the page really polls the job."""

import pytest

from accounts.roles import Role
from evaluation.models import ReportJob
from tests.core.test_celery import celery_worker  # noqa: F401  (the real worker on the real Redis)
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.factories.evaluation import year_with_catalogue


@pytest.mark.e2e
@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker")
def test_official_generates_and_downloads_the_report(live_server, page, artifacts, tmp_path):
    year = year_with_catalogue(2021, manual_budget_original=580000000, manual_spent=520130000)
    official = UserFactory.for_role(Role.OFFICIAL, first_name="周局长")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(official.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    page.get_by_role("link", name="绩效评价").first.click()
    page.get_by_role("link", name="2021年度绩效自评").click()
    page.get_by_role("link", name="评价报告").click()
    page.get_by_role("button", name="生成报告").click()

    progress = page.locator("progress#report-progress-bar")
    progress.wait_for()
    assert progress.is_visible()
    page.screenshot(path=str(artifacts / "evaluation-report-progress.png"), full_page=True)
    download_link = page.get_by_role("link", name="下载报告")
    download_link.wait_for(timeout=60_000)  # htmx polls the job until the worker has finished
    assert progress.get_attribute("value") == "100"
    with page.expect_download() as info:
        download_link.click()
    target = tmp_path / "report.pdf"
    info.value.save_as(target)
    assert info.value.suggested_filename.endswith(".pdf")
    assert target.read_bytes().startswith(b"%PDF") and target.stat().st_size > 50_000
    job = ReportJob.objects.get(year=year)
    assert (job.status, job.requested_by) == ("done", official)
    page.screenshot(path=str(artifacts / "evaluation-report-done.png"), full_page=True)
