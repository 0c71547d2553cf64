"""The follow-up report in Chromium at phone width: the enterprise finds its report in 绩效跟踪, a bad figure is
refused in Chinese keeping what it typed, the report is submitted; the county verifies it. No serious
accessibility violation on the list, the form and the county's page."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.roles import Role
from aftercare.followup_models import FollowupReport
from aftercare.followup_services import followup_schedule
from tests.e2e.test_applications_flow import log_in
from tests.factories import UserFactory
from tests.factories import disbursements as f
from tests.factories.applications import ensure_counties, enterprise_user


def serious(page):
    return [v for v in Axe().run(page).response["violations"] if v.get("impact") in {"serious", "critical"}]


def narrow(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_enterprise_reports_at_phone_width_and_the_county_verifies(live_server, browser, artifacts):
    ensure_counties()
    project = f.paid_commitment()
    followup_schedule(commitment_id=project.pk)
    report = FollowupReport.objects.get(commitment=project, year=2022)
    owner = enterprise_user(project.application)
    county = UserFactory(role=Role.COUNTY, county=project.county)
    base = live_server.url

    page = log_in(browser, base, owner.username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/aftercare/followup/")
    assert serious(page) == [] and narrow(page)
    page.get_by_role("link", name=project.application.project_name).first.click()
    page.wait_for_url(re.compile(r"/aftercare/followup/\d+/$"))
    page.goto(f"{base}/aftercare/followup/{report.pk}/")
    assert serious(page) == [] and narrow(page)
    for name, value in (("revenue", "6,000"), ("taxes", "240"), ("jobs", "220"), ("energy", "1100"),
                        ("output", "1400"), ("base_revenue", "5000"), ("base_taxes", "200"), ("base_jobs", "200"),
                        ("base_energy", "1000"), ("base_output", "1000")):
        page.locator(f"#id_{name}").fill(value)
    page.locator("#id_taxes").fill("-240")
    page.get_by_role("button", name="提交绩效跟踪报告").click()
    page.locator(".invalid-feedback").first.wait_for()
    assert page.locator("#id_taxes").input_value() == "-240" and page.locator("#id_revenue").input_value() == "6,000"
    assert "负" in page.locator(".invalid-feedback").first.inner_text()
    page.screenshot(path=str(artifacts / "followup-1-refused-390.png"), full_page=True)
    assert serious(page) == [] and narrow(page)
    page.locator("#id_taxes").fill("240")
    page.get_by_role("button", name="提交绩效跟踪报告").click()
    page.get_by_text("填报数据").wait_for()
    page.screenshot(path=str(artifacts / "followup-2-submitted-390.png"), full_page=True)
    report.refresh_from_db()
    assert report.status == "submitted" and str(report.revenue) == "60000000.00"
    page.close()

    page = log_in(browser, base, county.username)
    page.goto(f"{base}/aftercare/followup/{report.pk}/")
    assert serious(page) == []
    page.get_by_role("button", name="核实无误").click()
    page.get_by_text("已核实").first.wait_for()
    page.screenshot(path=str(artifacts / "followup-3-verified.png"), full_page=True)
    report.refresh_from_db()
    assert report.status == "verified"
