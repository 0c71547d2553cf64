"""XLSX exports: the 绩效自评表 and a monitoring snapshot. Streamed (write-only) and formula-injection safe."""

from decimal import Decimal
from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from .scoring import fmt

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="DBE4F3")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(ws, value, *, bold=False, header=False, wrap=False, number_format=None):
    """A cell whose text can never become a formula: text starting with = + - @ is stored as text."""
    c = WriteOnlyCell(ws, value=value)
    if isinstance(value, str) and value.startswith(DANGEROUS_PREFIXES):
        c.data_type = "s"
        c.quotePrefix = True
    if bold or header:
        c.font = Font(bold=True)
    if header:
        c.fill = HEADER_FILL
    if header or wrap:
        c.alignment = Alignment(wrap_text=True, vertical="top")
    if number_format:
        c.number_format = number_format
    return c


def money(ws, yuan):
    """万元 as a number with 2 decimals shown (empty when unknown)."""
    value = None if yuan is None else (Decimal(yuan) / 10000).quantize(Decimal("0.01"))
    return cell(ws, value, number_format="0.00")


def _row(ws, values, **kwargs):
    ws.append([cell(ws, v, **kwargs) for v in values])


def self_evaluation_xlsx(year, result, budget=None):
    """The indicator table of the self-evaluation as bytes. ``budget`` = (figures, note) or None."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Self-evaluation table"))
    for index, width in enumerate([6, 12, 10, 34, 8, 14, 14, 8, 8, 10, 40, 16, 50], start=1):
        ws.column_dimensions[chr(64 + index)].width = width
    ws.freeze_panes = "A8"
    _row(ws, [_("%(year)s performance self-evaluation table of project expenditure") % {"year": year.year}],
         bold=True)
    _row(ws, [_("Project"), year.fund_name, "", _("Unit"), year.unit_name])
    if budget and budget[0] is not None:
        figures, note = budget
        execution = figures.execution()  # indicator 1's figure, its denominator named
        ws.append([cell(ws, _("Funds (10,000 yuan)")), cell(ws, _("Original budget")), money(ws, figures.original),
                   cell(ws, _("Adjusted budget")), money(ws, figures.adjusted), cell(ws, _("Spent")),
                   money(ws, figures.spent), cell(ws, execution.label),
                   cell(ws, "—" if execution.percent is None else f"{execution.percent}%"), cell(ws, note)])
    else:
        _row(ws, [_("Funds (10,000 yuan)"), _("No budget figures yet")])
    total = result.total
    _row(ws, [_("Total score"), total.points, _("of"), total.weight,
              _("Grade"), result.grade_label or _("not graded yet")])
    if not total.complete:
        _row(ws, [_("Note"), _("%(n)s indicators (%(w)s points) have no data yet; the total can reach at most "
                               "%(c)s.") % {"n": total.missing_count, "w": fmt(total.missing_weight),
                                            "c": fmt(total.ceiling)}])
    else:
        _row(ws, [""])
    _row(ws, [""])
    _row(ws, [_("No."), _("National level"), _("Level"), _("Indicator"), _("Direction"), _("Target"), _("Actual"),
              _("Weight"), _("Score"), _("Met?"), _("Reason for the deviation"), _("Data source"), _("Formula")],
         header=True)
    for row in result.rows:
        ind = row.indicator
        met = "—" if row.score.met is None else (_("yes") if row.score.met else _("no"))
        _row(ws, [ind.number, str(ind.national_level), ind.get_level_display(), ind.name,
                  ind.get_direction_display(), ind.target_display, row.actual_display, ind.weight,
                  row.score.points, met, ind.deviation_reason, ind.get_source_display(),
                  row.score.formula if row.score.scored else row.missing_reason], wrap=True)
    _row(ws, ["", "", "", _("Total"), "", "", "", total.weight, total.points], bold=True)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def monitoring_xlsx(snapshot):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Monitoring"))
    for index, width in enumerate([6, 34, 14, 14, 14, 8, 8, 12, 50], start=1):
        ws.column_dimensions[chr(64 + index)].width = width
    _row(ws, [_("%(year)s mid-year performance monitoring as of %(date)s")
              % {"year": snapshot.year.year, "date": f"{snapshot.taken_on:%Y-%m-%d}"}], bold=True)
    _row(ws, [""])
    _row(ws, [_("No."), _("Indicator"), _("Target"), _("Expected by now"), _("Actual"), _("Weight"), _("Score"),
              _("State"), _("Warning")], header=True)
    for entry in snapshot.entries.all():
        _row(ws, [entry.number, entry.name, entry.target, entry.expected, entry.actual, entry.weight, entry.points,
                  entry.get_state_display(), entry.warning], wrap=True)
    _row(ws, [""])
    _row(ws, [_("Plan for the second half"), snapshot.second_half_plan], wrap=True)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
