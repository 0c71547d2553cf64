import pytest

from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_enterprise_logs_in_through_chromium(live_server, page, artifacts):
    user = UserFactory(first_name="王经理")
    page.goto(f"{live_server.url}/accounts/login/")
    assert "登录" in page.title()
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/dashboard/")
    assert page.get_by_role("heading", name="工作台").is_visible()
    page.screenshot(path=str(artifacts / "login-dashboard.png"), full_page=True)
    assert (artifacts / "login-dashboard.png").stat().st_size > 5000
