"""Badges of the review records (one colour per status everywhere) and small number helpers."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import format_html

from ..workflow import BADGES

register = template.Library()


# the status choices of each kind of record, from the colours' keys
_STATUSES = {kind: type(next(iter(colours))) for kind, colours in BADGES.items()}


@register.simple_tag
def review_badge(kind, obj):
    """{% review_badge "panel" panel %} -> the status badge of a review record."""
    return status_badge(kind, obj.status)


def status_badge(kind, status):
    """The badge of a review record of ``kind`` whose stored status is ``status`` (a list's row of values)."""
    colour = BADGES.get(kind, {}).get(status, "secondary")
    try:
        label = _STATUSES[kind](status).label
    except (KeyError, ValueError):
        label = status
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, label)


@register.filter
def points(value):
    """A criterion's points as entered (one decimal place): 25 -> '25.0'."""
    return "" if value is None else f"{value:.1f}"


@register.filter
def score(value):
    """A score total or a panel score, always with two decimal places: 83 -> '83.00', 77.5 -> '77.50'."""
    return "" if value is None else f"{Decimal(value):.2f}"


@register.filter
def score_list(text):
    """The individual totals of a review result ('83.0 / 77.5') with two decimal places each."""
    parts = []
    for part in str(text or "").split("/"):
        try:
            parts.append(f"{Decimal(part.strip()):.2f}")
        except InvalidOperation:
            parts.append(part.strip())
    return " / ".join(p for p in parts if p)
