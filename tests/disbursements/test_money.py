"""Money is Decimal: negative, more than 2 decimals, floats, or more than the approved amount are refused."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.models import AuditLog
from disbursements.models import Payment
from disbursements.services import (
    commitment_create_for_application,
    payment_cancel,
    payment_prepare,
    reconciliation_import,
    validate_amount,
)
from tests.factories import disbursements as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("value", "code", "chinese"), [
    ("-1.00", "negative", "不能为负数"),
    ("0", "zero", "必须大于零"),
    ("10.001", "decimals", "最多保留 2 位小数"),
    ("10.000", "decimals", "最多保留 2 位小数"),  # typed text is read as written
    ("abc", "invalid", "请输入数字金额"),
    ("NaN", "invalid", "请输入数字金额"),
    (Decimal("NaN"), "invalid", "请以元为单位"),
    (1.5, "float", "浮点"),
    ("1e20", "invalid", "科学计数法"),
    ("100,00.5", "invalid", "三位一组"),
    ("1000000000000", "too_large", "过大"),
])
def test_bad_amounts_are_refused_with_a_clear_message(value, code, chinese):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        validate_amount(value)
    assert info.value.code == code
    assert chinese in info.value.messages[0]


@pytest.mark.parametrize(("value", "expected"), [
    ("125000.5", Decimal("125000.50")), ("1,000.00", Decimal("1000.00")), (Decimal("7.10"), Decimal("7.10")),
    (Decimal("10.000"), Decimal("10.00")), (3, Decimal("3.00")),
])
def test_good_amounts(value, expected):
    assert validate_amount(value) == expected


def test_only_adjustments_may_be_negative():
    assert validate_amount("-200.00", allow_negative=True) == Decimal("-200.00")


@pytest.mark.parametrize("amount", ["-5.00", "0.001", "1000000.01"])
def test_prepare_refuses_and_saves_nothing(prep, commitment, amount):
    audit = AuditLog.objects.count()
    with pytest.raises(ValidationError):
        payment_prepare(actor=prep, commitment=commitment, amount=amount)
    assert not Payment.objects.exists()
    assert AuditLog.objects.count() == audit


def test_tranches_never_add_up_to_more_than_approved(prep, commitment):
    payment_prepare(actor=prep, commitment=commitment, amount="600000.00")
    with pytest.raises(ValidationError) as info:
        payment_prepare(actor=prep, commitment=commitment, amount="400000.01")
    assert info.value.code == "exceeds"
    assert "400,000.00" in info.value.messages[0]  # says how much may still be scheduled
    second = payment_prepare(actor=prep, commitment=commitment)  # the whole remainder
    assert (second.tranche, second.amount) == (2, Decimal("400000.00"))
    with pytest.raises(ValidationError):
        payment_prepare(actor=prep, commitment=commitment)


def test_cancelled_tranche_frees_its_amount_and_keeps_its_number(prep, commitment):
    first = payment_prepare(actor=prep, commitment=commitment)
    payment_cancel(actor=prep, payment=first, reason="账号有误")
    again = payment_prepare(actor=prep, commitment=commitment)
    assert again.tranche == 2 and again.amount == commitment.approved_amount
    assert again.reference.endswith("-02")


def test_bank_data_is_copied_from_the_payee_profile(prep, commitment):
    payee = commitment.payee
    payment = payment_prepare(actor=prep, commitment=commitment, amount="1.00")
    assert (payment.payee_name, payment.payee_bank, payment.payee_account) == (
        payee.bank_account_name, payee.bank_name, payee.bank_account_no)
    payee.bank_account_no = "6222 0202 0011 2233"
    payee.save()
    assert payment_prepare(actor=prep, commitment=commitment, amount="1.00").payee_account == "6222020200112233"
    Payment.objects.get(pk=payment.pk)  # the first copy is unchanged
    assert Payment.objects.get(pk=payment.pk).payee_account == payment.payee_account


@pytest.mark.parametrize("account", ["", "12ab34", "=HYPERLINK(1)"])
def test_missing_or_malformed_bank_account_is_refused(prep, commitment, account):
    commitment.payee.bank_account_no = account
    commitment.payee.save()
    with pytest.raises(ValidationError) as info:
        payment_prepare(actor=prep, commitment=commitment)
    assert info.value.code in ("no_bank", "bad_account")
    assert not Payment.objects.exists()


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
