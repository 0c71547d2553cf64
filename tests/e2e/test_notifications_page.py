"""The notifications digest in Chromium: a city user with many notifications sees one entry per item and day and a
navbar number of items, marks one entry read; an enterprise user reads theirs at 390 px without sideways
scrolling. axe-core finds no serious violation."""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.roles import Role
from core import clock
from core.notifications import notify
from tests.e2e.test_accessibility import violations
from tests.factories import UserFactory
from tests.factories.applications import application_in, ensure_counties, enterprise_user
from tests.helpers import browser_login


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_city_and_enterprise_read_the_digest(live_server, browser, artifacts):
    ensure_counties()
    city = UserFactory(role=Role.CITY)
    apps = [application_in("forwarded", project_name=f"智能化生产线改造项目{n}") for n in range(4)]
    yesterday = clock.now() - datetime.timedelta(days=1)
    for when in (yesterday, clock.now()):
        with clock.at(when):
            for app in apps:
                for subject in ("中原区推荐上报", "申请复审", "审计已提交"):
                    notify([city], subject=f"{subject}：{app.project_name}（{app.receipt_no}）",
                           body="县区推荐意见：材料齐全，同意推荐", link=f"/applications/{app.pk}/", obj=app,
                           kind="application.forward", email=False)
    owner = enterprise_user(apps[0])
    notify([owner], subject=f"您的项目已进入公示：{apps[0].project_name}（{apps[0].receipt_no}）",
           body="拟支持金额：200.00 万元。\n公示期为2026-12-07至2026-12-11。公示期内（截至2026-12-11），任何单位和个人"
                "均可通过公示页面实名书面提出异议：/public/publicity/1/", link=f"/applications/{apps[0].pk}/",
           obj=apps[0], kind="application.publish")
    base, axe = live_server.url, Axe()

    page = browser_login(browser, base, city)
    nav = page.locator("nav.navbar").get_by_role("link", name="通知")
    assert "8" in nav.inner_text()  # 4 items × 2 days with unread notifications, not 24
    page.goto(f"{base}/notifications/")
    headings = page.locator("main h2")
    assert headings.count() == 8
    assert "3 条关于「" in headings.first.inner_text()
    assert violations(axe, page) == []
    page.screenshot(path=str(artifacts / "notifications-city.png"), full_page=True)
    page.get_by_role("button", name="本组标为已读").first.click()
    page.wait_for_load_state()
    assert "7" in page.locator("nav.navbar").get_by_role("link", name="通知").inner_text()
    page.get_by_role("link", name="未读", exact=True).click()
    assert page.locator("main h2").count() == 7
    page.context.close()

    phone = browser_login(browser, base, owner, width=390)
    phone.goto(f"{base}/notifications/")
    assert "拟支持金额：200.00 万元" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert violations(axe, phone) == []
    phone.screenshot(path=str(artifacts / "notifications-enterprise-390.png"), full_page=True)
    phone.context.close()
