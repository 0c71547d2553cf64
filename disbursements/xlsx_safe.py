"""Formula-injection-safe XLSX writing with openpyxl's write-only mode.

Every string goes out as a text cell (never a formula); strings that a spreadsheet would read as a formula
(leading = + - @, tab, CR, or their full-width forms) also get a leading apostrophe, as OWASP advises for
CSV/XLSX. Numbers (Decimal, int) stay numbers; dates stay dates.
"""

import tempfile
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(value):
    text = str(value)
    return f"'{text}" if text.startswith(DANGEROUS_START) else text


def cell(sheet, value, bold=False, number_format=None):
    if value is None:
        out = WriteOnlyCell(sheet, value=None)
    elif isinstance(value, bool):
        out = WriteOnlyCell(sheet, value=str(value))
        out.data_type = "s"
    elif isinstance(value, (int, float, Decimal, date, datetime)):
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = timezone.localtime(value).replace(tzinfo=None)  # Excel has no time zones: local time
        out = WriteOnlyCell(sheet, value=value)
        if isinstance(value, Decimal):
            out.number_format = "#,##0.00"
        elif isinstance(value, datetime):
            out.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            out.number_format = "yyyy-mm-dd"
    else:
        out = WriteOnlyCell(sheet, value=safe_text(value))
        out.data_type = "s"  # text, even if it looks like a formula
    if bold:
        out.font = Font(bold=True)
    if number_format:
        out.number_format = number_format
    return out


def write_workbook(fileobj, sheets):
    """``sheets``: iterable of (title, header, rows, widths or None); rows are iterables of plain values."""
    workbook = Workbook(write_only=True)
    for title, header, rows, widths in sheets:
        sheet = workbook.create_sheet(title=safe_text(title)[:31].replace("'", ""))
        for index, width in enumerate(widths or [], start=1):
            sheet.column_dimensions[_column_letter(index)].width = width
        if header:
            sheet.append([cell(sheet, h, bold=True) for h in header])
        for row in rows:
            sheet.append([cell(sheet, v) for v in row])
    workbook.save(fileobj)
    return fileobj


def xlsx_response(filename, sheets):
    """Write the workbook to a temporary file (write-only: rows never all in memory) and stream it."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it after streaming
    write_workbook(handle, sheets)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def _column_letter(index):
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
