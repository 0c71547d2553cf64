"""Stale edits in the disbursements app (core.locking): two staff open the same record, the first saves, the
second save is refused with the Chinese message; what the second typed is still on the page; nothing of the
first is overwritten; no row and no audit row is written for the refused save.

Records two staff can edit, and their lock:
- PaymentRule (city + finance): version on the rule; the form carries it (0 = no rule yet).
- DiagnosisProgramme -> tender result and contract (city): the programme's version, bumped by each tender.
- DiagnosisTarget -> its report (city): the target's version, bumped by each upload.
- DiagnosisContract completion and acceptance (city): the contract's version (bumped by every transition).
- Payment cancellation (finance): the payment's version; a payment leaving an open batch bumps the batch's.
- PaymentBatch submit / return / discard / approve / send (finance): the batch's version, plus four eyes and the
  idempotency key for approve and send (a resubmitted form returns the first result).
- BudgetEntry: never edited (dated entries, a correction is a new adjustment): two staff both add, nothing lost.
- Reconciliation rows: booked under the payment's row lock; the same row again is "already recorded".
"""

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditLog
from disbursements.models import BudgetEntry, DiagnosisContract, Payment, PaymentBatch, PaymentRule, TenderResult
from disbursements.services import (
    batch_approve,
    batch_create,
    batch_return,
    batch_submit,
    contract_accept,
    contract_complete,
    payment_cancel,
    payment_rule_set,
    report_upload,
    tender_record,
)
from disbursements.workflow import BatchStatus, ContractStatus, PaymentStatus
from tests.factories import UserFactory
from tests.factories import disbursements as f
from tests.factories.applications import MINIMAL_PDF
from tests.helpers import media_files

pytestmark = pytest.mark.django_db

STALE = "已被他人修改"


def assert_refused(response, before, *typed):
    """Refused as stale: 400, the Chinese message, the typed values on the page, no change at all."""
    text = response.content.decode()
    assert response.status_code == 400, response.status_code
    assert STALE in text
    for value in typed:
        assert value in text, f"typed value lost: {value}"
    assert f.changes(before, f.snapshot()) == {}


@pytest.fixture
def city(db):
    return UserFactory.for_role(Role.CITY)


@pytest.fixture
def other_city(db):
    return UserFactory.for_role(Role.CITY)


# --- payment due-date rule ---


@pytest.mark.parametrize("existing", [False, True], ids=["no-rule-yet", "rule-exists"])
def test_payment_rule_second_save_is_refused(client_for, city, existing):
    if existing:
        payment_rule_set(actor=city, fund_year=2021, days=20)
    page_version = PaymentRule.objects.get(fund_year=2021).version if existing else 0
    colleague = UserFactory.for_role(Role.FINANCE_PREPARER)
    payment_rule_set(actor=colleague, fund_year=2021, days=45, basis="working", note="同事修改",
                     version=page_version)
    client = client_for(city)
    before = f.snapshot()
    response = client.post(reverse("disbursements:payment_rule_update"), {
        "fund_year": 2021, "days": 33, "basis": "calendar", "note": "我的说明", "version": page_version})
    assert_refused(response, before, 'value="33"', "我的说明")
    rule = PaymentRule.objects.get(fund_year=2021)
    assert (rule.days, rule.note, rule.updated_by) == (45, "同事修改", colleague)


def test_payment_rule_without_version_is_refused_and_current_version_saves(client_for, city):
    client = client_for(city)
    url = reverse("disbursements:payment_rule_update")
    before = f.snapshot()
    missing = client.post(url, {"fund_year": 2021, "days": 30, "basis": "calendar", "note": ""})
    assert missing.status_code == 400 and STALE in missing.content.decode()
    assert f.changes(before, f.snapshot()) == {}
    assert client.post(url, {"fund_year": 2021, "days": 30, "basis": "calendar", "note": "",
                             "version": 0}).status_code == 302
    rule = PaymentRule.objects.get(fund_year=2021)
    assert rule.days == 30 and rule.version == 1
    assert client.post(url, {"fund_year": 2021, "days": 31, "basis": "calendar", "note": "",
                             "version": 1}).status_code == 302
    assert PaymentRule.objects.get(fund_year=2021).version == 2


# --- diagnosis service ---


