"""The search box of the county and city application lists in Chromium: typed, submitted, kept in the box, the
pages and the export link; the county sees only its own county's match."""

import pytest
from playwright.sync_api import expect

from accounts.models import County
from accounts.roles import Role
from accounts.validators import make_credit_code
from applications.workflow import Status
from tests.factories import ProfiledEnterpriseFactory, UserFactory, application_in, category_with_rules
from tests.factories.applications import ensure_counties
from tests.helpers import browser_login


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_county_and_city_search_the_list(live_server, browser, artifacts):
    ensure_counties()
    category = category_with_rules()
    zy, js = County.objects.get(name="中原区"), County.objects.get(name="金水区")
    own = application_in(Status.SUBMITTED, category=category, project_name="数控机床智能化改造",
                         enterprise=ProfiledEnterpriseFactory(name="郑州宇通重工有限公司", county=zy,
                                                              credit_code=make_credit_code("91410100AB1234567")))
    foreign = application_in(Status.SUBMITTED, category=category, project_name="新能源客车生产线",
                             enterprise=ProfiledEnterpriseFactory(name="郑州宇通客车有限公司", county=js))
    for _ in range(3):
        application_in(Status.SUBMITTED, category=category, enterprise=ProfiledEnterpriseFactory(county=zy))
    base = live_server.url

    county = browser_login(browser, base, UserFactory(role=Role.COUNTY, county=zy))
    county.goto(f"{base}/applications/")
    box = county.get_by_label("受理编号、统一社会信用代码、企业或项目名称")
    box.fill("宇通")
    county.get_by_role("button", name="筛选").click()
    expect(county.get_by_text("共 1 个申报项目")).to_be_visible()
    expect(county.get_by_role("link", name=own.receipt_no)).to_be_visible()
    expect(county.get_by_text(foreign.project_name)).to_have_count(0)
    expect(county.get_by_label("受理编号、统一社会信用代码、企业或项目名称")).to_have_value("宇通")
    href = county.get_by_role("link", name="导出当前列表（Excel .xlsx）").get_attribute("href")
    assert "q=%E5%AE%87%E9%80%9A" in href
    county.screenshot(path=str(artifacts / "search-01-county.png"), full_page=True)

    city = browser_login(browser, base, UserFactory(role=Role.CITY), width=1280)
    city.goto(f"{base}/applications/")
    city.get_by_label("受理编号、统一社会信用代码、企业或项目名称").fill("91410100ab")
    city.get_by_role("button", name="筛选").click()
    expect(city.get_by_text("共 1 个申报项目")).to_be_visible()
    expect(city.get_by_role("link", name=own.receipt_no)).to_be_visible()
    city.get_by_label("受理编号、统一社会信用代码、企业或项目名称").fill("宇通")
    city.get_by_role("button", name="筛选").click()
    expect(city.get_by_text("共 2 个申报项目")).to_be_visible()
    city.screenshot(path=str(artifacts / "search-02-city.png"), full_page=True)
