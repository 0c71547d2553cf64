"""The counties compared in Chromium: the official picks a year, reads the table and the small charts (axe-core
finds no serious violation), and downloads the XLSX; a county user sees its own county."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts.roles import Role
from tests.e2e.test_accessibility import violations
from tests.e2e.test_applications_flow import log_in
from tests.factories import UserFactory, county
from tests.factories.applications import ensure_counties
from tests.factories.evaluation import cycle_of, cycle_year


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_counties_compared_in_the_browser(live_server, browser, artifacts):
    ensure_counties()
    cycle_year(2021, applied=3, awarded=2, budget="10000000.00", paid="6000000.00")
    cycle_year(2022, applied=4, awarded=3, budget="10000000.00", paid="8500000.00")
    cycle_of(2022, applied=2, awarded=1, paid="250000.00", county_name="二七区")
    official = UserFactory(role=Role.OFFICIAL)
    base = live_server.url

    page = log_in(browser, base, official.username)
    page.get_by_role("link", name="县区对比").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2022年与2021年")
    page.select_option("#year", "2021")  # the form sends itself (js-autosubmit)
    expect(page.get_by_role("heading", level=1)).to_contain_text("2021年与2020年")
    page.goto(f"{base}/evaluation/counties/?year=2022")
    expect(page.locator("tbody th[scope=row]")).to_have_count(16)
    expect(page.locator(".chart-box svg[role=img]")).to_have_count(16)
    expect(page.locator("tbody")).to_contain_text("850.00")
    problems = violations(Axe(), page)
    page.screenshot(path=str(artifacts / "county-comparison.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="导出（XLSX）").click()
    assert download.value.suggested_filename == "counties-2021-2022.xlsx"
    assert problems == [], "\n".join(problems)

    county_user = UserFactory(role=Role.COUNTY, county=county("二七区"))
    own = log_in(browser, base, county_user.username)
    own.goto(f"{base}/evaluation/counties/?year=2022")
    expect(own.locator("tbody th[scope=row]")).to_have_count(1)
    expect(own.locator("tbody")).to_contain_text("二七区")
    expect(own.locator("main")).not_to_contain_text("中原区")
    assert violations(Axe(), own) == []