def test_second_tender_from_a_stale_page_is_refused(client_for, city, other_city):
    contract = f.diagnosis_contract(city)
    programme = contract.programme
    page_version = programme.version  # both open the programme page now
    tender_record(actor=other_city, programme=programme, provider=contract.provider, tender_date=contract.signed_on,
                  contract_amount="1800000.00", version=page_version)
    client = client_for(city)
    before = f.snapshot()
    response = client.post(reverse("disbursements:tender_create", args=[programme.pk]), {
        "provider": contract.provider.pk, "tender_date": "2021-01-21", "contract_amount": "1800000.00",
        "notice_no": "ZB-2021-免重复", "contract_no": "HT-9", "notes": "同一中标结果", "version": page_version})
    assert_refused(response, before, "ZB-2021-免重复", "同一中标结果")
    assert TenderResult.objects.count() == DiagnosisContract.objects.count() == 2  # no third, no double fee


def test_stale_tender_with_a_new_provider_leaves_no_provider_behind(client_for, city, other_city):
    contract = f.diagnosis_contract(city)
    programme = contract.programme
    page_version = programme.version
    tender_record(actor=other_city, programme=programme, provider=contract.provider, tender_date=contract.signed_on,
                  contract_amount="1800000.00", version=page_version)
    client = client_for(city)
    before = f.snapshot()
    response = client.post(reverse("disbursements:tender_create", args=[programme.pk]), {
        "new_name": "新方案商有限公司", "new_credit_code": f.credit_code(4242), "new_bank_name": "中国银行",
        "new_bank_account_no": "41050100000099999999", "tender_date": "2021-01-21", "contract_amount": "5000.00",
        "version": page_version})
    assert_refused(response, before, "新方案商有限公司", "41050100000099999999")


def test_second_report_upload_from_a_stale_page_is_refused(client_for, city, other_city, settings):
    contract = f.diagnosis_contract(city)
    target = f.diagnosis_target(city, contract)
    page_version = target.version
    first = report_upload(actor=other_city, target=target, upload=f.upload(MINIMAL_PDF, "同事的报告.pdf"),
                          version=page_version)
    files = media_files(settings)
    client = client_for(city)
    before = f.snapshot()
    response = client.post(reverse("disbursements:report_create", args=[target.pk]), {
        "file": f.upload(MINIMAL_PDF + b"%mine", "我的报告.pdf", "application/pdf"), "received_on": "2021-06-03",
        "version": page_version})
    assert_refused(response, before, 'value="2021-06-03"')
    target.refresh_from_db()
    assert target.report_sha256 == first.report_sha256 and target.report_name == "同事的报告.pdf"
    assert media_files(settings) == files  # the refused file was not stored


def _completed(city):
    contract = f.diagnosis_contract(city)
    target = f.diagnosis_target(city, contract)
    report_upload(actor=city, target=target, upload=f.upload(MINIMAL_PDF, "报告.pdf"))
    return contract_complete(actor=city, contract=DiagnosisContract.objects.get(pk=contract.pk))


def test_acceptance_from_a_stale_page_is_refused(client_for, city, other_city):
    """A opens the completed contract; B records a failed acceptance and the contract is completed again;
    A's 'passed' (typed on the old page) must not overwrite B's verdict nor create the fee's commitment."""
    contract = _completed(city)
    page_version = contract.version
    failed = contract_accept(actor=other_city, contract=contract, result="failed", notes="报告深度不足",
                             version=page_version)
    again = contract_complete(actor=other_city, contract=failed, version=failed.version)
    assert again.status == ContractStatus.COMPLETED
    client = client_for(city)
    before = f.snapshot()
    response = client.post(reverse("disbursements:contract_accept", args=[contract.pk]), {
        "result": "passed", "notes": "我认为合格", "accepted_on": "2021-10-20", "version": page_version})
    assert_refused(response, before, "我认为合格")
    contract.refresh_from_db()
    assert contract.acceptance_notes == "报告深度不足" and contract.status == ContractStatus.COMPLETED
    assert not hasattr(contract, "commitment") or contract.commitment is None


def test_completion_from_a_stale_page_is_refused(client_for, city, other_city):
    contract = _completed(city)
    stale = contract.version - 1  # the page was opened before the completion
    client = client_for(other_city)
    before = f.snapshot()
    response = client.post(reverse("disbursements:contract_complete", args=[contract.pk]),
                                           {"completed_on": "2021-09-29", "version": stale})
    assert_refused(response, before, 'value="2021-09-29"')


