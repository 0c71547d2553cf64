"""The payments table's rows rendered in Python: the finance list shows 50 rows of links, amounts, badges and
dates, which cost several times the page's SQL through the template engine (a ``{% url %}``, a tag and three
filters per row). ``format_html`` escapes every value; the markup is the template's."""

from django.utils.html import format_html, format_html_join

from core.money import format_yuan
from core.web import pk_url

from .templatetags.disbursements_tags import badge


def payment_rows_html(payments, *, own_only, link_batches):
    """The <tr> of each payment: reference (linked), payee and county unless ``own_only``, amount, status, batch
    (linked when ``link_batches``), paid on, payment due."""
    detail, batch_url = pk_url("disbursements:payment_detail"), pk_url("disbursements:batch_detail")
    badges = {}
    rows = []
    for p in payments:
        status = badges.get(p.status) or badges.setdefault(p.status, badge("payment", p.status))
        if own_only:
            who = ""
        else:
            county = p.commitment.county.name if p.commitment.county_id else ""
            if p.batch_id and link_batches:
                batch = format_html('<a href="{}">{}</a>', batch_url(p.batch_id), p.batch.reference)
            else:
                batch = "—"
            who = format_html('<td>{}</td><td class="hide-sm">{}</td>', p.payee_name, county or "—")
        rows.append((
            detail(p.pk), p.reference, who, format_yuan(p.amount), status,
            "" if own_only else format_html('<td class="hide-sm text-nowrap">{}</td>', batch),
            p.paid_on.isoformat() if p.paid_on else "—",
            p.commitment.due_date.isoformat() if p.commitment.due_date else ""))
    return format_html_join(
        "\n", '<tr><td class="text-nowrap"><a href="{}">{}</a></td>{}<td class="num">{}</td><td>{}</td>{}'
        '<td class="text-nowrap">{}</td><td class="hide-sm text-nowrap">{}</td></tr>', rows)
