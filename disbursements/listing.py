"""The payments table's rows rendered in Python: the finance list shows 50 rows of links, amounts, badges and
dates, which cost several times the page's SQL through the template engine (a ``{% url %}``, a tag and three
filters per row). Every value is escaped with ``html.escape`` before it is placed (plain string building: the
lazy-aware ``format_html`` per cell cost as much as the rows' SQL); the markup is the template's."""

import html

from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from core.money import format_yuan
from core.web import pk_url

from .templatetags.disbursements_tags import badge
from .workflow import PaymentStatus


def payment_rows_html(payments, *, own_only, link_batches):
    """The <tr> of each payment (the dicts of ``selectors.payment_list_shown``): reference (linked), payee and
    county unless ``own_only``, amount, status, batch (linked when ``link_batches``), paid on, payment due."""
    esc = html.escape
    detail, batch_url = pk_url("disbursements:payment_detail"), pk_url("disbursements:batch_detail")
    badges = {}
    rows = []
    for p in payments:
        status = badges.get(p["status"]) or badges.setdefault(p["status"], str(badge("payment", p["status"])))
        who = batch = ""
        if not own_only:
            who = f'<td>{esc(p["payee_name"])}</td><td class="hide-sm">{esc(p["county_name"] or "—")}</td>'
            link = (f'<a href="{batch_url(p["batch_id"])}">{esc(p["batch_reference"])}</a>'
                    if p["batch_id"] and link_batches else "—")
            batch = f'<td class="hide-sm text-nowrap">{link}</td>'
        paid = p["paid_on"].isoformat() if p["paid_on"] else "—"
        due = p["due_date"].isoformat() if p["due_date"] else ""
        rows.append(f'<tr><td class="text-nowrap"><a href="{detail(p["id"])}">{esc(p["reference"])}</a></td>{who}'
                    f'<td class="num">{esc(format_yuan(p["amount"]))}</td><td>{status}</td>{batch}'
                    f'<td class="text-nowrap">{paid}</td><td class="hide-sm text-nowrap">{due}</td></tr>')
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped above, the badge by format_html


def batch_payment_rows_html(payments):
    """The <tr> of each payment of a batch page: reference (linked to its commitment), payee, bank, account,
    amount, status (with a failure's reason), preparer, paid on."""
    esc = html.escape
    commitment_url = pk_url("disbursements:commitment_detail")
    badges = {}
    rows = []
    for p in payments:
        status = badges.get(p.status) or badges.setdefault(p.status, str(badge("payment", p.status)))
        if p.status == PaymentStatus.FAILED:
            code = p.get_failure_code_display()
            why = (gettext("%(code)s: %(text)s") % {"code": code, "text": p.failure_reason} if p.failure_reason
                   else code)
            status += f'<div class="small text-danger">{esc(str(why))}</div>'
        paid = p.paid_on.isoformat() if p.paid_on else "—"
        rows.append(f'<tr><td class="text-nowrap"><a href="{commitment_url(p.commitment_id)}">{esc(p.reference)}</a>'
                    f'</td><td>{esc(p.payee_name)}</td><td>{esc(p.payee_bank)}</td>'
                    f'<td class="word-break">{esc(p.payee_account)}</td><td class="num">{esc(format_yuan(p.amount))}'
                    f'</td><td>{status}</td><td class="hide-sm">{esc(str(p.prepared_by or ""))}</td>'
                    f'<td class="text-nowrap">{paid}</td></tr>')
    return mark_safe("\n".join(rows))  # noqa: S308 - every value escaped above, the badge by format_html
