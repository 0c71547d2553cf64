"""Shared XLSX helpers: write-only (streamed) workbooks and formula-injection-safe cells.

Any text starting with = + - @ (or a tab / carriage return) would be taken for a formula by Excel or WPS:
it is written as a text cell with a leading apostrophe, so it is shown, never evaluated.
"""

import tempfile
from decimal import Decimal

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(value):
    """The text as it may be written to a cell: formula-like starts are neutralised with an apostrophe."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell(sheet, value, *, number_format=None, bold=False):
    """A write-only cell; strings are always stored as text (data_type 's'), numbers stay numbers."""
    if isinstance(value, str):
        result = WriteOnlyCell(sheet, value=safe_text(value))
        result.data_type = "s"
    elif isinstance(value, bool) or value is None or isinstance(value, int | float | Decimal):
        result = WriteOnlyCell(sheet, value=value)
    else:
        result = WriteOnlyCell(sheet, value=safe_text(value))
        result.data_type = "s"
    if number_format:
        result.number_format = number_format
    if bold:
        result.font = Font(bold=True)
    return result


def header_row(sheet, labels):
    return [cell(sheet, str(label), bold=True) for label in labels]


def title_row(sheet, text):
    result = cell(sheet, str(text), bold=True)
    result.alignment = Alignment(horizontal="left")
    return [result]


def new_workbook(title):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=safe_sheet_title(title))
    return workbook, sheet


def safe_sheet_title(title):
    cleaned = "".join(ch for ch in str(title) if ch not in '[]:*?/\\')
    return cleaned[:31] or "Sheet1"


def workbook_response(workbook, filename):
    """Save to a temporary file (never the whole sheet in memory) and send it as a download."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
