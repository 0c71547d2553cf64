"""XLSX files: formula injection is neutralised; numbers stay numbers; the bank file carries the batch."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.xlsx import Column, new_workbook, safe_text, save, write_sheet
from tests.factories import disbursements as f
from tests.helpers import login, xlsx_book

pytestmark = pytest.mark.django_db
EVIL = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1"]


def test_dangerous_strings_become_text():
    workbook = new_workbook()
    write_sheet(workbook, "表", "", [Column("名称"), Column("金额", kind="money")],
                [[text, Decimal("1.50")] for text in EVIL])
    sheet = load_workbook(BytesIO(save(workbook, BytesIO()).getvalue())).worksheets[0]
    cells = list(sheet.iter_rows(min_row=3))
    for (name, amount), text in zip(cells, EVIL, strict=True):
        assert name.data_type == "s" and name.value == "'" + text
        assert amount.data_type == "n" and amount.value == 1.5
    assert safe_text("郑州公司") == "郑州公司" and safe_text("a=b") == "a=b"


def _raw_xml(content):
    import zipfile

    with zipfile.ZipFile(BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_bank_file_and_payments_export_do_not_carry_formulas(client, prep, appr):
    commitment = f.commitment("1000.00")
    payee = commitment.payee
    payee.name = "=cmd|' /C calc'!A0"  # shown in the payments export (the bank file uses the account name)
    payee.bank_account_name = "郑州测试制造有限公司"
    payee.save()
    batch = f.sent_batch(prep, appr, [commitment])
    login(client, prep)
    bank = b"".join(client.get(reverse("disbursements:bank_file", args=[batch.pk])).streaming_content)
    assert "<f>" not in _raw_xml(bank)
    sheet = load_workbook(BytesIO(bank)).worksheets[0]
    assert sheet["A1"].value == "序号" and sheet.freeze_panes == "A2"  # the header in row 1, for the bank's system
    summary = load_workbook(BytesIO(bank)).worksheets[1]
    assert summary["A1"].value == f"批次{batch.reference}银行代发文件"
    row = next(sheet.iter_rows(min_row=2, max_row=2))
    assert row[1].value == "郑州测试制造有限公司" and row[1].data_type == "s"
    assert row[2].data_type == "s" and row[2].value == payee.bank_account_no  # account kept as text
    assert row[4].data_type == "n" and Decimal(str(row[4].value)) == Decimal("1000.00")
    export = client.get(reverse("disbursements:payments_export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    content = b"".join(export.streaming_content)
    assert "<f>" not in _raw_xml(content)
    names = [row[2] for row in load_workbook(BytesIO(content)).worksheets[0].iter_rows(min_row=4, values_only=True)]
    assert names == ["'=cmd|' /C calc'!A0"]


def test_payments_export_row_names_status_batch_people_and_dates(client, prep, appr):
    from django.conf import settings
    from django.utils import translation

    from disbursements.workflow import PaymentStatus

    commitment = f.commitment("1000.00")
    batch = f.sent_batch(prep, appr, [commitment])
    payment = batch.payments.get()
    login(client, prep)
    content = b"".join(client.get(reverse("disbursements:payments_export")).streaming_content)
    row = next(load_workbook(BytesIO(content)).worksheets[0].iter_rows(min_row=4, max_row=4, values_only=True))
    with translation.override(settings.LANGUAGE_CODE):
        status = str(PaymentStatus(payment.status).label)
    county = commitment.county.name if commitment.county else ""
    assert row[:4] == (payment.reference, commitment.fund_year, commitment.payee.name, county or None)
    assert row[5] == payment.tranche and Decimal(str(row[6])) == Decimal("1000.00") and row[7] == status
    assert row[8:11] == (batch.reference, str(prep), str(appr)) and row[14].date() == commitment.due_date


def test_budget_export(client, prep, appr):
    commitment = f.commitment("1000.00")
    f.sent_batch(prep, appr, [commitment])
    login(client, prep)
    response = client.get(reverse("disbursements:budget_export") + f"?year={commitment.fund_year}")
    book = xlsx_book(response)
    assert len(book.worksheets) == 4
    assert book.worksheets[0]["A1"].value == f"{commitment.fund_year}年度预算执行情况"
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(min_row=4, values_only=True)}
    assert summary["已核定"] == 1000  # committed, a number
    category = list(book.worksheets[2].iter_rows(min_row=4, values_only=True))
    assert category[0][0] == commitment.application.category.name
