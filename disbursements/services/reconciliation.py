"""Import of the bank's return file (XLSX), row by row.

Chosen semantics: **per row, with a report**. Each row is checked on its own; a good row books its payment
(paid with value date and bank reference, or failed with the bank's reason); an unknown, duplicated,
inconsistent (amount/account mismatch) or otherwise invalid row is refused and changes nothing. The file
as a whole is refused (nothing changes) when it is not a real XLSX or its columns cannot be recognised.
Uploading the same file again books nothing twice: rows already booked with the same bank reference are
reported as "already recorded".

A return file belongs to ONE batch (chosen on the form, else the batch of an earlier upload of the same file,
else the one batch its known references belong to; several batches and no choice: the file is refused): a row
naming a payment of another batch is refused. Formulas are read as what they are, never as their cached
result: an amount, date or reference that is a formula is refused. A file none of whose rows could be booked
or recognised is refused as a whole: nothing is stored, not even the file.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from core.audit import audit_record
from core.money import format_exact
from core.permissions import require

from ..files import check_upload, clean_filename, removed_on_error, sha256_of
from ..models import Payment, PaymentBatch, Reconciliation
from ..workflow import PaymentStatus
from .batches import close_if_done
from .common import validate_amount
from .payments import normalise_account, payment_mark_failed, payment_mark_paid

MAX_ROWS = 5000
HEADER_ALIASES = {
    "reference": {"参考号", "业务参考号", "附言参考号", "reference", "paymentreference"},
    "payee": {"收款人户名", "户名", "收款人", "payeename", "payee"},
    "account": {"收款账号", "账号", "收款人账号", "accountnumber", "account"},
    "amount": {"金额(元)", "金额", "交易金额", "amount(yuan)", "amount"},
    "result": {"状态", "处理结果", "交易状态", "结果", "result", "status"},
    "bank_reference": {"银行流水号", "流水号", "交易流水号", "bankreference"},
    "value_date": {"入账日期", "交易日期", "日期", "valuedate", "date"},
    "reason": {"失败原因", "备注", "reasonforfailure", "reason"},
}
REQUIRED = ("reference", "account", "amount", "result")
PAID_WORDS = {"成功", "已入账", "支付成功", "success", "paid", "ok"}
FAILED_WORDS = {"失败", "退回", "退票", "支付失败", "failed", "failure", "returned"}


def max_bytes():
    return getattr(settings, "RECONCILIATION_MAX_BYTES", 5 * 1024 * 1024)


def _norm_header(value):
    text = str(value or "").strip().lower().replace("（", "(").replace("）", ")")
    return re.sub(r"[\s_]", "", text)


@dataclass
class Row:
    number: int
    reference: str = ""
    payee: str = ""
    account: str = ""
    amount: Decimal | None = None
    result: str = ""  # "paid" | "failed"
    bank_reference: str = ""
    value_date: date | None = None
    reason: str = ""
    error: str = ""

    def as_report(self, outcome, message):
        return {"row": self.number, "reference": self.reference, "amount": str(self.amount or ""),
                "bank_reference": self.bank_reference, "outcome": outcome, "message": str(message)}


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().lstrip("'")


def _is_formula(value):
    return isinstance(value, str) and value.strip().startswith("=")


def _amount(value):
    if value is None or value == "" or isinstance(value, bool):
        raise ValueError
    if isinstance(value, float):  # a number cell: its shortest text, e.g. 125000.5
        value = repr(value)
    try:  # a text cell is read as strictly as a typed amount: "100,00.5" or "1e3" is not an amount
        return validate_amount(value)
    except ValidationError:
        raise ValueError from None


def _date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and 20000 < value < 80000:
        return from_excel(value).date()
    text = _text(value)
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


def read_rows(upload):
    """Parse the first sheet: find the header row, return [Row]; ValidationError if the columns are unknown."""
    try:
        # data_only=False: a formula comes back as its text ("=..."), never as a cached value we cannot check.
        workbook = load_workbook(upload, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds on malformed files
        raise ValidationError(_("The file could not be read as an Excel workbook."), code="unreadable")
    try:
        sheet = workbook.worksheets[0]
        columns, rows = None, []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if columns is None:
                found = {}
                for index, value in enumerate(values):
                    key = next((k for k, names in HEADER_ALIASES.items() if _norm_header(value) in names), None)
                    if key and key not in found:
                        found[key] = index
                if all(k in found for k in REQUIRED):
                    columns = found
                elif number >= 10:
                    break
                continue
            if not any(v not in (None, "") for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                raise ValidationError(_("The file has more than %(max)s rows; split it.") % {"max": MAX_ROWS},
                                      code="too_many_rows")
            rows.append(_parse(number, values, columns))
    finally:
        workbook.close()
    if columns is None:
        raise ValidationError(
            _("No header row with the columns Reference, Account number, Amount (yuan) and Result was found in the "
              "first 10 rows. Use the return-file template of the batch."), code="columns")
    return rows


def _parse(number, values, columns):
    def get(key):
        index = columns.get(key)
        return values[index] if index is not None and index < len(values) else None

    row = Row(number=number, reference=_text(get("reference")), payee=_text(get("payee")),
              account=normalise_account(_text(get("account"))), bank_reference=_text(get("bank_reference"))[:64],
              reason=_text(get("reason"))[:300])
    if any(_is_formula(get(key)) for key in ("reference", "account", "amount", "value_date", "bank_reference")):
        row.error = _("This row holds a formula instead of a value; the bank's return must contain the values "
                      "themselves.")
        return row
    try:
        row.amount = _amount(get("amount"))
    except (ValueError, InvalidOperation, TypeError):
        row.error = _("The amount is missing or not a positive number with at most 2 decimals.")
        return row
    result = _text(get("result")).lower()
    row.result = "paid" if result in PAID_WORDS else "failed" if result in FAILED_WORDS else ""
    if not row.reference:
        row.error = _("The reference is missing.")
    elif not row.result:
        row.error = _("The result “%(value)s” is neither success nor failure.") % {"value": _text(get("result"))}
    elif row.result == "failed":
        try:  # the bank's date of the refusal, when the file gives one
            row.value_date = _date(get("value_date")) if get("value_date") not in (None, "") else None
        except (ValueError, TypeError, OverflowError):
            row.value_date = None
    elif row.result == "paid":
        try:
            row.value_date = _date(get("value_date"))
        except (ValueError, TypeError, OverflowError):
            row.error = _("A paid row needs its value date (YYYY-MM-DD).")
        else:
            if not row.bank_reference:
                row.error = _("A paid row needs the bank reference.")
            elif row.value_date > timezone.localdate():
                row.error = _("The value date lies in the future.")
    return row


def _mark_duplicates(rows):
    for attr, message in (("reference", _("This reference appears more than once in the file.")),
                          ("bank_reference", _("This bank reference appears more than once in the file."))):
        seen = {}
        for row in rows:
            value = getattr(row, attr)
            if value:
                seen.setdefault(value, []).append(row)
        for group in seen.values():
            if len(group) > 1:
                for row in group:
                    row.error = row.error or message


def _apply(row, payment_id, actor):
    """Book one row under the payment's row lock. Returns (outcome, message)."""
    payment = Payment.objects.select_for_update(of=("self",)).select_related("commitment").get(pk=payment_id)
    if row.amount != payment.amount:
        return "refused", _("Amount mismatch: the file says %(file)s, the payment is %(ours)s.") % {
            "file": format_exact(row.amount), "ours": format_exact(payment.amount)}
    if row.account != payment.payee_account:
        return "refused", _("Account mismatch: the file says %(file)s, the payment went to %(ours)s.") % {
            "file": row.account or "—", "ours": payment.payee_account}
    status = payment.status
    if row.result == "paid":
        if status == PaymentStatus.PAID:
            if payment.bank_reference == row.bank_reference:
                return "unchanged", _("Already recorded as paid; nothing changed.")
            return "refused", _("Already paid with bank reference %(ref)s; this row names another.") % {
                "ref": payment.bank_reference}
        if status != PaymentStatus.SENT:
            return "refused", _("The payment is “%(status)s”, not sent to the bank.") % {
                "status": payment.get_status_display()}
        if Payment.objects.filter(bank_reference=row.bank_reference).exclude(pk=payment.pk).exists():
            return "refused", _("This bank reference is already recorded for another payment.")
        if payment.sent_at and row.value_date < timezone.localdate(payment.sent_at):
            return "refused", _("The value date is before the payment was sent.")
        payment_mark_paid(actor=actor, payment=payment, paid_on=row.value_date, bank_reference=row.bank_reference,
                          row=row.number)
        return "paid", _("Marked paid on %(date)s.") % {"date": row.value_date.strftime("%Y-%m-%d")}
    if status == PaymentStatus.FAILED:
        return "unchanged", _("Already recorded as failed; nothing changed.")
    if status != PaymentStatus.SENT:
        return "refused", _("The payment is “%(status)s”, not sent to the bank.") % {
            "status": payment.get_status_display()}
    failed_on = row.value_date if row.value_date and row.value_date <= timezone.localdate() else None
    payment = payment_mark_failed(actor=actor, payment=payment, reason=row.reason, failed_on=failed_on,
                                  row=row.number)
    return "failed", _("Marked failed (%(code)s): %(reason)s") % {
        "code": payment.get_failure_code_display(), "reason": row.reason or _("no reason given")}


