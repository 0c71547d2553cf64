"""The statistics bureau's figures: a downloadable XLSX template and an all-or-nothing import.

The upload is checked to be a real XLSX (a zip holding [Content_Types].xml and a workbook, within size,
entry-count and compression-ratio limits) before openpyxl reads it; then every cell is validated and
every error is reported by row and column. A file with any error saves nothing.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from applications.models import FileType
from applications.services.uploads import UploadRefused, detect_type
from core import xlsx
from core.audit import audit_record
from core.xlsx import XLSX_CONTENT_TYPE, new_workbook, workbook_bytes, write_sheet

from ..constants import STATISTIC_LIMITS, Period, StatisticKey
from ..models import StatisticFigure, StatisticsImport
from . import require, require_editable, upload_name

MAX_BYTES = 2 * 1024 * 1024
MAX_UNCOMPRESSED = 20 * 1024 * 1024
MAX_ENTRIES = 200
MAX_RATIO = 100
MAX_ROWS = 100
EXCEL_MAX_ROWS = 1048576
SHEET = "统计数据"
XLSX_TYPE = XLSX_CONTENT_TYPE


class ImportErrors(ValidationError):
    """All problems of one file; nothing was saved."""


class CellErrors(ImportErrors):
    """The file opened, but some cells hold values the import cannot take (listed per cell); nothing was saved."""


@dataclass(frozen=True)
class Column:
    key: str  # "year", "period", "note" or a StatisticKey value

    def label(self):
        if self.key == "year":
            return _("Year")
        if self.key == "period":
            return _("Period")
        if self.key == "note":
            return _("Note")
        return str(StatisticKey(self.key).label)


COLUMNS = [Column("year"), Column("period"), *(Column(k) for k in StatisticKey.values), Column("note")]


def _in_languages(function):
    labels = set()
    for language in ("zh-hans", "en"):
        with translation.override(language):
            labels.add(str(function()).strip())
    return labels


def header_aliases():
    """Header text (Chinese or English) -> column key."""
    aliases = {}
    for column in COLUMNS:
        for label in _in_languages(column.label) | {column.key}:
            aliases[label] = column.key
    return aliases


def period_aliases():
    aliases = {}
    for period in Period:
        for label in _in_languages(lambda p=period: p.label) | {period.value}:
            aliases[label] = period.value
    aliases.update({"1-6月": Period.HALF, "上半年": Period.HALF, "全年": Period.YEAR})
    return aliases


# --- the template ------------------------------------------------------------------------------------------


def template_xlsx(year):
    """The blank template for ``year`` as bytes: one row for the full year, one for January–June. Its first
    row is the header the import reads; the title is on the instructions sheet."""
    wb = new_workbook(write_only=False)  # a full sheet: the period menu is a data validation
    ws = write_sheet(wb, "", "", [xlsx.Column(column.label(), 18, "auto") for column in COLUMNS],
                     [[year.year, str(Period.YEAR.label)], [year.year, str(Period.HALF.label)]], name=SHEET,
                     frozen_columns=2)
    ws.row_dimensions[1].height = 60
    periods = DataValidation(type="list", formula1='"{}"'.format(",".join(str(p.label) for p in Period)),
                             allow_blank=False)
    ws.add_data_validation(periods)
    periods.add(f"B2:B{MAX_ROWS + 1}")
    write_sheet(wb, _("%(year)s statistics bureau figures: import template") % {"year": year.year}, "",
                [xlsx.Column(_("Instructions"), 110)], ([line] for line in instructions(year)), name=_("Instructions"))
    return workbook_bytes(wb)


def instructions(year):
    lines = [
        _("Fill in the figures of the statistics bureau for %(year)s on the sheet “%(sheet)s”.")
        % {"year": year.year, "sheet": SHEET},
        _("One row per period: the full year, and January–June for mid-year monitoring. Leave unknown figures empty."),
        _("Per cent values as plain numbers without the per-cent sign, e.g. 11.8; a fall is negative, e.g. -11.78."),
        _("A file with any error is not imported at all; the errors are listed by row and column."),
    ]
    for key in StatisticKey:
        low, high, whole = STATISTIC_LIMITS[key]
        limits = _("from %(low)s") % {"low": low} if high is None else f"{low} – {high}"
        kind = _("whole number") if whole else _("a number")
        lines.append(f"{key.label}: {kind}, {limits}")
    return lines


# --- the import --------------------------------------------------------------------------------------------


def check_xlsx(data):
    """Refuse anything that is not a plausible XLSX before a parser touches it."""
    try:
        xlsx.check_upload(data, max_bytes=MAX_BYTES, max_unpacked=MAX_UNCOMPRESSED, max_entries=MAX_ENTRIES,
                          max_ratio=MAX_RATIO)
    except xlsx.UnsafeWorkbook as exc:
        raise ImportErrors(str(exc)) from None
    # the sizes above are what the zip claims; the platform's upload check unpacks with bounds whatever it claims
    try:
        kind, _what = detect_type(BytesIO(data))
    except UploadRefused as exc:
        raise ImportErrors(exc.messages) from None
    if kind != FileType.XLSX:
        raise ImportErrors(_("This is not an XLSX file. Download the template and fill it in."))


def _cell_error(row, column_index, key, problem):
    cell = _("row %(row)s, column %(col)s (%(label)s)") % {
        "row": row, "col": get_column_letter(column_index), "label": Column(key).label()}
    return _("%(cell)s: %(problem)s") % {"cell": cell, "problem": problem}


def _number(value, key):
    """Decimal from a cell, or an error text."""
    if isinstance(value, (bool, datetime, date)):
        return None, _("“%(value)s” is not a number") % {"value": value}
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("，", "")
        if text.endswith("%"):
            text = text[:-1]
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None, _("“%(value)s” is not a number") % {"value": value[:40]}
    elif isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    else:
        return None, _("“%(value)s” is not a number") % {"value": str(value)[:40]}
    if not number.is_finite():
        return None, _("“%(value)s” is not a number") % {"value": value}
    low, high, whole = STATISTIC_LIMITS[StatisticKey(key)]
    if whole and number != number.to_integral_value():
        return None, _("%(value)s is not a whole number") % {"value": number}
    if (low is not None and number < low) or (high is not None and number > high):
        return None, _("%(value)s is outside %(low)s – %(high)s") % {
            "value": number, "low": low, "high": "∞" if high is None else high}
    if abs(number) >= Decimal("1e12") or number.as_tuple().exponent < -4:
        number = number.quantize(Decimal("0.0001"))
    return number, None


def _year_value(raw):
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        return None
    return int(value) if value.is_finite() and value == value.to_integral_value() else None


def parse(data, year):
    """Rows of {column key: value} from the upload, or ImportErrors listing every problem."""
    check_xlsx(data)
    try:
        # read at most one row past the limit (rows missing in the file count too, so data far below is
        # seen as "too many rows", never silently left out); the bound keeps a million-row sheet cheap
        rows = xlsx.read_rows(data, sheet=SHEET, max_rows=MAX_ROWS + 1)
    except xlsx.UnsafeWorkbook as exc:
        raise ImportErrors(str(exc)) from None
    if not rows:
        raise ImportErrors(_("The sheet is empty."))
    errors = []
    aliases = header_aliases()
    header = {}
    for index, value in enumerate(rows[0], start=1):
        text = str(value).strip() if value is not None else ""
        if not text:
            continue
        key = aliases.get(text)
        if key is None:
            errors.append(_("Row 1, column %(col)s: unknown column “%(text)s”.")
                          % {"col": get_column_letter(index), "text": text[:60]})
        elif key in header.values():
            errors.append(_("Row 1, column %(col)s: the column “%(text)s” appears twice.")
                          % {"col": get_column_letter(index), "text": text[:60]})
        else:
            header[index] = key
    for column in COLUMNS:
        if column.key not in header.values():
            errors.append(_("Missing column: %(label)s.") % {"label": column.label()})
    if errors:
        raise ImportErrors(errors)
    if len(rows) > MAX_ROWS + 1:
        raise ImportErrors(_("The sheet has more than %(n)s rows.") % {"n": MAX_ROWS})
    columns = {key: i for i, key in header.items()}

    def cell_error(row_number, key, problem):
        errors.append(_cell_error(row_number, columns[key], key, problem))

    records = ((row_number, {key: (values[i - 1] if i - 1 < len(values) else None) for i, key in header.items()})
               for row_number, values in enumerate(rows[1:], start=2))
    parsed = validate_rows(records, year, cell_error)
    if not parsed and not errors:
        errors.append(_("The sheet has no data rows."))
    if errors:
        raise CellErrors(errors)
    return parsed


def validate_rows(records, year, on_error):
    """The figures of ``records`` (pairs of a row number and {column key: raw value}), checked one by one.

    The same rules serve the XLSX import and the API: ``on_error(row_number, key, problem)`` receives every
    problem, and the caller decides how to name the place (a cell, or a JSON field). Empty rows are skipped."""
    periods = period_aliases()
    parsed, seen = [], {}
    for row_number, cells in records:
        cells = {column.key: cells.get(column.key) for column in COLUMNS}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            continue
        record = {}

        def error(key, problem, row_number=row_number):
            on_error(row_number, key, problem)

        if _year_value(cells["year"]) != year.year:
            error("year", _("the year must be %(year)s") % {"year": year.year})
        period = periods.get(str(cells["period"]).strip()) if cells["period"] is not None else None
        if period is None:
            error("period", _("write %(choices)s") % {"choices": " / ".join(str(p.label) for p in Period)})
        elif period in seen:
            error("period", _("the same period is already in row %(row)s") % {"row": seen[period]})
        else:
            seen[period] = row_number
        record["period"] = period
        for key in StatisticKey.values:
            value = cells[key]
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            number, problem = _number(value, key)
            if problem:
                error(key, problem)
            else:
                record[key] = number
        note = "" if cells["note"] is None else str(cells["note"]).strip()
        if len(note) > 500:
            error("note", _("at most 500 characters"))
        record["note"] = note[:500]
        parsed.append(record)
    return parsed


def _save_figures(*, year, rows, filename, sha256, actor=None, source_system="", client_key=""):
    record = StatisticsImport.objects.create(year=year, filename=filename[:200], rows=len(rows), sha256=sha256,
                                             uploaded_by=actor, source_system=source_system[:100],
                                             client_key=client_key[:100])
    StatisticFigure.objects.filter(year=year, period__in=[r["period"] for r in rows]).delete()
    StatisticFigure.objects.bulk_create(
        StatisticFigure(year=year, period=r["period"], key=key, value=r[key], note=r["note"], source_import=record)
        for r in rows for key in StatisticKey.values if key in r)
    return record


def statistics_push(*, system_name, year, rows, client_key):
    """Figures sent by another government system through the API: the same checks as the XLSX import and the
    same all-or-nothing save, idempotent by the client's key (the same key and the same rows give back the
    first import; the same key with other rows is refused). ``rows`` is a list of {column key: value}.

    Raises ImportErrors whose ``error_dict`` maps ``rows[i].key`` to the problems."""
    require_editable(year)
    payload = json.dumps(rows, sort_keys=True, ensure_ascii=False, default=str).encode()
    digest = hashlib.sha256(payload).hexdigest()
    earlier = StatisticsImport.objects.filter(source_system=system_name, client_key=client_key).first()
    if earlier is not None:
        if earlier.sha256 != digest or earlier.year_id != year.pk:
            raise ImportErrors(_("This idempotency key was already used for other figures. Send new figures "
                                 "with a new key."))
        return earlier, False
    problems = {}

    def field_error(index, key, problem):
        problems.setdefault(f"rows[{index}].{key}", []).append(str(problem))

    if not isinstance(rows, list) or not rows:
        raise ImportErrors({"rows": [_("Send at least one row of figures.")]})
    if len(rows) > MAX_ROWS:
        raise ImportErrors({"rows": [_("The sheet has more than %(n)s rows.") % {"n": MAX_ROWS}]})
    parsed = validate_rows(((i, row if isinstance(row, dict) else {}) for i, row in enumerate(rows)), year,
                           field_error)
    if not parsed and not problems:
        problems["rows"] = [_("The sheet has no data rows.")]
    if problems:
        raise ImportErrors(problems)
    with transaction.atomic():
        record = _save_figures(year=year, rows=parsed, filename=_("Sent by %(system)s") % {"system": system_name},
                               sha256=digest, source_system=system_name, client_key=client_key)
        audit_record(actor=None, actor_name=system_name, action="evaluation.statistics_import", obj=year,
                     data={"rows": len(parsed), "system": system_name, "tech_sha256": digest,
                           "tech_client_key": client_key})
    return record, True


def statistics_import(*, actor, year, filename, data):
    """Validate the whole file, then replace the year's figures of the periods it contains, atomically."""
    require(actor, "evaluation.edit_evaluation")
    require_editable(year)
    filename = upload_name(filename, FileType.XLSX)
    rows = parse(data, year)
    with transaction.atomic():
        record = _save_figures(year=year, rows=rows, filename=filename, sha256=hashlib.sha256(data).hexdigest(),
                               actor=actor)
        audit_record(actor=actor, action="evaluation.statistics_import", obj=year,
                     data={"file": filename[:100], "rows": len(rows), "tech_sha256": record.sha256})
    return record
