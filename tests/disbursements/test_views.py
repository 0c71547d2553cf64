"""The pages through the test client: the batch flow with idempotency keys, uploads, forms, query counts."""

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditLog
from disbursements.models import BudgetEntry, Payment, PaymentBatch, PaymentRule
from disbursements.workflow import BatchStatus, PaymentStatus
from tests.factories import disbursements as f
from tests.factories.applications import enterprise_user
from tests.helpers import login, xlsx_book

pytestmark = pytest.mark.django_db


def fields_of(html, action):
    """The hidden fields (idempotency key, version) of the action's form on the page."""
    form = re.search(rf'action="[^"]*/{action}/".*?</form>', html, re.S).group(0)
    return dict(re.findall(r'type="hidden" name="(idempotency_key|version)" value="([^"]+)"', form))


def test_batch_flow_through_the_pages(client, prep, appr, commitment):
    login(client, prep)
    page = client.get(reverse("disbursements:batch_new"))
    assert commitment.payee.name in page.content.decode()
    response = client.post(reverse("disbursements:batch_new"), {"commitment": [commitment.pk], "note": "三月"})
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("disbursements:batch_detail",
                                                                           args=[batch.pk])
    html = client.get(response["Location"]).content.decode()
    client.post(reverse("disbursements:batch_action", args=[batch.pk, "submit"]), fields_of(html, "submit"))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SUBMITTED
    # the preparer gets no approve button and cannot approve by posting
    html = client.get(reverse("disbursements:batch_detail", args=[batch.pk])).content.decode()
    assert "/approve/" not in html
    login(client, appr)
    html = client.get(reverse("disbursements:batch_detail", args=[batch.pk])).content.decode()
    key = fields_of(html, "approve")
    url = reverse("disbursements:batch_action", args=[batch.pk, "approve"])
    first = client.post(url, key, follow=True)
    again = client.post(url, key, follow=True)   # double click
    assert first.status_code == again.status_code == 200
    assert AuditLog.objects.filter(action="payment.approve").count() == 1
    messages = [str(m) for m in again.context["messages"]]
    assert any("first result" in m or "第一次" in m for m in messages)
    login(client, prep)
    html = client.get(reverse("disbursements:batch_detail", args=[batch.pk])).content.decode()
    client.post(reverse("disbursements:batch_action", args=[batch.pk, "send"]), fields_of(html, "send"))
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.SENT
    bank = client.get(reverse("disbursements:bank_file", args=[batch.pk]))
    sheet = xlsx_book(bank).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "序号"  # the bank's system reads the header in row 1
    assert rows[1][1:7] == (payment.payee_name, payment.payee_account, payment.payee_bank, 1000000,
                            payment.purpose, payment.reference)
    template = client.get(reverse("disbursements:return_template", args=[batch.pk]))
    assert template.status_code == 200
    upload = f.return_file([f.return_row(payment)])
    response = client.post(reverse("disbursements:reconciliations"), {"file": upload})
    assert response.status_code == 302
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    report = client.get(response["Location"]).content.decode()
    assert payment.reference in report
    # the enterprise sees it paid
    login(client, enterprise_user(commitment.payee))
    mine = client.get(reverse("disbursements:my_funds")).content.decode()
    assert payment.bank_reference in mine


def test_bad_amount_keeps_what_was_typed_and_saves_nothing(client, prep, commitment):
    login(client, prep)
    url = reverse("disbursements:commitment_detail", args=[commitment.pk])
    response = client.post(url, {"amount": "12.345", "purpose": ""})
    assert response.status_code == 400
    assert 'value="12.345"' in response.content.decode()
    assert response.context["form"].errors["amount"]
    response = client.post(url, {"amount": "2000000.00"})
    assert "1,000,000.00" in response.context["form"].errors["amount"][0]
    assert not Payment.objects.exists()
    assert client.post(url, {"amount": "250000.00"}).status_code == 302
    assert Payment.objects.get().amount == 250000