# --- payments and batches ---


@pytest.fixture
def finance(db):
    return {"prep": f.preparer(), "prep2": f.preparer(), "appr": f.approver(), "appr2": f.approver()}


def _submitted(finance, *amounts):
    batch = batch_create(actor=finance["prep"], commitments=[f.commitment(a) for a in amounts])
    return batch_submit(actor=finance["prep"], batch=batch)


def test_cancel_from_a_stale_page_is_refused(client_for, finance):
    batch = _submitted(finance, "100.00")
    payment = batch.payments.get()
    page_version = payment.version
    batch_approve(actor=finance["appr"], batch=batch)  # the payment is approved meanwhile
    client = client_for(finance["prep2"])
    before = f.snapshot()
    response = client.post(reverse("disbursements:payment_cancel", args=[payment.pk]),
                                                 {"reason": "账户有误请取消", "version": page_version})
    assert_refused(response, before, "账户有误请取消")
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.APPROVED


def test_approval_of_a_batch_changed_since_the_page_was_opened_is_refused(client_for, finance):
    """The approver opens the batch (two payments); a preparer cancels one out of it; the approval typed on
    the old page is refused; after a reload it approves what is really in the batch."""
    batch = _submitted(finance, "100.00", "200.00")
    page_version = batch.version
    gone, kept = batch.payments.order_by("pk")
    payment_cancel(actor=finance["prep2"], payment=gone, reason="重复", version=gone.version)
    client = client_for(finance["appr"])
    before = f.snapshot()
    url = reverse("disbursements:batch_action", args=[batch.pk, "approve"])
    response = client.post(url, {"idempotency_key": "2b0f1e2c-0000-4000-8000-000000000001",
                                 "version": page_version})
    assert_refused(response, before)
    fresh = PaymentBatch.objects.get(pk=batch.pk)
    assert client.post(url, {"idempotency_key": "2b0f1e2c-0000-4000-8000-000000000002",
                             "version": fresh.version}).status_code == 302
    assert list(Payment.objects.filter(status=PaymentStatus.APPROVED)) == [kept]
    assert Payment.objects.get(pk=gone.pk).status == PaymentStatus.CANCELLED


def test_approve_resubmitted_is_idempotent_and_a_second_approver_changes_nothing(client_for, finance):
    batch = _submitted(finance, "100.00")
    url = reverse("disbursements:batch_action", args=[batch.pk, "approve"])
    form = {"idempotency_key": "2b0f1e2c-0000-4000-8000-000000000003", "version": batch.version}
    client = client_for(finance["appr"])
    assert client.post(url, form).status_code == 302
    approvals = AuditLog.objects.filter(action="payment.approve").count()
    before = f.snapshot()
    replay = client.post(url, form, follow=True)  # double click: the first result stands
    assert any("第一次" in str(m) for m in replay.context["messages"])
    assert f.changes(before, f.snapshot()) == {}
    client = client_for(finance["appr2"])
    before = f.snapshot()
    second = client.post(url, {**form, "idempotency_key":
                                                     "2b0f1e2c-0000-4000-8000-000000000004"})
    assert second.status_code == 400 and "已审核" in second.content.decode()
    assert f.changes(before, f.snapshot()) == {}
    assert AuditLog.objects.filter(action="payment.approve").count() == approvals == 1
    assert PaymentBatch.objects.get(pk=batch.pk).approved_by == finance["appr"]


def test_return_from_a_stale_page_is_refused_and_keeps_the_reason(client_for, finance):
    batch = _submitted(finance, "100.00")
    page_version = batch.version
    returned = batch_return(actor=finance["appr2"], batch=batch, reason="金额待核", version=page_version)
    batch_submit(actor=finance["prep"], batch=returned, version=returned.version)
    client = client_for(finance["appr"])
    before = f.snapshot()
    response = client.post(reverse("disbursements:batch_action", args=[batch.pk, "return"]), {
        "idempotency_key": "2b0f1e2c-0000-4000-8000-000000000005", "version": page_version,
        "reason": "我的退回理由"})
    assert_refused(response, before, "我的退回理由")
    assert PaymentBatch.objects.get(pk=batch.pk).status == BatchStatus.SUBMITTED


