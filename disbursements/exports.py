"""XLSX files: the bank file of a batch, the return-file template, payments and budget execution exports.

All written by the platform's one XLSX writer (core.xlsx): streamed, formula-safe, typed columns.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.xlsx import (
    Column,
    Value,
    export_subtitle,
    new_workbook,
    save,
    workbook_response,
    write_sheet,
)

from .figures import BudgetBasis
from .workflow import PaymentStatus


def bank_file_columns():
    return [Column(_("No."), 6, "int"), Column(_("Payee name"), 36), Column(_("Account number"), 26),
            Column(_("Bank"), 30), Column(_("Amount (yuan)"), 16, "money"), Column(_("Purpose"), 44),
            Column(_("Reference"), 22)]


def return_file_extra_columns():
    return [Column(_("Result"), 10), Column(_("Bank reference"), 24), Column(_("Value date"), 14, "date"),
            Column(_("Reason for failure"), 30)]


def _bank_rows(payments):
    for index, p in enumerate(payments, start=1):
        yield [index, p.payee_name, p.payee_account, p.payee_bank, p.amount, p.purpose, p.reference]


def _bank_title(batch):
    return _("Bank file of batch %(batch)s") % {"batch": batch.reference}


def write_bank_file(fileobj, batch, payments, generated=None):
    """The file for the bank: one row per payment (payee name, account, bank, amount, purpose, reference).
    ``generated``: the time written into its summary (the sending time; now when not given)."""
    payments = list(payments)
    generated = generated or timezone.now()
    total = sum((p.amount for p in payments), start=0)
    workbook = new_workbook()
    subtitle = _("Generated %(time)s") % {"time": f"{timezone.localtime(generated):%Y-%m-%d %H:%M}"}
    # The bank's system reads the first sheet as data: its header stays in row 1, the title goes on the summary.
    write_sheet(workbook, "", "", bank_file_columns(), _bank_rows(payments), name=_("Payment details"))
    write_sheet(workbook, _bank_title(batch), subtitle, [Column(_("Item"), 16), Column(_("Value"), 36)], [
        [_("Batch number"), batch.reference],
        [_("Number of payments"), Value(len(payments), "int")],
        [_("Total (yuan)"), Value(total, "money")],
        [_("Prepared by"), str(batch.created_by)],
        [_("Approved by"), str(batch.approved_by or "")],
        [_("Generated"), Value(generated, "datetime")],
    ], name=_("Summary"))
    return save(workbook, fileobj)


def return_template_response(batch, payments):
    """The bank file's rows plus the columns the bank fills in: the template of the return file."""
    rows = ([*row, None, None, None, None] for row in _bank_rows(payments))
    workbook = new_workbook()
    write_sheet(workbook, _("Return file of batch %(batch)s") % {"batch": batch.reference},
                _("Fill in the result, the bank reference and the value date of every payment."),
                [*bank_file_columns(), *return_file_extra_columns()], rows, name=_("Payment details"))
    return workbook_response(workbook, f"{batch.reference}-return.xlsx")