def _file_batch(rows, known, batch, digest):
    """The batch this return belongs to: the chosen one; else the batch of an earlier upload of the very same
    file; else the one batch all its known references belong to. References of several batches and no choice:
    the file is refused as a whole (a payment sent again in a new batch must not be booked by an old return)."""
    if batch is not None:
        return batch
    earlier = Reconciliation.objects.filter(sha256=digest, batch__isnull=False).order_by("pk").first()
    if earlier is not None:
        return earlier.batch
    batch_ids = {known[r.reference][1] for r in rows if not r.error and r.reference in known} - {None}
    if len(batch_ids) > 1:
        names = PaymentBatch.objects.filter(pk__in=batch_ids).order_by("pk").values_list("reference", flat=True)
        raise ValidationError(
            _("The references of this file belong to several batches (%(batches)s). Choose the batch this return "
              "file is for; nothing was booked.") % {"batches": ", ".join(names)}, code="batch_ambiguous")
    return PaymentBatch.objects.get(pk=batch_ids.pop()) if batch_ids else None


def _check_batch(rows, known, batch):
    references = dict(PaymentBatch.objects.filter(pk__in={b for _p, b in known.values() if b}).values_list(
        "pk", "reference"))
    for row in rows:
        if row.error or row.reference not in known:
            continue
        batch_id = known[row.reference][1]
        if batch is None or batch_id != batch.pk:
            row.error = _("This payment belongs to batch %(other)s, not to batch %(batch)s of this file; upload "
                          "each batch's return separately.") % {
                "other": references.get(batch_id, "—"), "batch": batch.reference if batch else "—"}


