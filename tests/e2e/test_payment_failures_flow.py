"""Browser flow of a failed payment: the enterprise (phone width) reads why and corrects its bank account, the
county bureau verifies the change, the preparer pays again as a new attempt; screenshots of each page."""

import re

import pytest

from accounts.models import BankAccountChange
from accounts.roles import Role
from disbursements.models import Payment
from disbursements.workflow import PaymentStatus
from tests.factories import UserFactory
from tests.factories import disbursements as f
from tests.factories.applications import enterprise_user
from tests.helpers import browser_login, totp_device


@pytest.fixture
def counties(db):
    f.ensure_counties()


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_failed_payment_is_corrected_verified_and_paid_again(live_server, browser, artifacts, counties):
    prep_user, appr_user = f.preparer(first_name="赵会计"), f.approver(first_name="孙科长")
    totp_device(prep_user)
    failed = f.failed_payment(prep_user, appr_user, reason="收款账户已销户")
    payee = failed.commitment.payee
    owner = enterprise_user(payee, first_name="王经理")
    county_user = UserFactory(role=Role.COUNTY, county=payee.county, first_name="李科长")

    # 1. the enterprise, on a phone, reads why the payment failed and enters its new account
    mine = browser_login(browser, live_server.url, owner, width=390)
    mine.goto(f"{live_server.url}/disbursements/my/")
    mine.get_by_text(re.compile("支付失败：账户已销户")).first.wait_for()
    assert fits(mine)
    mine.screenshot(path=str(artifacts / "payfail-1-enterprise-funds.png"), full_page=True)
    mine.get_by_role("link", name="企业信息").last.click()
    mine.get_by_role("link", name="修改企业信息").click()
    mine.get_by_label("银行账号").fill("6217000088889999")
    mine.get_by_role("button", name="保存").click()
    mine.get_by_text(re.compile("等待区县或市工信局核实")).first.wait_for()
    assert fits(mine)
    mine.screenshot(path=str(artifacts / "payfail-2-enterprise-pending.png"), full_page=True)
    change = BankAccountChange.objects.get(status="pending")
    assert change.new_account_no == "6217000088889999"

    # 2. the county bureau verifies it
    county = browser_login(browser, live_server.url, county_user)
    county.get_by_role("link", name="银行账户变更").first.click()
    county.get_by_role("link", name=payee.name).click()
    county.screenshot(path=str(artifacts / "payfail-3-county-verify.png"), full_page=True)
    county.get_by_role("button", name="核实通过").click()
    county.get_by_text(re.compile("已核实并生效")).wait_for()
    change.refresh_from_db()
    assert change.status == "approved" and change.decided_by == county_user

    # 3. the preparer pays again as a new attempt into the verified account
    prep = browser_login(browser, live_server.url, prep_user)
    prep.goto(f"{live_server.url}/disbursements/payments/{failed.pk}/")
    prep.get_by_role("button", name="重新支付制单").click()
    prep.get_by_text(re.compile("已为重新支付制单")).wait_for()
    prep.screenshot(path=str(artifacts / "payfail-4-new-attempt.png"), full_page=True)
    retry = Payment.objects.get(retry_of=failed)
    assert retry.status == PaymentStatus.PENDING and retry.payee_account == "6217000088889999"
    assert Payment.objects.get(pk=failed.pk).status == PaymentStatus.FAILED
