"""The one XLSX writer of the platform: every export and every template goes through it.

A sheet is declared, not drawn: ``write_sheet(workbook, title, subtitle, columns, rows)`` writes

* a title row naming what the file holds (the caller says which year / filter, e.g. "2021年度 中原区 申报汇总表"),
  an optional subtitle row (the filters, the date it was produced), optional free rows (``preamble``),
* the header row (Chinese labels, bold, shaded), frozen so it stays in view,
* the rows, each value written as its column's ``kind`` says: text, money (a number shown '#,##0.00'),
  int, number, date, datetime or percent (a fraction shown '0.00%'),

in openpyxl's write-only mode (the rows are streamed, never all in memory).

Text is always a text cell: control characters openpyxl refuses are dropped (they would make the whole
export fail), and text starting with = + - @ (or a tab / carriage return) gets a leading apostrophe, so
Excel or WPS shows it and never evaluates it.
"""

import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from io import BytesIO

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_CELL_TEXT = 32767  # what Excel holds in one cell; a longer text makes it "repair" the file
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {
    "money": "#,##0.00",  # 万元 or yuan, always two places with thousands separators
    "int": "0",
    "number": "0.00",
    "percent": "0.00%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
KINDS = {"text", "auto", *FORMATS}
NUMBER_KINDS = ("money", "int", "number", "percent")
NUMBER_TYPES = frozenset({int, float, Decimal})  # exactly these (not bool): written as numbers in a number column
HEADER_FILL = PatternFill("solid", fgColor="DBE4F3")
TITLE_FONT = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Column:
    """One column: its (translated) header, its width in characters and the kind of its values."""

    header: str
    width: float = 14
    kind: str = "text"
    number_format: str | None = None  # instead of the kind's format, e.g. "0.0" for a criterion's points
    wrap: bool = False  # long text wrapped inside the cell

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class Value:
    """A value written as another kind than its column's (a label/value sheet, a total row)."""

    value: object
    kind: str = "auto"
    bold: bool = False
    number_format: str | None = None


def safe_text(value):
    """The text as it may be written to a cell: control characters dropped, formula-like starts neutralised,
    cut to what a cell holds."""
    text = str(value)
    if not text.isprintable():  # most text is: then there is nothing to drop (isprintable is the cheap test)
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    text = "'" + text if text.startswith(FORMULA_STARTS) else text
    return text[:MAX_CELL_TEXT]


def cell(sheet, value, kind="auto", *, number_format=None, bold=False):
    """One cell of ``sheet`` holding ``value`` as ``kind`` (``auto``: as its Python type says)."""
    if isinstance(value, Value):
        return cell(sheet, value.value, value.kind, number_format=value.number_format, bold=value.bold)
    written, data_type, cell_format = _typed(value, kind, number_format)
    return _new_cell(sheet, written, data_type, _style(sheet, {}, cell_format, bold, False))


# --- writing values fast -------------------------------------------------------------------------------------
# A sheet may hold a million cells: each value is typed by a function chosen once per column, and written as a
# plain value (openpyxl's own cell) when it needs no style and openpyxl would type it the same way; a cell of our
# own only when it carries a style (number format, bold, wrap) or is text openpyxl would take for an error code.
# Styles are made once per sheet and copied into each cell.

def _typed(value, kind, number_format):
    """``value`` as it is written in a ``kind`` column: (value, data type: "s" "n" "d" or None for an empty
    cell, number format or None). Text is safe_text: a text cell, never a formula."""
    if kind == "auto":
        kind = _auto_kind(value)
    if value is None or value == "":
        return None, None, (number_format or FORMATS.get(kind)) if kind != "text" else None
    if kind in ("date", "datetime") and isinstance(value, date):
        if isinstance(value, datetime):
            if timezone.is_aware(value):
                value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones: local time
            return value, "d", number_format or FORMATS["datetime"]
        return value, "d", number_format or FORMATS["date"]
    if kind in (*NUMBER_KINDS, "auto") and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return value, "n", number_format or FORMATS.get(kind)
    return safe_text(value), "s", None


def _auto_kind(value):
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | date):
        return "text"
    if isinstance(value, datetime):
        return "datetime"
    if isinstance(value, date):
        return "date"
    return "auto"  # a number, written without a format


def _style(sheet, styles, number_format, bold, wrap):
    """The style of a cell with this number format, bold, wrapped (None: no style), made once per ``styles``."""
    if not (number_format or bold or wrap):
        return None
    key = (number_format, bold, wrap)
    if key not in styles:
        model = WriteOnlyCell(sheet)
        if number_format:
            model.number_format = number_format
        if bold:
            model.font = Font(bold=True)
        if wrap:
            model.alignment = WRAP
        styles[key] = model._style
    return styles[key]


def _new_cell(sheet, value, data_type, style):
    result = Cell(sheet, row=1, column=1, style_array=style)  # the style is copied
    if data_type is not None:
        result._value, result.data_type = value, data_type  # typed already: openpyxl need not guess
    return result


