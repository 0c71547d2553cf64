"""Browser flow: a preparer builds a batch, an approver (another person) approves it, the preparer sends it
and downloads the bank file, the bank's return file is uploaded and marks the payment paid, and the
enterprise sees the money arrive."""

import re
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from core.models import AuditLog, Notification
from disbursements.models import Payment, PaymentBatch
from disbursements.workflow import BatchStatus, PaymentStatus
from tests.factories import disbursements as f
from tests.factories.applications import enterprise_user
from tests.helpers import browser_login, totp_device


@pytest.fixture
def counties(db):
    f.ensure_counties()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_two_finance_officers_pay_and_the_enterprise_sees_it(live_server, browser, artifacts, counties, tmp_path):
    prep_user, appr_user = f.preparer(first_name="赵会计"), f.approver(first_name="孙科长")
    for user in (prep_user, appr_user):
        totp_device(user)
    commitment = f.commitment("1234567.89")
    owner = enterprise_user(commitment.payee, first_name="王经理")

    # 1. the preparer builds a batch from the approved commitment and submits it
    prep = browser_login(browser, live_server.url, prep_user)
    prep.get_by_role("link", name="付款批次").first.click()
    prep.get_by_role("link", name="生成付款批次").click()
    prep.get_by_label(commitment.payee.name).check()
    assert prep.locator("#selected-total").inner_text() == "1,234,567.89"
    prep.get_by_role("button", name="生成批次").click()
    prep.wait_for_url(re.compile(r"/disbursements/batches/\d+/$"))
    batch = PaymentBatch.objects.get()
    assert batch.status == BatchStatus.DRAFT
    prep.get_by_role("button", name="提交审核").click()
    prep.get_by_text("已提交审核").wait_for()
    assert prep.get_by_role("button", name="审核通过").count() == 0  # never offered to the preparer
    prep.screenshot(path=str(artifacts / "disbursements-1-submitted.png"), full_page=True)

    # 2. a different person approves it
    appr = browser_login(browser, live_server.url, appr_user)
    appr.get_by_role("link", name="待您审核的付款批次").click()  # the approver's queue on the dashboard
    appr.get_by_role("link", name=batch.reference).click()
    appr.get_by_role("button", name="审核通过").click()
    appr.get_by_text("已审核通过 1 笔付款").wait_for()
    appr.screenshot(path=str(artifacts / "disbursements-2-approved.png"), full_page=True)
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.APPROVED and payment.approved_by == appr_user

    # 3. the preparer sends it and downloads the bank file
    prep.reload()
    prep.get_by_role("button", name="发送银行").click()
    prep.get_by_text("已标记发送 1 笔付款").wait_for()
    with prep.expect_download() as download_info:
        prep.get_by_role("link", name=re.compile("下载银行代发文件")).click()
    assert download_info.value.suggested_filename == f"{batch.reference}.xlsx"
    bank_file = download_info.value.path().read_bytes()
    sheet = load_workbook(BytesIO(bank_file)).worksheets[0]
    header, row = [list(r) for r in sheet.iter_rows(min_row=1, max_row=2, values_only=True)]
    assert row[1:7] == [payment.payee_name, payment.payee_account, payment.payee_bank, 1234567.89,
                        payment.purpose, payment.reference]

    # 4. the bank's return file comes back and is uploaded
    returned = load_workbook(BytesIO(bank_file))
    details = returned.worksheets[0]
    details.cell(row=1, column=8, value="状态")
    details.cell(row=1, column=9, value="银行流水号")
    details.cell(row=1, column=10, value="入账日期")
    details.cell(row=2, column=8, value="成功")
    details.cell(row=2, column=9, value="ICBC20211125001")
    details.cell(row=2, column=10, value=timezone.localdate().isoformat())
    path = tmp_path / "银行回单.xlsx"
    returned.save(path)
    prep.get_by_role("link", name="上传银行回单").click()
    prep.locator("input[name=file]").set_input_files(str(path))
    prep.get_by_role("button", name="校验并登记").click()
    prep.wait_for_url(re.compile(r"/disbursements/reconciliations/\d+/$"))
    assert "已入账 1 行" in prep.content()
    prep.screenshot(path=str(artifacts / "disbursements-3-reconciled.png"), full_page=True)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.bank_reference == "ICBC20211125001"
    assert AuditLog.objects.filter(action="payment.mark_paid").count() == 1

    # 5. the enterprise sees the payment (phone width) and was notified
    mine = browser_login(browser, live_server.url, owner)
    mine.set_viewport_size({"width": 390, "height": 844})
    mine.goto(f"{live_server.url}/disbursements/my/")
    assert mine.get_by_text("ICBC20211125001").is_visible()
    assert mine.get_by_text("已拨付").first.is_visible()
    mine.screenshot(path=str(artifacts / "disbursements-4-enterprise.png"), full_page=True)
    assert Notification.objects.filter(recipient=owner, subject__contains=payment.reference).exists()
    assert (artifacts / "disbursements-4-enterprise.png").stat().st_size > 5000
