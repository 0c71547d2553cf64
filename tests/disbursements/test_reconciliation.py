"""The bank's return file: good rows book payments; unknown, duplicated, mismatched rows change nothing;
a re-upload books nothing twice; a fake or oversized file is refused as a whole."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from applications.workflow import Status
from core.models import AuditLog, Notification
from disbursements.models import Payment, Reconciliation
from disbursements.services import reconciliation_import
from disbursements.workflow import BatchStatus, PaymentStatus
from tests.factories import disbursements as f
from tests.factories.applications import enterprise_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(prep, appr):
    commitments = [f.commitment("1000.00"), f.commitment("2000.50"), f.commitment("300.00"), f.commitment("400.00")]
    batch = f.sent_batch(prep, appr, commitments)
    return batch, list(batch.payments.order_by("pk"))


def outcomes(record):
    return [(row["row"], row["outcome"]) for row in record.report]


def test_good_duplicate_unknown_and_mismatched_rows(prep, sent):
    batch, (good, dup, mism_amount, mism_account) = sent
    user = enterprise_user(good.commitment.payee)
    rows = [
        f.return_row(good),
        f.return_row(dup, bank_ref="D1"), f.return_row(dup, bank_ref="D2"),      # reference twice
        ["", "无名", "62220000111", "", 5.0, "", "ZZ1999-999999-01", "成功", "X9", "2021-06-30", ""],  # unknown
        f.return_row(mism_amount, amount=300.01),                                # amount differs
        f.return_row(mism_account, account="6222999988887777"),                  # account differs
    ]
    record = reconciliation_import(actor=prep, upload=f.return_file(rows))
    assert outcomes(record) == [(2, "paid"), (3, "refused"), (4, "refused"), (5, "refused"), (6, "refused"),
                                (7, "refused")]
    assert (record.rows_paid, record.rows_refused, record.rows_total) == (1, 5, 6)
    good.refresh_from_db()
    assert good.status == PaymentStatus.PAID and good.paid_on == timezone.localdate()
    assert good.bank_reference == f"BK{good.pk:08d}"
    for payment in (dup, mism_amount, mism_account):
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.SENT and payment.bank_reference == "" and payment.paid_on is None
    messages = [row["message"] for row in record.report]
    assert "more than once" in messages[1] or "重复" in messages[1]
    assert "300.01" in messages[4] and "6222999988887777" in messages[5]
    # paid in full: the application is paid and the enterprise is told
    assert good.commitment.application.__class__.objects.get(pk=good.commitment.application_id).status == Status.PAID
    assert Notification.objects.filter(recipient=user).count() == 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.SENT  # three payments still wait


def test_reupload_books_nothing_twice(prep, sent):
    batch, payments = sent
    content = f.xlsx_bytes([f.return_row(p) for p in payments])
    first = reconciliation_import(actor=prep, upload=f.upload(content))
    audit = AuditLog.objects.filter(action="payment.mark_paid").count()
    second = reconciliation_import(actor=prep, upload=f.upload(content))
    assert first.rows_paid == 4 and second.rows_paid == 0 and second.rows_unchanged == 4
    assert AuditLog.objects.filter(action="payment.mark_paid").count() == audit == 4
    assert Notification.objects.filter(subject__contains=payments[0].reference).count() <= 1
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RECONCILED
    # the same payment with another bank reference is inconsistent: no row can be booked, the file is refused
    with pytest.raises(ValidationError) as info:
        reconciliation_import(actor=prep, upload=f.return_file([f.return_row(payments[0], bank_ref="OTHER")]))
    assert info.value.code == "all_refused" and Reconciliation.objects.count() == 2


def test_failed_rows_record_the_reason_and_date_and_a_new_attempt_is_approved_again(prep, appr, sent):
    batch, payments = sent
    record = reconciliation_import(actor=prep, upload=f.return_file(
        [f.return_row(payments[0], result="失败", bank_ref="", value_date="", reason="户名不符")]))
    assert outcomes(record) == [(2, "failed")]
    failed = Payment.objects.get(pk=payments[0].pk)
    assert failed.status == PaymentStatus.FAILED and failed.failure_reason == "户名不符"
    assert failed.failure_code == "name_mismatch" and failed.failed_on == timezone.localdate()
    entry = AuditLog.objects.get(action="payment.mark_failed")
    assert entry.note == "" and entry.data["tech_row"] == 2 and entry.data["amount_yuan"] == "1000.00"
    from disbursements.services import batch_approve, batch_create, batch_send, batch_submit
    from tests.factories.disbursements import verified_bank_change

    with pytest.raises(ValidationError) as refused:  # the same account again: refused, nothing saved
        batch_create(actor=prep, payments=[failed])
    assert "核实" in " ".join(refused.value.messages) or "verified" in " ".join(refused.value.messages)
    verified_bank_change(failed.commitment.payee, account_name="郑州更正户名有限公司")
    again = batch_create(actor=prep, payments=[failed])
    retry = again.payments.get()
    assert retry.retry_of == failed and retry.attempt == 2 and retry.status == PaymentStatus.PENDING
    assert retry.payee_name == "郑州更正户名有限公司" and retry.reference == f"{failed.reference}-2"
    batch_submit(actor=prep, batch=again)
    result, _replayed = batch_approve(actor=appr, batch=again)
    assert result["approved"] == [retry.pk]  # the approval counts the payment it approved
    batch_send(actor=prep, batch=again)
    failed.refresh_from_db()
    assert failed.status == PaymentStatus.FAILED and failed.batch == batch  # history kept
    paid = reconciliation_import(actor=prep, upload=f.return_file([f.return_row(Payment.objects.get(pk=retry.pk))]))
    assert outcomes(paid) == [(2, "paid")]


def test_rows_for_unsent_payments_and_future_dates_are_refused(prep, appr):
    batch = f.approved_batch(prep, appr, [f.commitment("10.00")])
    payment = batch.payments.get()
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        reconciliation_import(actor=prep, upload=f.return_file([
            f.return_row(payment), f.return_row(payment, bank_ref="Z", value_date=tomorrow.isoformat())]))
    assert info.value.code == "all_refused" and not Reconciliation.objects.exists()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.APPROVED


def test_english_headers_and_text_amounts(prep, sent):
    _batch, payments = sent
    header = ["Reference", "Account number", "Amount (yuan)", "Result", "Bank reference", "Value date"]
    p = payments[1]
    day = timezone.localdate().strftime("%Y/%m/%d")
    content = f.xlsx_bytes([[p.reference, p.payee_account, "2,000.50", "success", "EN-1", day]], header=header)
    record = reconciliation_import(actor=prep, upload=f.upload(content))
    assert outcomes(record) == [(2, "paid")]


def fake_upload(content, name="return.xlsx"):
    return f.upload(content, name=name)


@pytest.mark.parametrize("content", [
    b"PK\x03\x04not really a zip",
    b"%PDF-1.4 this is a pdf",
    b"Reference,Amount\nZZ,1\n",
])
def test_files_that_are_not_xlsx_are_refused_whole(prep, sent, content):
    with pytest.raises(ValidationError):
        reconciliation_import(actor=prep, upload=fake_upload(content))
    assert not Reconciliation.objects.exists()


def test_zip_bomb_is_refused(prep, sent):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/big.xml", b"0" * (30 * 1024 * 1024))
    with pytest.raises(ValidationError) as info:
        reconciliation_import(actor=prep, upload=fake_upload(buffer.getvalue()))
    assert info.value.code == "zip_bomb"
    assert not Reconciliation.objects.exists()


def test_oversized_file_is_refused(prep, sent, settings):
    settings.RECONCILIATION_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as info:
        reconciliation_import(actor=prep, upload=f.return_file([f.return_row(sent[1][0])]))
    assert info.value.code == "too_big"


def test_unknown_columns_are_refused_whole(prep, sent):
    content = f.xlsx_bytes([["a", "b"]], header=["foo", "bar"])
    with pytest.raises(ValidationError) as info:
        reconciliation_import(actor=prep, upload=f.upload(content))
    assert info.value.code == "columns"
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 0


def test_a_batch_whose_last_open_payment_failed_is_reconciled(prep, appr):
    from disbursements.services import payment_cancel

    batch = f.sent_batch(prep, appr, [f.commitment("10.00")])
    payment = batch.payments.get()
    reconciliation_import(actor=prep, upload=f.return_file(
        [f.return_row(payment, result="失败", bank_ref="", value_date="", reason="账户已销户")]))
    batch.refresh_from_db()
    assert batch.status == BatchStatus.RECONCILED  # the bank answered every row; the failure is paid elsewhere
    payment_cancel(actor=prep, payment=Payment.objects.get(pk=payment.pk), reason="企业更换账户后重新安排")
    assert Payment.objects.get(pk=payment.pk).status == PaymentStatus.CANCELLED


def test_the_paid_notification_says_wan_yuan(prep, appr):
    commitment = f.commitment("4501600.00")
    user = enterprise_user(commitment.payee)
    batch = f.sent_batch(prep, appr, [commitment])
    payment = batch.payments.get()
    record = reconciliation_import(actor=prep, upload=f.return_file([f.return_row(payment)]))
    assert record.rows_paid == 1
    note = Notification.objects.get(recipient=user, kind="payment.mark_paid")
    assert note.subject == f"资金已拨付：450.16 万元（{payment.reference}）"
    assert "第 1 笔：450.16 万元（4,501,600.00 元）已于 " in note.body
    assert "4501600" not in note.subject + note.body
