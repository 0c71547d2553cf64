"""XLSX exports: the 绩效自评表 and a monitoring snapshot, written by the platform's one XLSX writer."""

from django.utils.translation import gettext as _

from core.money import to_wan
from core.xlsx import XLSX_CONTENT_TYPE, Column, Value, new_workbook, workbook_bytes, write_sheet

from .scoring import fmt

XLSX_TYPE = XLSX_CONTENT_TYPE


def _wan(yuan):
    """万元 as a number with 2 decimals shown (empty when unknown)."""
    return Value(to_wan(yuan), "money")


def self_evaluation_xlsx(year, result, budget=None):
    """The indicator table of the self-evaluation as bytes. ``budget`` = (figures, note) or None."""
    preamble = [[_("Project"), year.fund_name, "", _("Unit"), year.unit_name]]
    if budget and budget[0] is not None:
        figures, note = budget
        execution = figures.execution()  # indicator 1's figure, its denominator named
        preamble.append([_("Funds (10,000 yuan)"), _("Original budget"), _wan(figures.original),
                         _("Adjusted budget"), _wan(figures.adjusted), _("Spent"), _wan(figures.spent),
                         execution.label, "—" if execution.percent is None else f"{execution.percent}%", note])
    else:
        preamble.append([_("Funds (10,000 yuan)"), _("No budget figures yet")])
    total = result.total
    preamble.append([_("Total score"), total.points, _("of"), total.weight,
                     _("Grade"), result.grade_label or _("not graded yet")])
    if not total.complete:
        preamble.append([_("Note"), _("%(n)s indicators (%(w)s points) have no data yet; the total can reach at "
                                      "most %(c)s.") % {"n": total.missing_count, "w": fmt(total.missing_weight),
                                                         "c": fmt(total.ceiling)}])
    columns = [
        Column(_("No."), 6, "auto"), Column(_("National level"), 12, wrap=True), Column(_("Level"), 10, wrap=True),
        Column(_("Indicator"), 34, wrap=True), Column(_("Direction"), 8, wrap=True),
        Column(_("Target"), 14, wrap=True), Column(_("Actual"), 14, wrap=True), Column(_("Weight"), 8, "auto"),
        Column(_("Score"), 8, "auto"), Column(_("Met?"), 10), Column(_("Reason for the deviation"), 40, wrap=True),
        Column(_("Data source"), 16, wrap=True), Column(_("Formula"), 50, wrap=True),
    ]

    def rows():
        for row in result.rows:
            ind = row.indicator
            met = "—" if row.score.met is None else (_("yes") if row.score.met else _("no"))
            yield [ind.number, ind.national_level, ind.get_level_display(), ind.name, ind.get_direction_display(),
                   ind.target_display, row.actual_display, ind.weight, row.score.points, met, ind.deviation_reason,
                   ind.get_source_display(), row.score.formula if row.score.scored else row.missing_reason]

    workbook = new_workbook()
    write_sheet(workbook, _("%(year)s performance self-evaluation table of project expenditure") % {"year": year.year},
                "", columns, rows(), preamble=preamble, footer=[["", "", "", _("Total"), "", "", "", total.weight,
                                                                  total.points]],
                name=_("Self-evaluation table"))
    return workbook_bytes(workbook)


def monitoring_xlsx(snapshot):
    columns = [
        Column(_("No."), 6, "auto"), Column(_("Indicator"), 34, wrap=True), Column(_("Target"), 14, wrap=True),
        Column(_("Expected by now"), 14, wrap=True), Column(_("Actual"), 14, wrap=True), Column(_("Weight"), 8, "auto"),
        Column(_("Score"), 8, "auto"), Column(_("State"), 12), Column(_("Warning"), 50, wrap=True),
    ]
    rows = ([e.number, e.name, e.target, e.expected, e.actual, e.weight, e.points, e.get_state_display(), e.warning]
            for e in snapshot.entries.all())
    workbook = new_workbook()
    write_sheet(workbook, _("%(year)s mid-year performance monitoring as of %(date)s")
                % {"year": snapshot.year.year, "date": f"{snapshot.taken_on:%Y-%m-%d}"}, "", columns, rows,
                footer=[[None], [Value(_("Plan for the second half"), "text"),
                                 Value(snapshot.second_half_plan, "text")]],
                name=_("Monitoring"))
    return workbook_bytes(workbook)


def county_comparison_xlsx(comparison):
    """The counties compared (evaluation.counties.CountyComparison): one row per county, each year's figures."""
    columns = [Column(_("County"), 14)]
    for year in comparison.years:
        columns += [Column(_("%(year)s applications") % {"year": year}, 10, "int"),
                    Column(_("%(year)s awards") % {"year": year}, 10, "int"),
                    Column(_("%(year)s amount awarded (10,000 yuan)") % {"year": year}, 16, "money"),
                    Column(_("%(year)s amount paid (10,000 yuan)") % {"year": year}, 16, "money"),
                    Column(_("%(year)s accepted") % {"year": year}, 10, "int"),
                    Column(_("%(year)s acceptance due") % {"year": year}, 10, "int")]

    def cells(figures):
        return [figures.applied, figures.awarded, to_wan(figures.awarded_amount), to_wan(figures.paid),
                figures.accepted, figures.due]

    rows = ([row.name, *cells(row.years[0]), *cells(row.years[1])] for row in comparison.rows)
    scope = comparison.rows[0].name if len(comparison.rows) == 1 else _("All counties")
    workbook = new_workbook()
    write_sheet(workbook, _("Counties compared: %(after)s and %(before)s") % {"after": comparison.years[1],
                                                                            "before": comparison.years[0]},
                _("Scope: %(scope)s") % {"scope": scope}, columns, rows,
                footer=[[_("Total"), *cells(comparison.totals[0]), *cells(comparison.totals[1])]],
                name=_("Counties"))
    return workbook_bytes(workbook)
