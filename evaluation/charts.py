"""Charts as inline SVG drawn on the server (no JavaScript, no matplotlib), for the pages and the PDF.

Only presentation attributes are used (no style attributes: the pages' CSP forbids inline styles), and
every text is escaped.
"""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.money import format_wan, to_wan

from .formatting import figure, number

FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"
BRAND = "#0b3d91"
LIGHT = "#dbe4f3"
NEGATIVE = "#1e7b4f"
TEXT = "#212529"
ROW = 30
LABEL_W = 190
VALUE_W = 110


def _svg(width, height, title, body):
    return mark_safe(  # noqa: S308 — every text below went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" font-family="{FONT}">'
        f'<title>{escape(title)}</title>'
        f'<text x="0" y="16" font-size="14" font-weight="bold" fill="{TEXT}">{escape(title)}</text>'
        f"{body}</svg>"
    )


def _text(x, y, text, *, anchor="start", size=12, fill=TEXT):
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{fill}">'
            f"{escape(text)}</text>")


def bar_chart(title, rows, *, width=600):
    """Horizontal bars. ``rows`` = [(label, value: Decimal, value text)]; negative values go left of zero."""
    values = [Decimal(value) for _label, value, _text in rows] or [Decimal(0)]
    low, high = min(Decimal(0), *values), max(Decimal(0), *values)
    span = (high - low) or Decimal(1)
    x0, x1 = LABEL_W, width - VALUE_W
    scale = Decimal(x1 - x0) / span
    zero = x0 + float((-low) * scale)
    parts = []
    for i, (label, value, text) in enumerate(rows):
        y = 30 + i * ROW
        length = float(abs(Decimal(value)) * scale)
        start = zero if value >= 0 else zero - length
        colour = BRAND if value >= 0 else NEGATIVE
        parts.append(_text(LABEL_W - 8, y + 15, label, anchor="end"))
        parts.append(f'<rect x="{start:.1f}" y="{y + 3}" width="{max(length, 1):.1f}" height="{ROW - 10}" '
                     f'fill="{colour}"/>')
        parts.append(_text(x1 + 8, y + 15, text))
    height = 30 + len(rows) * ROW + 8
    parts.append(f'<line x1="{zero:.1f}" y1="26" x2="{zero:.1f}" y2="{height - 4}" stroke="#6c757d" '
                 f'stroke-width="1"/>')
    return _svg(width, height, title, "".join(parts))


def progress_chart(title, rows, *, width=600):
    """Bars of achieved out of possible: ``rows`` = [(label, achieved, possible)]."""
    most = max([Decimal(possible) for _l, _a, possible in rows] or [Decimal(1)]) or Decimal(1)
    x0, x1 = LABEL_W, width - VALUE_W
    scale = Decimal(x1 - x0) / most
    parts = []
    for i, (label, achieved, possible) in enumerate(rows):
        y = 30 + i * ROW
        parts.append(_text(LABEL_W - 8, y + 15, label, anchor="end"))
        parts.append(f'<rect x="{x0}" y="{y + 3}" width="{float(Decimal(possible) * scale):.1f}" '
                     f'height="{ROW - 10}" fill="{LIGHT}"/>')
        parts.append(f'<rect x="{x0}" y="{y + 3}" width="{float(Decimal(achieved) * scale):.1f}" '
                     f'height="{ROW - 10}" fill="{BRAND}"/>')
        parts.append(_text(x1 + 8, y + 15, f"{number(achieved)} / {number(possible)}"))
    return _svg(width, 30 + len(rows) * ROW + 8, title, "".join(parts))


def levels_chart(levels):
    return progress_chart(_("Points by indicator level"),
                          [(level.label, level.points, level.weight) for level in levels])


def budget_chart(budget, spent, basis_label):
    """Budget against spending, in 万元. Returns None when either figure is missing."""
    if budget is None or spent is None:
        return None
    rows = [(f"{basis_label}", to_wan(budget), _("%(v)s (10,000 yuan)") % {"v": format_wan(budget)}),
            (_("Spent"), to_wan(spent), _("%(v)s (10,000 yuan)") % {"v": format_wan(spent)})]
    return bar_chart(_("Budget and spending (10,000 yuan)"), rows)


def outcome_chart(rows):
    """Outcome statistics in per cent: ``rows`` = [(label, value)]. None when there is nothing to draw."""
    if not rows:
        return None
    return bar_chart(_("Outcome statistics (%)"), [(label, value, f"{figure(value)}%") for label, value in rows])
