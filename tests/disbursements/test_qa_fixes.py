"""QA findings of 2026-11-26 (disbursements): 万元 in every message, the budget tables' first column, the
note kept on an empty batch, the enterprise's filters on the staff lists, one file-size format."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.roles import Role
from core.models import Notification
from disbursements.demo import demo_pdf
from disbursements.models import Payment, PaymentBatch
from disbursements.services import commitment_create_for_application, payment_prepare, reconciliation_import
from tests.factories import disbursements as f
from tests.factories.applications import enterprise_user
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_amounts_in_messages_read_like_the_pages():
    from core.money import format_exact, format_wan

    assert format_wan(Decimal("4501600.00"), unit=True) == "450.16 万元"
    assert format_wan(Decimal("123456789012.00"), unit=True) == "12,345,678.90 万元"
    assert format_exact(Decimal("4501600.50")) == "450.16 万元（4,501,600.50 元）"


def test_the_paid_notification_says_wan_yuan(prep, appr):
    commitment = f.commitment("4501600.00")
    user = enterprise_user(commitment.payee)
    batch = f.sent_batch(prep, appr, [commitment])
    payment = batch.payments.get()
    record = reconciliation_import(actor=prep, upload=f.return_file([f.return_row(payment)]))
    assert record.rows_paid == 1
    note = Notification.objects.get(recipient=user)
    assert note.subject == f"资金已拨付：450.16 万元（{payment.reference}）"
    assert "第 1 笔：450.16 万元（4,501,600.00 元）已于 " in note.body
    assert "4501600" not in note.subject + note.body


def test_refusals_name_the_amounts_in_wan_yuan(prep, appr):
    commitment = f.commitment("4501600.00")
    with pytest.raises(ValidationError) as exceeds:
        payment_prepare(actor=prep, commitment=commitment, amount=Decimal("4501600.01"))
    assert exceeds.value.messages == [
        "本次金额 450.16 万元（4,501,600.01 元）加上已安排的 0.00 万元（0.00 元），超过核定金额 450.16 万元"
        "（4,501,600.00 元）；最多还可安排 450.16 万元（4,501,600.00 元）。"]
    assert not Payment.objects.exists()
    with pytest.raises(ValidationError) as exists:
        commitment_create_for_application(actor=appr, application=commitment.application,
                                          amount=Decimal("5000000.00"), approved_at=commitment.approved_at)
    assert exists.value.messages == ["该项目已有 450.16 万元（4,501,600.00 元）的核定金额，未改为 500.00 万元"
                                     "（5,000,000.00 元）。"]
    payment = f.sent_batch(prep, appr, [commitment]).payments.get()
    with pytest.raises(ValidationError) as mismatch:  # the only row refused: nothing stored, the rows named
        reconciliation_import(actor=prep, upload=f.return_file([f.return_row(payment, amount=4501600.5)]))
    assert mismatch.value.messages[1] == ("第 2 行：金额不符：文件中为 450.16 万元（4,501,600.50 元），付款金额为 "
                                          "450.16 万元（4,501,600.00 元）。")


def test_the_prepared_tranche_message_says_wan_yuan(client_for, prep):
    commitment = f.commitment("4501600.00")
    client = client_for(prep)
    response = client.post(reverse("disbursements:commitment_detail", args=[commitment.pk]),
                           {"amount": "1500000", "purpose": ""})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "已生成第 1 笔付款 150.00 万元（1,500,000.00 元），请放入付款批次提交审核。"]


def test_budget_tables_head_their_first_column_category_and_county(client_for, prep, appr):
    commitment = f.commitment("1000.00")
    f.sent_batch(prep, appr, [commitment])
    client = client_for(prep)
    year = commitment.fund_year
    html = client.get(reverse("disbursements:budget") + f"?year={year}").content.decode()
    assert '<th scope="col">类别</th>' in html and '<th scope="col">县（市、区）</th>' in html
    assert "姓名" not in html
    response = client.get(reverse("disbursements:budget_export") + f"?year={year}")
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    assert [sheet.title for sheet in book.worksheets[2:]] == ["按类别", "按县（市、区）"]
    headers = [next(sheet.iter_rows(min_row=3, values_only=True))[0] for sheet in book.worksheets[2:]]
    assert headers == ["类别", "县（市、区）"]


def test_an_empty_batch_keeps_the_typed_note(client_for, prep):
    f.commitment("1000.00")
    client = client_for(prep)
    response = client.post(reverse("disbursements:batch_new"), {"note": "十一月第二批，先核对账户"})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'value="十一月第二批，先核对账户"' in text and "请至少选择一笔付款或一个核定项目。" in text
    assert not PaymentBatch.objects.exists()


def test_an_enterprise_on_the_staff_lists_gets_only_its_own_filters(client, prep, appr):
    commitment = f.commitment("1000.00")
    payment = f.sent_batch(prep, appr, [commitment]).payments.get()
    user = enterprise_user(commitment.payee)
    login(client, user)
    for name, own in (("payments", payment.reference), ("commitments", commitment.purpose[:30])):
        response = client.get(reverse(f"disbursements:{name}"))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'name="county"' not in html and 'name="status"' not in html
        assert "已发送银行" not in html.split("<table")[0]  # no staff statuses offered as filters
        assert "金水区" not in html and reverse("disbursements:my_funds") in html
        assert own in html and '<th scope="col">收款单位</th>' not in html
    # a county filter typed into the address changes nothing for the enterprise
    html = client.get(reverse("disbursements:commitments") + "?county=999").content.decode()
    assert commitment.purpose[:30] in html


@pytest.mark.parametrize(("role", "county", "status"), [
    (Role.COUNTY, False, True), (Role.CITY, True, True), (Role.FINANCE_PREPARER, True, True)])
def test_staff_filters_follow_the_scope(client_for, role, county, status):
    client = client_for(role)
    commitments = client.get(reverse("disbursements:commitments")).content.decode()
    payments = client.get(reverse("disbursements:payments")).content.decode()
    assert ('name="county"' in commitments) is county and ("金水区" in commitments) is county
    assert ('name="status"' in payments) is status


def test_report_sizes_in_the_platform_format(client_for, user_for):
    from disbursements.services import report_upload

    city = user_for(Role.CITY)
    contract = f.diagnosis_contract(city)
    target = f.diagnosis_target(city, contract)
    content = demo_pdf("size")
    report_upload(actor=city, target=target, received_on=date(2021, 6, 1),
                  upload=f.upload(content, "报告.pdf", "application/pdf"))
    html = client_for(city).get(reverse("disbursements:contract_detail", args=[contract.pk])).content.decode()
    assert f"(PDF, {max(len(content) / 1024, 0.1):.1f} KB," in html
    assert "字节" not in html and "bytes" not in html


def test_my_funds_shows_each_tranche_in_wan_yuan_like_the_totals(client, prep, appr):
    """Second QA pass: the card said 核定金额 450.16 万元 and then 第 1 笔 · 4,501,600.00 元."""
    commitment = f.commitment("4501600.00")
    f.sent_batch(prep, appr, [commitment])
    login(client, enterprise_user(commitment.payee))
    html = client.get(reverse("disbursements:my_funds")).content.decode()
    assert "4,501,600.00" not in html
    assert html.count("450.16") >= 2  # the approved amount and the tranche
    assert '<span class="text-nowrap">' in html  # the due date does not break on a phone
