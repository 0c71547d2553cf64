"""Charts as SVG drawn on the server (no JavaScript, no plotting library), for the pages and the PDF reports.

Only presentation attributes are used (no style attributes: the pages' CSP forbids inline styles), every text
is escaped, and every chart carries a <title> (role="img") so that a screen reader hears what it shows; the page
states the figures in text beside it. Two forms:
- functions returning the whole ``<svg>`` (``bar_chart``, ``progress_chart``, ``column_chart``, ``pair_chart``);
- ``budget_bars``: the geometry of the budget page's chart, which its template draws with CSS classes.
"""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

FONT = "Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif"
BRAND = "#0b3d91"
LIGHT = "#dbe4f3"
SECOND = "#146c43"  # a second series (AA contrast on white)
NEGATIVE = "#1e7b4f"
MUTED = "#6c757d"
TEXT = "#212529"
ROW = 30
LABEL_W = 190
VALUE_W = 110


def _svg(width, height, title, body, *, show_title=True):
    heading = (f'<text x="0" y="16" font-size="14" font-weight="bold" fill="{TEXT}">{escape(title)}</text>'
               if show_title else "")
    return mark_safe(  # noqa: S308 — every text below went through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" font-family="{FONT}">'
        f'<title>{escape(title)}</title>{heading}{body}</svg>'
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
    parts.append(f'<line x1="{zero:.1f}" y1="26" x2="{zero:.1f}" y2="{height - 4}" stroke="{MUTED}" '
                 f'stroke-width="1"/>')
    return _svg(width, height, title, "".join(parts))


def progress_chart(title, rows, *, width=600, fmt=str):
    """Bars of achieved out of possible: ``rows`` = [(label, achieved, possible)], the numbers written by ``fmt``."""
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
        parts.append(_text(x1 + 8, y + 15, f"{fmt(achieved)} / {fmt(possible)}"))
    return _svg(width, 30 + len(rows) * ROW + 8, title, "".join(parts))


def column_chart(title, columns, *, reference=None, reference_label="", width=480, height=200):
    """Vertical columns over time: ``columns`` = [(label, value or None)] (None: not yet, drawn empty); a dashed
    line at ``reference`` (e.g. the budget the columns are measured against), named by ``reference_label``."""
    values = [Decimal(v) for _l, v in columns if v is not None]
    top = max([Decimal(0), *values, Decimal(reference or 0)]) or Decimal(1)
    left, bottom, chart_top = 8, height - 22, 22
    step = (width - left * 2) / max(len(columns), 1)
    scale = Decimal(bottom - chart_top) / top
    parts = [f'<line x1="{left}" y1="{bottom}" x2="{width - left}" y2="{bottom}" stroke="{MUTED}" '
             f'stroke-width="1"/>']
    for i, (label, value) in enumerate(columns):
        x = left + i * step
        if value is not None:
            h = float(Decimal(value) * scale)
            parts.append(f'<rect x="{x + step * 0.15:.1f}" y="{bottom - h:.1f}" width="{step * 0.7:.1f}" '
                         f'height="{max(h, 1):.1f}" fill="{BRAND}"/>')
        parts.append(_text(x + step / 2, height - 6, label, anchor="middle", size=11))
    if reference:
        y = bottom - float(Decimal(reference) * scale)
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - left}" y2="{y:.1f}" stroke="{SECOND}" '
                     f'stroke-width="2" stroke-dasharray="6 4"/>')
        parts.append(_text(width - left, y - 5, reference_label, anchor="end", size=11, fill=SECOND))
    return _svg(width, height, title, "".join(parts), show_title=False)


def pair_chart(title, rows, *, legend=("", ""), width=520, label_width=150, value_width=60, scale_max=None):
    """Two counts per row, side by side (e.g. applications and awards by county): ``rows`` = [(label, a, b)].
    ``scale_max``: the value a full bar stands for (small multiples share one scale), else the largest here."""
    most = max([Decimal(1), Decimal(scale_max or 0), *(Decimal(a) for _l, a, _b in rows),
                *(Decimal(b) for _l, _a, b in rows)])
    label_w, value_w, row = label_width, value_width, 26
    x0, x1 = label_w, width - value_w
    scale = Decimal(x1 - x0) / most
    parts = [f'<rect x="{x0}" y="4" width="10" height="10" fill="{BRAND}"/>',
             _text(x0 + 14, 13, legend[0], size=11),
             f'<rect x="{x0 + 110}" y="4" width="10" height="10" fill="{SECOND}"/>',
             _text(x0 + 124, 13, legend[1], size=11)]
    for i, (label, first, second) in enumerate(rows):
        y = 22 + i * row
        parts.append(_text(label_w - 6, y + 14, label, anchor="end", size=11))
        parts.append(f'<rect x="{x0}" y="{y + 3}" width="{max(float(Decimal(first) * scale), 1):.1f}" '
                     f'height="9" fill="{BRAND}"/>')
        parts.append(f'<rect x="{x0}" y="{y + 12}" width="{max(float(Decimal(second) * scale), 1):.1f}" '
                     f'height="9" fill="{SECOND}"/>')
        parts.append(_text(x1 + 6, y + 16, f"{first} / {second}", size=11))
    return _svg(width, 22 + len(rows) * row + 6, title, "".join(parts), show_title=False)


# --- the budget page's chart (drawn by its template with CSS classes) ------------------------------------------

BUDGET_WIDTH = 560
BUDGET_LABEL_W = 150
BUDGET_BAR_MAX = BUDGET_WIDTH - BUDGET_LABEL_W - 140
BUDGET_BAR_H = 9
BUDGET_ROW_H = 34


def _w(value, scale):
    return round(float(value) / float(scale) * BUDGET_BAR_MAX, 1) if scale else 0


def budget_bars(figures, rows, scale):
    """One row for the year's totals (``figures``: adjusted budget, committed, paid), then one per category or
    county (``rows``: label, committed, paid)."""
    entries = [{"label": _("Whole fund"), "budget": figures.adjusted, "committed": figures.committed,
                "paid": figures.paid}]
    entries += [{"label": r["label"], "budget": None, "committed": r["committed"], "paid": r["paid"]} for r in rows]
    out = []
    for index, row in enumerate(entries):
        top = 8 + index * BUDGET_ROW_H
        bars = []
        if row["budget"] is not None:
            bars.append(("bar-budget", row["budget"]))
        bars += [("bar-committed", row["committed"]), ("bar-paid", row["paid"])]
        y = top if row["budget"] is not None else top + BUDGET_BAR_H // 2
        drawn = []
        for css, value in bars:
            drawn.append({"css": css, "x": BUDGET_LABEL_W, "y": y, "w": _w(value, scale), "h": BUDGET_BAR_H - 1})
            y += BUDGET_BAR_H
        widest = max(d["w"] for d in drawn)
        out.append({"label": str(row["label"])[:12], "text_y": top + 15, "bars": drawn,
                    "value_x": BUDGET_LABEL_W + widest + 6, "committed": row["committed"], "paid": row["paid"]})
    return {"rows": out, "height": 16 + len(entries) * BUDGET_ROW_H, "width": BUDGET_WIDTH, "axis_x": BUDGET_LABEL_W}
