"""The evaluation's charts (indicator levels, budget and spending, outcome statistics), drawn by core.charts for
the pages and the PDF report."""

from django.utils.translation import gettext as _

from core.charts import bar_chart, progress_chart
from core.money import format_wan, to_wan

from .formatting import figure, number


def levels_chart(levels):
    return progress_chart(_("Points by indicator level"),
                          [(level.label, level.points, level.weight) for level in levels], fmt=number)


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
