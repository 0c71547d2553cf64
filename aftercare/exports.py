"""The acceptance's XLSX exports (core.xlsx): the funded projects with their acceptance, and the refunds that
are overdue."""

from django.utils.translation import gettext as _

from core import clock
from core.xlsx import Column, export_subtitle, new_workbook, write_sheet

from . import selectors
from .forms import ListFilterForm
from .workflow import Status


def scope_label(user):
    """Whose projects an export holds: the county user's county, else the whole city."""
    return user.county.name if user.has_perm("accounts.see_own_county") else _("whole city")


def acceptance_workbook(user, rows, search, status):
    columns = [Column(_("Receipt number"), 18), Column(_("Enterprise"), 30), Column(_("Project"), 36),
               Column(_("County"), 12), Column(_("Paid (yuan)"), 16, "money"), Column(_("First paid on"), 12, "date"),
               Column(_("Completion deadline"), 12, "date"), Column(_("Status"), 18),
               Column(_("Actual investment (yuan)"), 16, "money"), Column(_("Invoice total (yuan)"), 16, "money"),
               Column(_("County recommendation"), 12), Column(_("Rectification deadline"), 12, "date")]

    def values():
        for row in rows.iterator(chunk_size=500):
            acc = selectors.acceptance_of(row)
            yield [row.application.receipt_no, row.payee.name, row.application.project_name,
                   row.county.name if row.county else "", row.paid_total, row.first_paid,
                   acc.completion_due if acc else selectors.completion_due(row),
                   (acc.get_status_display() if acc else Status.OPEN.label),
                   acc.actual_investment if acc else None, acc.invoice_amount if acc else None,
                   acc.get_recommendation_display() if acc else "", acc.rectify_by if acc else None]

    workbook = new_workbook()
    subtitle = export_subtitle(ListFilterForm(), {"q": search, "status": status})
    title = _("Project acceptance of the funded projects (%(scope)s)") % {"scope": scope_label(user)}
    write_sheet(workbook, title, subtitle, columns, values())
    return workbook


def overdue_workbook(user, rows, today=None):
    """The overdue refunds (selectors.overdue_clawbacks): what is to be recovered, refunded, outstanding, and how
    many days past the deadline on ``today``."""
    today = today or clock.today()
    columns = [Column(_("Enterprise"), 30), Column(_("Unified social credit code"), 20), Column(_("County"), 12),
               Column(_("Project"), 36), Column(_("Amount to recover (yuan)"), 16, "money"),
               Column(_("Refunded so far (yuan)"), 16, "money"), Column(_("Outstanding (yuan)"), 16, "money"),
               Column(_("Refund deadline"), 12, "date"), Column(_("Days overdue"), 10, "int")]

    def values():
        for clawback in rows.iterator(chunk_size=500):
            commitment = clawback.acceptance.commitment
            yield [commitment.payee.name, commitment.payee.credit_code,
                   commitment.county.name if commitment.county else "", clawback.acceptance.application.project_name,
                   clawback.amount, clawback.refunded, clawback.amount - clawback.refunded, clawback.refund_due,
                   (today - clawback.refund_due).days]

    workbook = new_workbook()
    title = _("Overdue refunds of clawed-back awards (%(scope)s)") % {"scope": scope_label(user)}
    write_sheet(workbook, title, _("Refund deadline before %(date)s, money still outstanding") % {
        "date": today.isoformat()}, columns, values())
    return workbook