def test_fake_return_file_is_refused_next_to_the_field(client, prep):
    login(client, prep)
    response = client.post(reverse("disbursements:reconciliations"),
                           {"file": f.upload(b"%PDF-1.4 not excel", "return.xlsx")})
    assert response.status_code == 200 and response.context["form"].errors


def test_budget_page_forms(client, prep, commitment):
    login(client, prep)
    year = commitment.fund_year
    url = reverse("disbursements:budget_entry_create")
    bad = client.post(url, {"fund_year": 2021, "kind": "original", "amount": "-5", "date": "2021-01-01"})
    assert bad.status_code == 400 and not BudgetEntry.objects.exists()
    good = client.post(url, {"fund_year": 2021, "kind": "original", "amount": "580000000", "date": "2021-01-20"})
    assert good.status_code == 302 and BudgetEntry.objects.get().amount == 580000000
    rule = client.post(reverse("disbursements:payment_rule_update"),
                       {"fund_year": 2021, "days": 30, "basis": "working", "note": "", "version": 0})
    assert rule.status_code == 302 and PaymentRule.objects.get(fund_year=2021).days == 30
    page = client.get(reverse("disbursements:budget") + f"?year={year}")
    assert page.status_code == 200 and "<svg" in page.content.decode()


def _queries(client, url):
    client.get(url)  # once first: what a connection does once (preparing a statement) is not the page's
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["payments", "commitments", "batches", "batch_new", "budget"])
def test_list_pages_use_a_fixed_number_of_queries(client, prep, appr, name):
    first = f.commitment("100.00")
    f.sent_batch(prep, appr, [first])
    login(client, prep)
    url = reverse(f"disbursements:{name}")
    small = _queries(client, url)
    for _ in range(6):
        f.sent_batch(prep, appr, [f.sibling(first, "100.00")])
    f.sibling(first, "50.00")
    assert _queries(client, url) == small


def test_batch_detail_queries_do_not_grow(client, prep, appr):
    first = f.commitment("100.00")
    small_batch = f.sent_batch(prep, appr, [first])
    big_batch = f.sent_batch(prep, appr, [f.sibling(first, "10.00") for _ in range(8)])
    login(client, appr)
    small = _queries(client, reverse("disbursements:batch_detail", args=[small_batch.pk]))
    assert _queries(client, reverse("disbursements:batch_detail", args=[big_batch.pk])) == small


def test_dashboard_cards(client_for, prep, appr, commitment):
    batch = f.approved_batch(prep, appr, [commitment])
    text = client_for(prep).get(reverse("core:dashboard")).content.decode()
    assert f"{reverse('disbursements:batches')}?status=approved" in text
    assert batch.status == BatchStatus.APPROVED
    official = client_for(Role.OFFICIAL).get(reverse("core:dashboard"))
    assert reverse("disbursements:budget") in official.content.decode()


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
    book = xlsx_book(response)
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


def test_my_funds_shows_each_tranche_in_wan_yuan_like_the_totals(client, prep, appr):
    """The card once said 核定金额 450.16 万元 and then 第 1 笔 · 4,501,600.00 元."""
    commitment = f.commitment("4501600.00")
    f.sent_batch(prep, appr, [commitment])
    login(client, enterprise_user(commitment.payee))
    html = client.get(reverse("disbursements:my_funds")).content.decode()
    assert "4,501,600.00" not in html
    assert html.count("450.16") >= 2  # the approved amount and the tranche
    assert '<span class="text-nowrap">' in html  # the due date does not break on a phone


