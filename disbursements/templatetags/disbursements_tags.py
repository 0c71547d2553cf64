"""The one badge colour per disbursement status and bar widths (money and rates: core's ``money`` library)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import format_html

from applications.templatetags.applications_tags import filesize

from ..workflow import BATCH_BADGE, CONTRACT_BADGE, PAYMENT_BADGE, BatchStatus, ContractStatus, PaymentStatus

register = template.Library()
LABELS = {
    "payment": (PAYMENT_BADGE, dict(PaymentStatus.choices)),
    "batch": (BATCH_BADGE, dict(BatchStatus.choices)),
    "contract": (CONTRACT_BADGE, dict(ContractStatus.choices)),
}


# '0.2 KB' / '1.5 MB': the one file-size format of the platform (Django's filesizeformat writes '202 字节').
register.filter("filesize", filesize)


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
