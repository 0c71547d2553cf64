"""Money in 万元, rates in percent, and the one badge colour per disbursement status."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.html import format_html

from applications.templatetags.applications_tags import filesize, wan

from ..workflow import BATCH_BADGE, CONTRACT_BADGE, PAYMENT_BADGE, BatchStatus, ContractStatus, PaymentStatus

register = template.Library()
LABELS = {
    "payment": (PAYMENT_BADGE, dict(PaymentStatus.choices)),
    "batch": (BATCH_BADGE, dict(BatchStatus.choices)),
    "contract": (CONTRACT_BADGE, dict(ContractStatus.choices)),
}


# 万元 with two decimals, the platform's one formatter (shared with the applications pages).
register.filter("wan", wan)
# '0.2 KB' / '1.5 MB': the one file-size format of the platform (Django's filesizeformat writes '202 字节').
register.filter("filesize", filesize)


@register.filter
def yuan(value):
    if value in (None, ""):
        return ""
    try:
        return f"{Decimal(value).quantize(Decimal('0.01')):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return ""


@register.filter
def percent(rate):
    """A fraction (0.8968) -> '89.68%'; '—' for None."""
    if rate is None or rate == "":
        return "—"
    return f"{(Decimal(rate) * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


@register.simple_tag
def badge(kind, status):
    classes, labels = LABELS[kind]
    return format_html('<span class="badge dsb-badge {}">{}</span>', classes.get(str(status), ""),
                       labels.get(str(status), status))


@register.filter
def share(part, whole):
    """part / whole in percent (0-100, one decimal) for bar widths; 0 without a whole."""
    try:
        whole = Decimal(whole)
        if whole <= 0:
            return 0
        return min(Decimal(100), (Decimal(part) * 100 / whole)).quantize(Decimal("0.1"))
    except (InvalidOperation, TypeError, ValueError):
        return 0