def test_the_payment_page_shows_every_attempt_and_the_reason_only_on_the_failed_one(client, prep, appr):
    failed = f.failed_payment(prep, appr, reason="对方账户已销户")
    payee = failed.commitment.payee
    f.verified_bank_change(payee, account_no="6217000012121212")
    login(client, prep)
    page = client.get(reverse("disbursements:payment_detail", args=[failed.pk])).content.decode()
    assert "账户已销户" in page and reverse("disbursements:payment_retry", args=[failed.pk]) in page
    response = client.post(reverse("disbursements:payment_retry", args=[failed.pk]))
    retry = Payment.objects.get(retry_of=failed)
    assert response.status_code == 302 and response["Location"] == reverse("disbursements:payment_detail",
                                                                           args=[retry.pk])
    html = client.get(response["Location"]).content.decode()
    assert failed.reference in html and retry.reference in html and "6217000012121212" in html
    assert html.count("对方账户已销户") == 1 and html.count("失败原因") == 1  # next to the failed attempt only
    assert "第 2 次支付" in html and reverse("disbursements:payment_retry", args=[failed.pk]) not in html
    again = client.post(reverse("disbursements:payment_retry", args=[failed.pk]))
    assert again.status_code == 400 and Payment.objects.filter(retry_of=failed).count() == 1
    # the enterprise sees its attempts without the finance staff's names
    client.logout()
    login(client, enterprise_user(payee))
    own = client.get(reverse("disbursements:payment_detail", args=[retry.pk])).content.decode()
    assert retry.reference in own and str(prep) not in own
    funds = client.get(reverse("disbursements:my_funds")).content.decode()
    assert "账户已销户" in funds


def test_payment_pages_refuse_foreign_ids_and_other_roles(client, prep, appr):
    batch = f.sent_batch(prep, appr, [f.commitment("100.00")])
    payment = batch.payments.get()
    stranger = enterprise_user(f.commitment("50.00").payee)
    login(client, stranger)
    assert client.get(reverse("disbursements:payment_detail", args=[payment.pk])).status_code == 404
    client.logout()
    login(client, appr)  # an approver neither prepares new attempts nor records failures
    assert client.post(reverse("disbursements:payment_retry", args=[payment.pk])).status_code == 403
    assert client.post(reverse("disbursements:payment_failure", args=[payment.pk]),
                       {"code": "account_closed", "version": payment.version}).status_code == 403
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SENT


def test_finance_records_a_failure_on_the_payment_page(client, prep, appr):
    batch = f.sent_batch(prep, appr, [f.commitment("100.00")])
    payment = batch.payments.get()
    login(client, prep)
    url = reverse("disbursements:payment_failure", args=[payment.pk])
    refused = client.post(url, {"code": "other", "reason": "", "failed_on": "", "version": payment.version})
    assert refused.status_code == 400 and "请说明失败原因" in refused.content.decode()
    stale = client.post(url, {"code": "wrong_account", "reason": "账号位数不对", "version": payment.version - 1})
    assert stale.status_code == 400 and 'value="账号位数不对"' in stale.content.decode()
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.SENT
    done = client.post(url, {"code": "wrong_account", "reason": "账号位数不对", "version": payment.version})
    assert done.status_code == 302
    payment.refresh_from_db()
    assert (payment.status, payment.failure_code, payment.failure_reason) == (
        PaymentStatus.FAILED, "wrong_account", "账号位数不对")


def test_the_batch_approval_message_counts_the_new_attempts_it_approved(client, prep, appr):
    failed = f.failed_payment(prep, appr)
    f.verified_bank_change(failed.commitment.payee, account_no="6217000034343434")
    login(client, prep)
    client.post(reverse("disbursements:batch_new"), {"payment": [failed.pk]})
    batch = PaymentBatch.objects.exclude(pk=failed.batch_id).get()
    html = client.get(reverse("disbursements:batch_detail", args=[batch.pk])).content.decode()
    client.post(reverse("disbursements:batch_action", args=[batch.pk, "submit"]), fields_of(html, "submit"))
    client.logout()
    login(client, appr)
    html = client.get(reverse("disbursements:batch_detail", args=[batch.pk])).content.decode()
    response = client.post(reverse("disbursements:batch_action", args=[batch.pk, "approve"]),
                           fields_of(html, "approve"), follow=True)
    texts = [str(m) for m in get_messages(response.wsgi_request)] or [response.content.decode()]
    assert any("1" in t and "0 笔" not in t for t in texts), texts
    assert Payment.objects.get(retry_of=failed).status == PaymentStatus.APPROVED
