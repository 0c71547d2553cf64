"""Server-side SVG bar chart geometry (the CSP forbids inline styles and scripts: attributes only)."""

from django.utils.translation import gettext as _

WIDTH = 560
LABEL_W = 150
BAR_MAX = WIDTH - LABEL_W - 140
BAR_H = 9
ROW_H = 34


def _w(value, scale):
    return round(float(value) / float(scale) * BAR_MAX, 1) if scale else 0


def bar_chart(figures, rows, scale):
    """One row for the year's totals (budget, committed, paid), then one per category or county."""
    entries = [{"label": _("Whole fund"), "budget": figures.adjusted, "committed": figures.committed,
                "paid": figures.paid}]
    entries += [{"label": r["label"], "budget": None, "committed": r["committed"], "paid": r["paid"]} for r in rows]
    out = []
    for index, row in enumerate(entries):
        top = 8 + index * ROW_H
        bars = []
        if row["budget"] is not None:
            bars.append(("bar-budget", row["budget"]))
        bars += [("bar-committed", row["committed"]), ("bar-paid", row["paid"])]
        y = top if row["budget"] is not None else top + BAR_H // 2
        drawn = []
        for css, value in bars:
            drawn.append({"css": css, "x": LABEL_W, "y": y, "w": _w(value, scale), "h": BAR_H - 1})
            y += BAR_H
        widest = max(d["w"] for d in drawn)
        out.append({"label": str(row["label"])[:12], "text_y": top + 15, "bars": drawn,
                    "value_x": LABEL_W + widest + 6, "committed": row["committed"], "paid": row["paid"]})
    return {"rows": out, "height": 16 + len(entries) * ROW_H, "width": WIDTH, "axis_x": LABEL_W}