@pytest.mark.parametrize(("action", "state", "who"), [
    ("submit", "draft", "prep"), ("discard", "draft", "prep"), ("send", "approved", "prep"),
])
def test_other_batch_actions_from_a_stale_page_are_refused(client_for, finance, action, state, who):
    batch = batch_create(actor=finance["prep"], commitments=[f.commitment("100.00")])
    if state == "approved":
        batch = batch_submit(actor=finance["prep"], batch=batch)
        batch_approve(actor=finance["appr"], batch=batch)
    batch = PaymentBatch.objects.get(pk=batch.pk)
    client = client_for(finance[who])
    before = f.snapshot()
    response = client.post(reverse("disbursements:batch_action", args=[batch.pk, action]), {
        "idempotency_key": "2b0f1e2c-0000-4000-8000-000000000006", "version": batch.version - 1})
    assert_refused(response, before)
    assert PaymentBatch.objects.get(pk=batch.pk).status == batch.status


def test_batch_action_without_version_changes_nothing(client_for, finance):
    batch = _submitted(finance, "100.00")
    client = client_for(finance["appr"])
    before = f.snapshot()
    response = client.post(reverse("disbursements:batch_action", args=[batch.pk, "approve"]),
                                                {"idempotency_key": "2b0f1e2c-0000-4000-8000-000000000007"},
                                                follow=True)
    assert any(STALE in str(m) for m in response.context["messages"])
    assert f.changes(before, f.snapshot()) == {}


# --- what needs no lock, and why ---


def test_budget_entries_from_two_staff_are_both_kept(client_for, finance):
    url = reverse("disbursements:budget_entry_create")
    for who, amount in (("prep", "1000.00"), ("appr", "-200.00")):
        response = client_for(finance[who]).post(url, {
            "fund_year": 2021, "kind": "original" if who == "prep" else "adjustment", "amount": amount,
            "date": "2021-01-05", "note": who})
        assert response.status_code == 302
    assert sorted(BudgetEntry.objects.values_list("amount", "note")) == [(-200, "appr"), (1000, "prep")]


def test_the_same_return_row_twice_books_once(client_for, finance):
    batch = _submitted(finance, "100.00")
    batch_approve(actor=finance["appr"], batch=batch)
    from disbursements.services import batch_send

    batch_send(actor=finance["prep"], batch=PaymentBatch.objects.get(pk=batch.pk))
    payment = Payment.objects.get(batch=batch)
    content = f.xlsx_bytes([f.return_row(payment)])
    url = reverse("disbursements:reconciliations")
    assert client_for(finance["prep"]).post(url, {"file": f.upload(content)}).status_code == 302
    booked = AuditLog.objects.filter(action="payment.mark_paid").count()
    assert client_for(finance["prep2"]).post(url, {"file": f.upload(content)}).status_code == 302
    assert AuditLog.objects.filter(action="payment.mark_paid").count() == booked == 1
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.PAID


def test_a_refused_batch_keeps_the_choice_and_the_note(client_for, finance):
    """Two preparers batch the same commitment from the same page: the second is refused (the commitment is
    fully scheduled meanwhile), nothing is created, and the note typed is still in the form."""
    commitment = f.commitment("100.00")
    batch_create(actor=finance["prep2"], commitments=[commitment])
    client = client_for(finance["prep"])
    before = f.snapshot()
    response = client.post(reverse("disbursements:batch_new"), {"commitment": [commitment.pk], "payment": ["999"],
                                                                 "note": "三月第二批"})
    text = response.content.decode()
    assert response.status_code == 200 and 'value="三月第二批"' in text
    assert f.changes(before, f.snapshot()) == {}


def test_four_eyes_holds_with_a_current_version(client_for, finance):
    """The lock does not replace four eyes: the preparer's own approval with the right version is refused."""
    batch = _submitted(finance, "100.00")
    finance["prep"].role = Role.FINANCE_APPROVER  # the preparer became an approver since
    finance["prep"].save()
    client = client_for(finance["prep"])
    before = f.snapshot()
    response = client.post(reverse("disbursements:batch_action", args=[batch.pk, "approve"]), {
        "idempotency_key": "2b0f1e2c-0000-4000-8000-000000000008", "version": batch.version})
    assert response.status_code == 400 and "四眼" in response.content.decode()
    assert f.changes(before, f.snapshot()) == {}