def payments_workbook(payments, *, form=None, filters=None, progress=None):
    """The payment details of a filtered list; ``progress(done)`` is called every 100 rows (a background
    export reports it on its job)."""
    columns = [
        Column(_("Reference"), 20), Column(_("Fund year"), 8, "int"), Column(_("Payee"), 36), Column(_("County"), 14),
        Column(_("Purpose"), 40), Column(_("Tranche"), 6, "int"), Column(_("Amount (yuan)"), 16, "money"),
        Column(_("Status"), 12), Column(_("Batch"), 18), Column(_("Prepared by"), 14), Column(_("Approved by"), 14),
        Column(_("Sent"), 18, "datetime"), Column(_("Paid on"), 12, "date"), Column(_("Bank reference"), 22),
        Column(_("Payment due"), 12, "date"), Column(_("On time"), 8),
    ]

    # labels translated once per file, not once per row (get_status_display looks every choice's label up); the
    # rows read as values (no model instances: a payment, its commitment, payee, county, batch and two users each)
    yes, no = _("yes"), _("no")
    statuses = {value: str(label) for value, label in PaymentStatus.choices}
    fields = ("reference", "commitment__fund_year", "commitment__payee__name", "commitment__county__name", "purpose",
              "tranche", "amount", "status", "batch__reference", "prepared_by_id", "approved_by_id", "sent_at",
              "paid_on", "bank_reference", "commitment__due_date")

    def rows():
        people = {}  # the finance staff who prepared or approved: few, each named once
        for number, (reference, year, payee, county, purpose, tranche, amount, status, batch, prepared_by,
                     approved_by, sent_at, paid_on, bank_reference, due) in enumerate(
                payments.values_list(*fields).iterator(chunk_size=2000), start=1):
            if progress is not None and number % 100 == 0:
                progress(number)
            for pk in (prepared_by, approved_by):
                if pk is not None and pk not in people:
                    people[pk] = str(User.objects.get(pk=pk))
            on_time = "" if paid_on is None else (yes if paid_on <= due else no)
            yield [reference, year, payee, county or "", purpose, tranche, amount, statuses.get(status, status),
                   batch or "", people[prepared_by], people.get(approved_by, ""), sent_at, paid_on, bank_reference,
                   due, on_time]

    year = (filters or {}).get("year")
    title = _("%(year)s payment details") % {"year": year} if year else _("Payment details of all fund years")
    workbook = new_workbook()
    write_sheet(workbook, title, export_subtitle(form, filters), columns, rows(), name=_("Payment details"))
    return workbook


def payments_response(payments, filename, *, form=None, filters=None):
    return workbook_response(payments_workbook(payments, form=form, filters=filters), filename)


def budget_response(figures, timeliness, entries, by_category, by_county):
    """Budget execution: the year's figures, its dated entries, and committed/paid by category and county."""
    def money(value):
        return Value(value, "money")

    def rate(value):
        return Value(value, "percent")

    summary = [
        [_("Original budget"), money(figures.original)],
        [_("Adjustments"), money(figures.adjustments)],
        [_("Adjusted budget"), money(figures.adjusted)],
        [_("Funds received"), money(figures.received)],
        [_("Committed"), money(figures.committed)],
        [_("Paid"), money(figures.paid)],
        *([execution.label, rate(execution.rate)] for execution in (figures.execution(),
                                                                     figures.execution(BudgetBasis.ADJUSTED))),
        [_("Funds received rate (received ÷ adjusted budget)"), rate(figures.received_rate)],
        [_("Timeliness of award payments"), rate(timeliness.rate)],
        [_("Paid on time / paid"), f"{timeliness.numerator} / {timeliness.denominator}"],
    ]
    entry_rows = ([e.date, e.get_kind_display(), e.amount, e.note, str(e.created_by)] for e in entries)

    def breakdown(rows):
        for r in rows:
            yield [r["label"], r["count"], r["committed"], r["paid"], r["paid"] / r["committed"]
                   if r["committed"] else None]

    def split_columns(first):
        return [Column(first, 30), Column(_("Number of commitments"), 12, "int"),
                Column(_("Committed (yuan)"), 18, "money"), Column(_("Paid (yuan)"), 18, "money"),
                Column(_("Paid share"), 12, "percent")]

    title = _("%(year)s budget execution") % {"year": figures.year}
    subtitle = export_subtitle()
    workbook = new_workbook()
    write_sheet(workbook, title, subtitle, [Column(_("Item"), 28), Column(_("Amount (yuan)"), 20)], summary,
                name=_("Budget execution"))
    write_sheet(workbook, title, subtitle, [Column(_("Date"), 12, "date"), Column(_("Kind"), 14),
                                            Column(_("Amount (yuan)"), 18, "money"), Column(_("Note"), 40),
                                            Column(_("Recorded by"), 16)], entry_rows, name=_("Budget entries"))
    write_sheet(workbook, title, subtitle, split_columns(_("Category (budget breakdown)")), breakdown(by_category),
                name=_("By category"))
    write_sheet(workbook, title, subtitle, split_columns(_("County (budget breakdown)")), breakdown(by_county),
                name=_("By county"))
    return workbook_response(workbook, f"budget-execution-{figures.year}.xlsx")
