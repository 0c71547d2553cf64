"""What the QA pass saw in Chromium, kept from coming back: the navbar of the role with the most entries in
whole words at desktop widths, the city's application list without a hidden sideways scroll at 1366 px, and the
enterprise's own list showing each application's status on a phone."""

import pytest
from playwright.sync_api import expect

from accounts.models import County
from accounts.roles import Role
from applications.workflow import Status
from tests.e2e.test_applications_flow import log_in
from tests.factories import UserFactory
from tests.factories.applications import application_in, ensure_counties, enterprise_user
from tests.helpers import totp_device

LONG_NAME = "郑州高新技术产业开发区示范智能装备制造有限公司"


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_navbar_list_and_phone_layout(live_server, browser, artifacts):
    ensure_counties()
    high_tech = County.objects.get(name="郑州高新技术产业开发区")
    # the widest real row: a long county, enterprise and project, the longest status label, a duplicate flag
    apps = [application_in(status, county=high_tech, other_subsidy=True)
            for status in (Status.SUBMITTED, Status.REVIEWED, Status.REVIEWED)]
    for app in apps:
        app.enterprise.name, app.project_name = LONG_NAME, "五轴数控加工中心智能化改造及工业互联网平台建设项目"
        app.enterprise.save(update_fields=["name"])
        app.save(update_fields=["project_name"])
    city = UserFactory(role=Role.CITY, first_name="张处长")
    base = live_server.url

    page = log_in(browser, base, city.username, device=totp_device(city))
    for width, rows_height in ((1366, 110), (1100, 150)):  # two rows of entries at 1366 px, three at 1100 px
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/applications/")
        expect(page.locator(".app-table")).to_contain_text(LONG_NAME)
        # every navbar entry on one line (a link one character wide wraps into a tall column)
        heights = page.eval_on_selector_all("#mainNav .nav-link", "links => links.map(a => a.offsetHeight)")
        assert len(heights) >= 12 and max(heights) <= 45, heights
        bar = page.locator("nav.navbar").bounding_box()
        assert bar["height"] <= rows_height, bar
        page.screenshot(path=str(artifacts / f"layout-city-{width}.png"))
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{base}/applications/")
    overflow = page.eval_on_selector(".table-wrap", "w => w.scrollWidth - w.clientWidth")
    assert overflow <= 1, f"the city's list scrolls sideways by {overflow} px at 1366"

    phone = log_in(browser, base, enterprise_user(apps[0]).username)
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(f"{base}/applications/")
    status = phone.locator(".app-table tbody .badge-status").first
    expect(status).to_be_visible()
    box = status.bounding_box()
    assert box["x"] + box["width"] <= 390, box
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(artifacts / "layout-enterprise-390.png"), full_page=True)
