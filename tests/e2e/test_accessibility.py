"""axe-core (vendored by axe-playwright-python) over the public pages, the login and registration pages and every
navigation entry of every role, in Chromium: no serious or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from accounts.roles import TWO_FACTOR_ROLES, Role
from applications.workflow import Status
from core.audit import audit_record
from core.navigation import items_for
from core.notifications import notify
from tests.e2e.test_applications_flow import log_in
from tests.factories import UserFactory
from tests.factories.applications import application_in, ensure_counties, enterprise_user
from tests.helpers import totp_device

PUBLIC = ["/", "/public/", "/public/publicity/", "/accounts/login/", "/accounts/register/",
          "/accounts/password/reset/"]
SKIPPED = {"admin:index"}  # Django's own admin site
BLOCKING = {"serious", "critical"}


def violations(axe, page):
    results = axe.run(page)
    found = [v for v in results.response["violations"] if v.get("impact") in BLOCKING]
    return [f"{page.url} {v['id']} ({v['impact']}): {v['help']} — "
            + "; ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                        for node in v["nodes"][:5])
            for v in found]


def visit(page, url):
    response = page.goto(url)
    assert response is not None and response.status < 400, (url, response and response.status)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", [None, *Role], ids=lambda role: role or "public")  # one test each: run in parallel
def test_no_serious_accessibility_violations(live_server, browser, artifacts, role):
    """The public pages (``role`` None), or every navigation entry of ``role``."""
    ensure_counties()
    apps = [application_in(status) for status in (Status.SUBMITTED, Status.DRAFT)]
    user = enterprise_user(apps[1]) if role == Role.ENTERPRISE else UserFactory.for_role(role) if role else None
    if user is not None:
        notify([user], subject="请补充材料", body="申报书缺少营业执照复印件。", link="/applications/", email=False)
        audit_record(actor=user, action="auth.login", obj=user)
    base, axe, problems, checked = live_server.url, Axe(), [], []

    if user is None:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        for path in PUBLIC:
            visit(page, base + path)
            problems += violations(axe, page)
            checked.append(path)
    else:
        device = totp_device(user) if role in TWO_FACTOR_ROLES else None
        page = log_in(browser, base, user.username, device=device)
        for item in items_for(user):
            if item["url_name"] in SKIPPED:
                continue
            visit(page, base + item["url"])
            problems += violations(axe, page)
            checked.append(item["url"])
        if role == Role.ENTERPRISE:  # the enterprise's dashboard on a phone: readable, nothing wider than the screen
            page.set_viewport_size({"width": 390, "height": 844})
            visit(page, base + "/dashboard/")
            problems += violations(axe, page)
            if not page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
                problems.append(f"{page.url} is wider than 390 px")
    page.close()
    (artifacts / f"axe-violations-{role or 'public'}.txt").write_text("\n".join(problems) + "\n", encoding="utf-8")
    if user is None:
        assert checked == PUBLIC
    else:
        assert {"/dashboard/", "/notifications/"} <= set(checked), checked
        assert ("/audit/" in checked) == user.has_perm("accounts.view_audit_log"), checked
        assert role != Role.CITY or len(checked) >= 10, checked
    assert problems == [], "\n".join(problems)
