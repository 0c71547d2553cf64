"""XLSX files: the bank file of a batch, the return-file template, payments and budget execution exports.

All written with openpyxl's write-only mode through the formula-injection-safe helper.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from .selectors import BudgetBasis
from .xlsx_safe import write_workbook, xlsx_response


def bank_file_header():
    return [_("No."), _("Payee name"), _("Account number"), _("Bank"), _("Amount (yuan)"), _("Purpose"),
            _("Reference")]


def return_file_extra_header():
    return [_("Result"), _("Bank reference"), _("Value date"), _("Reason for failure")]


def _bank_rows(payments):
    for index, p in enumerate(payments, start=1):
        yield [index, p.payee_name, p.payee_account, p.payee_bank, p.amount, p.purpose, p.reference]


def _summary(batch, payments, generated):
    total = sum((p.amount for p in payments), start=0)
    return [
        [_("Batch number"), batch.reference],
        [_("Number of payments"), len(payments)],
        [_("Total (yuan)"), total],
        [_("Prepared by"), str(batch.created_by)],
        [_("Approved by"), str(batch.approved_by or "")],
        [_("Generated"), timezone.localtime(generated)],
    ]


def write_bank_file(fileobj, batch, payments, generated=None):
    """The file for the bank: one row per payment (payee name, account, bank, amount, purpose, reference).
    ``generated``: the time written into its summary (the sending time; now when not given)."""
    payments = list(payments)
    return write_workbook(fileobj, [
        (_("Payment details"), bank_file_header(), _bank_rows(payments), [6, 36, 26, 30, 16, 44, 22]),
        (_("Summary"), [_("Item"), _("Value")], _summary(batch, payments, generated or timezone.now()), [16, 36]),
    ])


def return_template_response(batch, payments):
    """The bank file's rows plus the columns the bank fills in: the template of the return file."""
    rows = ([*row, "", "", "", ""] for row in _bank_rows(payments))
    return xlsx_response(f"{batch.reference}-return.xlsx", [
        (_("Payment details"), [*bank_file_header(), *return_file_extra_header()], rows,
         [6, 36, 26, 30, 16, 44, 22, 10, 24, 14, 30]),
    ])


def payments_response(payments, filename):
    header = [_("Reference"), _("Fund year"), _("Payee"), _("County"), _("Purpose"), _("Tranche"),
              _("Amount (yuan)"), _("Status"), _("Batch"), _("Prepared by"), _("Approved by"), _("Sent"),
              _("Paid on"), _("Bank reference"), _("Payment due"), _("On time")]

    def rows():
        for p in payments.iterator(chunk_size=500):
            c = p.commitment
            on_time = "" if p.paid_on is None else (_("yes") if p.paid_on <= c.due_date else _("no"))
            yield [p.reference, c.fund_year, c.payee.name, c.county.name if c.county else "", p.purpose, p.tranche,
                   p.amount, p.get_status_display(), p.batch.reference if p.batch else "", str(p.prepared_by),
                   str(p.approved_by or ""), timezone.localtime(p.sent_at) if p.sent_at else None, p.paid_on,
                   p.bank_reference, c.due_date, on_time]

    return xlsx_response(filename, [(_("Payment details"), header, rows(), [20, 8, 36, 14, 40, 6, 16, 12, 18, 14, 14,
                                                                     18, 12, 22, 12, 8])])


def budget_response(figures, timeliness, entries, by_category, by_county):
    """Budget execution: the year's figures, its dated entries, and committed/paid by category and county."""
    def pct(rate):
        return None if rate is None else f"{rate * 100:.2f}%"

    summary = [
        [_("Original budget"), figures.original],
        [_("Adjustments"), figures.adjustments],
        [_("Adjusted budget"), figures.adjusted],
        [_("Funds received"), figures.received],
        [_("Committed"), figures.committed],
        [_("Paid"), figures.paid],
        *([execution.label, pct(execution.rate)] for execution in (figures.execution(),
                                                                    figures.execution(BudgetBasis.ADJUSTED))),
        [_("Funds received rate (received ÷ adjusted budget)"), pct(figures.received_rate)],
        [_("Timeliness of award payments"), pct(timeliness.rate)],
        [_("Paid on time / paid"), f"{timeliness.numerator} / {timeliness.denominator}"],
    ]
    entry_rows = ([e.date, e.get_kind_display(), e.amount, e.note, str(e.created_by)] for e in entries)

    def breakdown(rows):
        for r in rows:
            yield [r["label"], r["count"], r["committed"], r["paid"], pct(r["paid"] / r["committed"]
                                                                         if r["committed"] else None)]

    def split_header(first):
        return [first, _("Number of commitments"), _("Committed (yuan)"), _("Paid (yuan)"), _("Paid share")]

    widths = [30, 12, 18, 18, 12]
    return xlsx_response(f"budget-execution-{figures.year}.xlsx", [
        (_("Budget execution"), [_("Item"), _("Amount (yuan)")], summary, [28, 20]),
        (_("Budget entries"), [_("Date"), _("Kind"), _("Amount (yuan)"), _("Note"), _("Recorded by")], entry_rows,
         [12, 14, 18, 40, 16]),
        (_("By category"), split_header(_("Category (budget breakdown)")), breakdown(by_category), widths),
        (_("By county"), split_header(_("County (budget breakdown)")), breakdown(by_county), widths),
    ])
