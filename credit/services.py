"""Importing a credit list: an XLSX or CSV file, every row checked (the unified social credit code by its
GB 32100 check character), every problem reported by row, and nothing saved unless every row is valid."""

import csv
import hashlib
import io
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from accounts.validators import validate_credit_code
from core import xlsx
from core.audit import audit_record
from core.permissions import require

from .models import CreditList, CreditRecord

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20000
HEADERS = {
    "code": ("统一社会信用代码", "信用代码", "credit code", "unified social credit code"),
    "name": ("名称", "企业名称", "单位名称", "被执行人", "name"),
    "reason": ("列入原因", "原因", "失信情形", "reason"),
    "listed_on": ("列入日期", "认定日期", "发布日期", "date", "listed on"),
}

# Sent after a list is saved (inside the import's transaction): the applications stage checks its open
# applications against it and tells the staff concerned.
credit_list_imported = Signal()


class CreditImportErrors(ValidationError):
    """All problems of one file; nothing was saved."""


def _decode_csv(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return [tuple(row) for row in csv.reader(io.StringIO(text))]
    raise CreditImportErrors(_("The CSV file is neither UTF-8 nor GB18030 text."))


def read_table(filename, data):
    """The file's rows as tuples (XLSX or CSV by its content, not its name)."""
    if len(data) > MAX_BYTES:
        raise CreditImportErrors(_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    if data.startswith(b"PK\x03\x04"):
        try:
            xlsx.check_upload(data, max_bytes=MAX_BYTES, max_unpacked=50 * 1024 * 1024, max_entries=400)
            return xlsx.read_rows(data, max_rows=MAX_ROWS + 1)
        except xlsx.UnsafeWorkbook as exc:
            raise CreditImportErrors(str(exc)) from None
    if b"\x00" in data[:4096]:
        raise CreditImportErrors(_("Upload the list as an XLSX or CSV file."))
    return _decode_csv(data)


def _date(value):
    if value in (None, ""):
        return None, None
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    text = str(value).strip().replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date(), None
        except ValueError:
            continue
    return None, _("“%(value)s” is not a date (write 2021-03-15)") % {"value": text[:20]}


def parse(filename, data):
    """[{code, name, reason, listed_on}] from the file, or CreditImportErrors listing every problem by row."""
    rows = read_table(filename, data)
    rows = [row for row in rows if any(v not in (None, "") and str(v).strip() for v in row)]
    if not rows:
        raise CreditImportErrors(_("The file has no rows."))
    header = {}
    for index, value in enumerate(rows[0]):
        text = str(value or "").strip().lower()
        for key, names in HEADERS.items():
            if text in {n.lower() for n in names} and key not in header:
                header[key] = index
    missing = [HEADERS[key][0] for key in ("code", "name") if key not in header]
    if missing:
        raise CreditImportErrors(_("Row 1 must name the columns; missing: %(cols)s.") % {"cols": "、".join(missing)})
    if len(rows) - 1 > MAX_ROWS:
        raise CreditImportErrors(_("The list has more than %(n)s rows; split it into several files.")
                                 % {"n": MAX_ROWS})
    records, errors, seen = [], [], {}
    for number, row in enumerate(rows[1:], start=2):
        def cell(key, row=row):
            index = header.get(key)
            value = row[index] if index is not None and index < len(row) else None
            return value.strip() if isinstance(value, str) else value

        code = str(cell("code") or "").strip().upper()
        name = str(cell("name") or "").strip()
        problems = []
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            problems.append(_("credit code %(code)s: %(why)s") % {"code": code[:20] or "—", "why": exc.messages[0]})
        else:
            if code in seen:
                problems.append(_("credit code %(code)s is already in row %(row)s") % {"code": code, "row": seen[code]})
            seen.setdefault(code, number)
        if not name:
            problems.append(_("the name is empty"))
        listed_on, problem = _date(cell("listed_on"))
        if problem:
            problems.append(problem)
        reason = str(cell("reason") or "").strip()
        if len(reason) > 500 or len(name) > 200:
            problems.append(_("a text is too long (name 200, reason 500 characters at most)"))
        if problems:
            errors.append(_("Row %(row)s: %(problems)s") % {"row": number, "problems": "；".join(problems)})
        else:
            records.append({"code": code, "name": name, "reason": reason, "listed_on": listed_on})
    if errors:
        raise CreditImportErrors(errors)
    if not records:
        raise CreditImportErrors(_("The file has no rows."))
    return records


def credit_list_import(*, actor, kind, source, published_on, filename, data):
    """Validate the whole file, then save the list and its records in one transaction; returns the list."""
    require(actor, "credit.import_lists")
    source = (source or "").strip()
    if not source:
        raise CreditImportErrors(_("Name who published the list."))
    records = parse(filename, data)
    with transaction.atomic(durable=True):
        credit_list = CreditList.objects.create(kind=kind, source=source[:100], published_on=published_on,
                                                filename=(filename or "")[:200], rows=len(records),
                                                sha256=hashlib.sha256(data).hexdigest(), imported_by=actor)
        CreditRecord.objects.bulk_create(
            CreditRecord(credit_list=credit_list, credit_code=r["code"], name=r["name"][:200], reason=r["reason"],
                         listed_on=r["listed_on"]) for r in records)
        audit_record(actor=actor, action="credit.list_import", obj=credit_list,
                     data={"count": len(records), "list": str(credit_list.get_kind_display()), "source": source,
                           "date": published_on.isoformat(), "tech_sha256": credit_list.sha256})
        credit_list_imported.send(sender=CreditList, credit_list=credit_list, actor=actor)
    return credit_list
