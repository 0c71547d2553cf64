"""In the browser, with DEBUG off (the demo's default): an enterprise user who opens a missing page or another
enterprise's application sees the Chinese 404 page, with no list of URL patterns and no technical detail."""

import pytest

from applications.workflow import Status
from tests.factories import application_in
from tests.factories.accounts import PASSWORD
from tests.factories.applications import enterprise_user

TECHNICAL = ["Page not found at", "URLconf", "Django tried", "Traceback", "DEBUG = True", "urlpatterns"]


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_an_enterprise_sees_the_chinese_404_for_missing_and_foreign_pages(live_server, page, artifacts, settings):
    settings.DEBUG = False
    mine, foreign = application_in(Status.SUBMITTED), application_in(Status.SUBMITTED)
    user = enterprise_user(mine)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")

    for path, shot in ((f"/applications/{foreign.pk}/", "error-404-foreign.png"),
                       ("/no-such-page/", "error-404-missing.png")):
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 404
        assert page.get_by_role("heading", name="404 · 页面不存在").is_visible()
        assert page.get_by_role("link", name="返回首页").is_visible()
        body = page.content()
        for marker in TECHNICAL:
            assert marker not in body, (path, marker)
        assert "Cache-Control" not in body
        assert "no-store" in response.headers.get("cache-control", "")
        page.screenshot(path=str(artifacts / shot), full_page=True)

    assert page.goto(f"{live_server.url}/applications/{mine.pk}/").status == 200  # the own one opens