def _refused_whole(report):
    lines = [_("Row %(row)s: %(message)s") % {"row": r["row"], "message": r["message"]} for r in report[:10]]
    if len(report) > 10:
        lines.append(_("… and %(n)s more rows.") % {"n": len(report) - 10})
    error = ValidationError([ValidationError(line, code="all_refused") for line in [
        _("None of the rows could be booked; nothing was saved."), *lines]])
    error.code = "all_refused"  # a list error has no code of its own
    return error


def reconciliation_import(*, actor, upload, batch=None):
    """Check and book a bank return file; returns the Reconciliation with its row-by-row report.

    ``batch``: the batch whose return this is (None: the batch most of the file's known references belong to)."""
    require(actor, "disbursements.prepare_payments")
    check_upload(upload, allowed={"xlsx"}, max_bytes=max_bytes())
    digest = sha256_of(upload)
    rows = read_rows(upload)
    if not rows:
        raise ValidationError(_("The file has a header row but no data rows."), code="empty")
    _mark_duplicates(rows)
    known = {ref: (pk, batch_id) for ref, pk, batch_id in Payment.objects.filter(
        reference__in={r.reference for r in rows}).values_list("reference", "pk", "batch_id")}
    batch = _file_batch(rows, known, batch, digest)
    _check_batch(rows, known, batch)
    payments = {ref: pk for ref, (pk, _b) in known.items()}
    report, counts = [], {"paid": 0, "failed": 0, "unchanged": 0, "refused": 0}
    touched_batches = set()
    with removed_on_error() as stored, transaction.atomic():
        for row in rows:
            if not row.error and row.reference not in payments:
                row.error = _("Unknown reference: no payment has it.")
            if row.error:
                outcome, message = "refused", row.error
            else:
                try:
                    with transaction.atomic():
                        outcome, message = _apply(row, payments[row.reference], actor)
                except IntegrityError:  # e.g. the bank reference was booked concurrently
                    outcome, message = "refused", _("This row conflicts with a booking made at the same time.")
                if outcome in ("paid", "failed"):
                    touched_batches.add(payments[row.reference])
            counts[outcome] += 1
            report.append(row.as_report(outcome, message))
        if counts["refused"] == len(rows):
            raise _refused_whole(report)  # nothing was booked: the transaction stores nothing at all
        record = Reconciliation(batch=batch, file_name=clean_filename(upload.name, "xlsx"), sha256=digest,
                                size=upload.size,
                                uploaded_by=actor, rows_total=len(rows), rows_paid=counts["paid"],
                                rows_failed=counts["failed"], rows_unchanged=counts["unchanged"],
                                rows_refused=counts["refused"], report=report)
        upload.seek(0)
        record.file.save("return.xlsx", File(upload), save=False)
        stored.append(record.file)
        record.save()
        batch_ids = Payment.objects.filter(pk__in=touched_batches).values_list("batch_id", flat=True)
        for batch in PaymentBatch.objects.filter(pk__in=batch_ids):
            close_if_done(batch, actor)
        audit_record(actor=actor, action="reconciliation.import", obj=record,
                     data={"rows": len(rows), "paid": counts["paid"], "failed": counts["failed"],
                           "unchanged": counts["unchanged"], "refused": counts["refused"],
                           "batch_reference": batch.reference if batch else "", "tech_sha256": digest})
    return record
