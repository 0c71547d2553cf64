"""Badges of the review records (one colour per status everywhere) and small number helpers."""

from django import template
from django.utils.html import format_html

from ..workflow import BADGES

register = template.Library()


@register.simple_tag
def review_badge(kind, obj):
    """{% review_badge "panel" panel %} -> the status badge of a review record."""
    colour = BADGES.get(kind, {}).get(obj.status, "secondary")
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, obj.get_status_display())


@register.filter
def percent(rate):
    """0.0800 -> '8.00%'."""
    if rate is None:
        return ""
    return f"{rate * 100:.2f}%"


@register.filter
def points(value):
    return "" if value is None else f"{value:.1f}"
