"""In the browser: the city bureau reads the audit log, an application's history and the award page's history by
names and labels (no usernames, no codes); the administrator opens the technical detail of a row."""

import pytest

from accounts.roles import Role
from applications.workflow import Status
from core.audit import audit_record
from tests.factories import EnterpriseFactory, UserFactory
from tests.factories.applications import category_with_rules
from tests.factories.reviews import with_proposal
from tests.helpers import browser_login


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_city_and_admin_read_the_audit_log_and_histories(live_server, browser, artifacts):
    city = UserFactory(role=Role.CITY, first_name="赵敏", username="zhaomin_city")
    admin = UserFactory(role=Role.ADMIN, first_name="系统管理员", username="sysadmin_x")
    app = with_proposal(Status.QUALIFIED, city, category_with_rules())
    for action, source, target in (("application.disqualify", "city_accepted", "disqualified"),
                                   ("application.request_re_review", "disqualified", "re_review"),
                                   ("application.qualify", "re_review", "qualified")):
        audit_record(actor=city, action=action, obj=app, from_state=source, to_state=target, ip="10.0.0.8")
    clerk = UserFactory(role=Role.ENTERPRISE, organisation=EnterpriseFactory(), first_name="王芳", username="wf_user")
    audit_record(actor=clerk, action="application.upload", obj=app, ip="10.0.0.9",
                 data={"material": "营业执照", "file": "营业执照.pdf", "tech_sha256": "cafebabe"})

    page = browser_login(browser, live_server.url, city)
    page.goto(f"{live_server.url}/audit/")
    table = page.locator("table tbody")
    text = table.inner_text()
    assert "赵敏" in text and "王芳" in text and "营业执照：营业执照.pdf" in text
    assert "zhaomin_city" not in text and "wf_user" not in text and "cafebabe" not in text
    assert page.locator("table tbody details").count() == 0
    page.get_by_label("操作", exact=True).select_option(label="上传材料")
    page.get_by_role("button", name="筛选").click()
    assert page.locator("table tbody tr").count() == 1
    page.screenshot(path=str(artifacts / "audit-log-city.png"), full_page=True)

    page.goto(f"{live_server.url}/reviews/applications/{app.pk}/award/")
    history = page.locator("section[aria-labelledby=hist-h]").inner_text()
    assert "赵敏" in history and "zhaomin_city" not in history and "→" in history
    page.screenshot(path=str(artifacts / "award-history-city.png"), full_page=True)
    page.goto(f"{live_server.url}/applications/{app.pk}/")
    page.screenshot(path=str(artifacts / "application-history-city.png"), full_page=True)
    page.context.close()

    page = browser_login(browser, live_server.url, admin)
    page.goto(f"{live_server.url}/audit/")
    details = page.locator("table tbody tr", has_text="营业执照.pdf").locator("details")
    details.locator("summary").click()
    detail = details.inner_text()
    assert "application.upload" in detail and "wf_user" in detail and "10.0.0.9" in detail and "cafebabe" in detail
    page.screenshot(path=str(artifacts / "audit-log-admin.png"), full_page=True)
    page.context.close()