def _column_writer(sheet, column, bold, styles):
    """value -> what ``sheet.append`` takes for it in ``column``: a plain value or a cell. The commonest values
    (text in a text column, a number in a number column, nothing) take the shortest path."""
    kind, number_format, wrap = column.kind, column.number_format, column.wrap
    plain_text = kind in ("text", "auto") and not (bold or wrap)  # text and nothing written without a style
    number_style = _style(sheet, styles, number_format or FORMATS[kind], bold, wrap) if kind in NUMBER_KINDS \
        else None

    def write(value):
        if value.__class__ is str and value and plain_text and kind == "text":
            text = safe_text(value)
            return text if text not in ERROR_CODES else _new_cell(sheet, text, "s", None)
        if number_style is not None and value.__class__ in NUMBER_TYPES:
            return _new_cell(sheet, value, "n", number_style)
        if value is None and plain_text:
            return None
        if isinstance(value, Value):
            return cell(sheet, value)
        written, data_type, cell_format = _typed(value, kind, number_format)
        style = _style(sheet, styles, cell_format, bold, wrap)
        if style is None and data_type != "d" and not (data_type == "s" and written in ERROR_CODES):
            return written  # openpyxl types it the same: str -> "s", a number -> "n", None -> nothing
        return _new_cell(sheet, written, data_type, style)

    return write


def _append_cells(sheet, values, row_idx):
    """openpyxl's write-only row conversion (``_values_to_row``), taking a cell as it is: openpyxl's own first
    tries every cell as a value, which fails and formats an error message, once per cell. It replaces a private
    method of openpyxl (pinned in requirements.txt): recheck tests/core/test_xlsx.py, which reads back the cells
    and styles written, when upgrading it. Only write_sheet's rows come here: a plain text is ``safe_text``
    already (no formula start, no illegal character, not too long, not an error code), so it is stored as
    text without openpyxl checking it a second time."""
    plain = None
    for col_idx, value in enumerate(values, 1):
        if value is None:
            continue
        if isinstance(value, Cell):
            written = value
        else:
            if plain is None:
                plain = WriteOnlyCell(sheet)
            if value.__class__ is str:
                plain._value, plain.data_type = value, "s"  # what openpyxl's value setter makes of safe text
            else:
                plain.value = value
            written = plain
        written.column, written.row = col_idx, row_idx
        yield written
        if written is plain and plain.has_style:
            plain = None  # openpyxl gave it a style (a date's format): the next value gets a clean cell


def new_workbook(*, write_only=True):
    """An empty workbook; write-only (streamed) unless the caller needs what only a full sheet has
    (data validation in an import template)."""
    workbook = Workbook(write_only=write_only)
    if not write_only:
        workbook.remove(workbook.active)
    return workbook


def safe_sheet_title(title, taken=()):
    """A sheet name Excel accepts (no []:*?/\\ nor control characters, at most 31) and not yet ``taken``."""
    cleaned = ILLEGAL_CHARACTERS_RE.sub("", "".join(ch for ch in str(title) if ch not in "[]:*?/\\")).strip("'")
    cleaned = cleaned[:31] or "Sheet"
    number, candidate = 1, cleaned
    while candidate in taken:
        number += 1
        suffix = f" ({number})"
        candidate = cleaned[:31 - len(suffix)] + suffix
    return candidate


def _plain_row(sheet, values, *, bold=False):
    return [cell(sheet, value, bold=bold) for value in values]


def write_sheet(workbook, title, subtitle, columns, rows, *, name=None, preamble=(), footer=(), frozen_columns=0):
    """Add one sheet to ``workbook`` and write it; returns the sheet.

    ``title``: what the file holds, with its year / filter; ``subtitle``: one more line (filters, date) or
    empty; ``columns``: [Column]; ``rows``: an iterable of value lists in the columns' order (a ``Value``
    overrides a column's kind); ``preamble``: free rows between the title and the header; ``footer``: rows
    after the data, typed by the columns like the data (a total row). ``name``: the tab (default: title).
    An empty ``title`` writes no title rows: only for an import template, whose first row the import reads
    as its header (its title then goes on the instructions sheet). ``frozen_columns``: columns kept in view
    when scrolling sideways.
    """
    sheet = workbook.create_sheet(title=safe_sheet_title(name or title or "Sheet", workbook.sheetnames))
    if isinstance(sheet, WriteOnlyWorksheet):
        sheet._values_to_row = partial(_append_cells, sheet)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    preamble = list(preamble)
    header_at = (1 + bool(subtitle) if title else 0) + len(preamble) + 1
    if columns:  # set before the first row: the sheet is streamed
        sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{header_at + 1}"
    if title:
        head = cell(sheet, title)
        head.font = TITLE_FONT
        head.alignment = Alignment(horizontal="left")
        sheet.append([head])
        if subtitle:
            sheet.append([cell(sheet, subtitle)])
    for values in preamble:
        sheet.append(_plain_row(sheet, values))
    if columns:
        sheet.append([_header_cell(sheet, column.header) for column in columns])
    for values in _typed_rows(sheet, columns, rows):
        sheet.append(values)
    for values in _typed_rows(sheet, columns, footer, bold=True):
        sheet.append(values)
    return sheet


