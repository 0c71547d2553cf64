"""The acceptance in Chromium: the enterprise (at phone width) submits its completion report with a document, a
bad amount keeps what it typed; the county records its inspection; the city opens a clawback. The pages have no
serious accessibility violation."""

import re

import pytest

from accounts.roles import Role
from aftercare.models import Acceptance
from aftercare.workflow import Status
from tests.e2e.full_cycle_helpers import decide_acceptance, record_inspection, serious, submit_completion_report
from tests.e2e.test_applications_flow import log_in
from tests.factories import UserFactory
from tests.factories import disbursements as f
from tests.factories.applications import MINIMAL_PDF, ensure_counties, enterprise_user
from tests.helpers import totp_device


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_report_inspection_and_decision_in_the_browser(live_server, browser, artifacts, tmp_path):
    ensure_counties()
    project = f.paid_commitment()
    owner = enterprise_user(project.application)
    county = UserFactory(role=Role.COUNTY, county=project.county)
    city = UserFactory(role=Role.CITY)
    base = live_server.url
    report = tmp_path / "完工报告.pdf"
    report.write_bytes(MINIMAL_PDF)

    page = log_in(browser, base, owner.username)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/aftercare/")
    page.get_by_role("link", name=project.application.project_name).click()
    page.wait_for_url(re.compile(rf"/aftercare/{project.pk}/$"))
    assert serious(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_label("实际投资（元）").fill("26,000,000.5x")
    page.get_by_label("发票合计（元）").fill("24500000")
    page.get_by_label("设备清单").fill("数控机床 2台")
    page.get_by_role("button", name="提交完工报告").click()
    page.locator(".invalid-feedback").first.wait_for()
    assert page.get_by_label("设备清单").input_value() == "数控机床 2台"
    submit_completion_report(page, investment="26000000", invoices="24500000", equipment="数控机床 2台",
                             files=[report])
    page.screenshot(path=str(artifacts / "aftercare-1-reported-390.png"), full_page=True)
    assert Acceptance.objects.get().status == Status.SUBMITTED
    page.close()

    page = log_in(browser, base, county.username)
    page.goto(f"{base}/aftercare/{project.pk}/")
    record_inspection(page, visit="2021-06-01", inspectors="王科长", findings="主体设备未购置。", recommendation="Fail")
    assert serious(page) == []
    page.close()

    page = log_in(browser, base, city.username, device=totp_device(city))
    page.goto(f"{base}/aftercare/{project.pk}/")
    decide_acceptance(page, "Open a clawback", note="项目未实施")
    page.get_by_role("heading", name="提出资金追回").wait_for()
    assert serious(page) == []
    page.screenshot(path=str(artifacts / "aftercare-2-city-clawback.png"), full_page=True)
    assert Acceptance.objects.get().status == Status.CLAWBACK
    page.close()
