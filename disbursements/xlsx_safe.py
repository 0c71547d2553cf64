"""XLSX writing for this app on top of the shared, formula-injection-safe ``core.xlsx`` helpers.

Adds what the money files need: real date cells (Excel has no time zones: local time), amounts with a
thousands format, several sheets per workbook, and writing to any file object (the bank file is kept).
"""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.xlsx import XLSX_CONTENT_TYPE, safe_sheet_title, safe_text, workbook_response
from core.xlsx import cell as text_or_number_cell

__all__ = ["XLSX_CONTENT_TYPE", "cell", "safe_text", "write_workbook", "xlsx_response"]


def cell(sheet, value, bold=False):
    if isinstance(value, str):
        # control characters are refused by openpyxl (the export would fail for everybody): drop them
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, date):
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)
        out = WriteOnlyCell(sheet, value=value)
        out.number_format = "yyyy-mm-dd hh:mm" if isinstance(value, datetime) else "yyyy-mm-dd"
        if bold:
            out.font = Font(bold=True)
        return out
    if isinstance(value, Decimal):
        return text_or_number_cell(sheet, value, number_format="#,##0.00", bold=bold)
    return text_or_number_cell(sheet, value, bold=bold)


def build_workbook(sheets):
    """``sheets``: iterable of (title, header, rows, widths or None); rows are iterables of plain values."""
    workbook = Workbook(write_only=True)
    for title, header, rows, widths in sheets:
        sheet = workbook.create_sheet(title=safe_sheet_title(title))
        for index, width in enumerate(widths or [], start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if header:
            sheet.append([cell(sheet, str(h), bold=True) for h in header])
        for row in rows:
            sheet.append([cell(sheet, v) for v in row])
    return workbook


def write_workbook(fileobj, sheets):
    build_workbook(sheets).save(fileobj)
    return fileobj


def xlsx_response(filename, sheets):
    """Streamed from a temporary file (write-only mode: the rows are never all in memory)."""
    return workbook_response(build_workbook(sheets), filename)