def _header_cell(sheet, label):
    result = cell(sheet, str(label), "text", bold=True)
    result.fill = HEADER_FILL
    result.alignment = WRAP
    return result


def _typed_rows(sheet, columns, rows, *, bold=False):
    """The rows as ``sheet.append`` takes them, each value written as its column says (a ``Value`` as it says;
    a value beyond the columns as its type says)."""
    styles = {}
    writers = [_column_writer(sheet, column, bold, styles) for column in columns]
    count = len(writers)
    for values in rows:
        if not isinstance(values, list | tuple):
            values = list(values)
        out = [write(value) for write, value in zip(writers, values, strict=False)]
        if len(values) > count:
            out.extend(cell(sheet, value, bold=bold) for value in values[count:])
        yield out


def describe_filters(form, values):
    """'Status: Submitted; Category: …' for the filters that were set (labels and chosen options of ``form``)."""
    parts = []
    for name, value in (values or {}).items():
        field = form.fields.get(name) if form is not None else None
        if field is None or value in (None, "", False):
            continue
        if value is True:
            parts.append(str(field.label))
            continue
        if not hasattr(value, "pk"):
            value = dict(getattr(field, "choices", ()) or ()).get(value, value)
        parts.append(_("%(label)s: %(value)s") % {"label": field.label, "value": value})
    return _("; ").join(parts)


def export_subtitle(form=None, values=None):
    """The second row of a filtered export: its filters (when any were set) and when it was produced."""
    produced = _("Produced on %(date)s") % {"date": f"{timezone.localtime():%Y-%m-%d %H:%M}"}
    described = describe_filters(form, values)
    return _("Filters: %(filters)s; %(produced)s") % {"filters": described, "produced": produced} if described \
        else produced


def save(workbook, fileobj):
    """Write ``workbook`` to a file object (a stored bank file, a temporary file)."""
    workbook.save(fileobj)
    return fileobj


def workbook_bytes(workbook):
    """The file as bytes (a report kept in storage, a small template)."""
    return save(workbook, BytesIO()).getvalue()


def workbook_response(workbook, filename):
    """Save to a temporary file (never the whole sheet in memory) and send it as a download."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    save(workbook, handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


# --- reading uploaded workbooks ------------------------------------------------------------------------------

class UnsafeWorkbook(ValueError):
    """The upload is not a workbook the platform will open; ``str()`` says why, for the uploader."""


def check_upload(data, *, max_bytes=2 * 1024 * 1024, max_unpacked=20 * 1024 * 1024, max_entries=200,
                 max_ratio=100):
    """Refuse anything that is not a plausible XLSX before a parser touches it: size, zip structure, the parts
    an XLSX must have, what the zip claims to unpack to (total, per entry ratio), and links to other files."""
    import zipfile

    if len(data) > max_bytes:
        raise UnsafeWorkbook(_("The file is larger than %(mb)s MB.") % {"mb": max_bytes // (1024 * 1024)})
    if not data.startswith(b"PK\x03\x04"):
        raise UnsafeWorkbook(_("This is not an XLSX file. Download the template and fill it in."))
    try:
        infos = zipfile.ZipFile(BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsafeWorkbook(_("The XLSX file is damaged and cannot be opened.")) from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise UnsafeWorkbook(_("This is not an XLSX file. Download the template and fill it in."))
    if len(infos) > max_entries or sum(info.file_size for info in infos) > max_unpacked:
        raise UnsafeWorkbook(_("The file unpacks to more than the allowed size."))
    for info in infos:
        if info.file_size > 1024 and info.file_size > max_ratio * max(info.compress_size, 1):
            raise UnsafeWorkbook(_("The file unpacks to more than the allowed size."))
    if any(name.startswith("xl/externalLinks/") for name in names):
        raise UnsafeWorkbook(_("The workbook links to other files (external links). Copy the figures in as "
                               "values, then upload again."))


def read_rows(data, *, sheet=None, max_rows=10000):
    """The values of the first (or the named) sheet as tuples, at most ``max_rows + 1`` rows (so a caller sees
    "too many" without reading a million). Call check_upload first. Formulas are refused: an import takes
    figures, not calculations."""
    from itertools import islice

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds for broken files  # noqa: BLE001
        raise UnsafeWorkbook(_("The XLSX file is damaged and cannot be opened.")) from None
    try:
        ws = workbook[sheet] if sheet and sheet in workbook.sheetnames else workbook.worksheets[0]
        cells = list(islice(ws.iter_rows(min_row=1, max_row=1048576), max_rows + 1))
    finally:
        workbook.close()
    formulas = [c.coordinate for row in cells for c in row if getattr(c, "data_type", None) == "f"]
    if formulas:
        raise UnsafeWorkbook(_("Cells %(cells)s contain formulas. Enter the figures themselves (copy and paste as "
                               "values), then upload again.") % {"cells": ", ".join(formulas[:10])})
    return [tuple(c.value for c in row) for row in cells]

