"""User text through the disbursements outputs: pages, XLSX exports and the bank file.

Every free-text field (budget and batch notes, return reasons, cancellation reasons, tranche purposes, bank
return values, programme titles, tender notes and numbers, contract numbers, acceptance notes, report file
names) and every name coming from enterprise profiles (organisation, bank account name, bank) and applications
(project name, in the commitment's purpose) carries an XSS payload: every page shows it escaped, never as
markup. In the XLSX files no cell is a formula and every text starting with = + - @ tab or CR is neutralised.
The bank file (XLSX, sent to the bank) carries payee data exactly as approved: a value a bank file cannot
carry (a leading = + - @, line breaks, control or bidi characters) is refused when the tranche is prepared,
and commas, quotes and long names go through unchanged (a cell has no delimiter to break).
The app produces no PDF (the only PDFs are the uploaded diagnosis reports, served as attachments).
"""

import io
import re
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from disbursements.models import Payment, Reconciliation
from disbursements.services import (
    batch_approve,
    batch_create,
    batch_return,
    batch_send,
    batch_submit,
    budget_entry_add,
    contract_accept,
    contract_complete,
    payment_prepare,
    payment_rule_set,
    programme_create,
    provider_create,
    reconciliation_import,
    report_upload,
    target_add,
    tender_record,
)
from tests.factories import UserFactory
from tests.factories import disbursements as f
from tests.factories.applications import MINIMAL_PDF, ProfiledEnterpriseFactory, enterprise_user
from tests.helpers import response_bytes, xlsx_cells

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil","点我")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def xss(marker, short=False):
    if short:  # for 60-character fields
        return f"<script>{marker}</script>"
    return f'"><script>alert("{marker}")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def hostile():
    """One of everything, each free-text field carrying its own marked payload."""
    city, prep, appr = UserFactory.for_role(Role.CITY), f.preparer(), f.approver()
    enterprise = ProfiledEnterpriseFactory(name=xss("ename"), bank_account_name=xss("acct"), bank_name=xss("bank"))
    application = f.budget_listed_application(enterprise=enterprise, project_name=xss("project"))
    commitment = f.commitment("3000.00", application=application)
    paid = payment_prepare(actor=prep, commitment=commitment, amount="1000.00", purpose=xss("purpose"))
    failed = payment_prepare(actor=prep, commitment=commitment, amount="1000.00")
    batch = batch_create(actor=prep, payments=[paid, failed], note=xss("bnote"))
    batch_submit(actor=prep, batch=batch)
    batch_approve(actor=appr, batch=batch)
    batch_send(actor=prep, batch=batch)
    paid.refresh_from_db()
    failed.refresh_from_db()
    rows = [f.return_row(paid, bank_ref="'=1+1"), f.return_row(failed, result="失败", bank_ref="", value_date="",
                                                                 reason=xss("reason"))]
    reconciliation_import(actor=prep, upload=f.return_file(rows, name=xss("file") + ".xlsx"))
    bad = f.return_row(paid, result=xss("result"), bank_ref="X2")  # refused: the result is no known word
    again = f.return_row(failed, result="失败", bank_ref="", value_date="", reason="同上")  # already recorded
    reconciliation_import(actor=prep, upload=f.return_file([bad, again]))
    returned = batch_create(actor=prep, commitments=[f.sibling(commitment, "10.00")])
    batch_submit(actor=prep, batch=returned)
    batch_return(actor=appr, batch=returned, reason=xss("return"))
    for index, text in enumerate([xss("bentry"), *FORMULAS]):
        budget_entry_add(actor=prep, fund_year=commitment.fund_year, kind="received", amount="1.00",
                         date=date(commitment.fund_year, 1, 1 + index), note=text)
    payment_rule_set(actor=city, fund_year=commitment.fund_year, days=30, note=xss("rule"))
    programme = programme_create(actor=city, year=2021, title=xss("title"))
    provider = provider_create(actor=city, name=xss("provider"), credit_code=f.credit_code(7),
                               bank_name="中国银行", bank_account_no="41050100000012345678")
    contract = tender_record(actor=city, programme=programme, provider=provider, tender_date=date(2021, 1, 20),
                             contract_amount="1000.00", notice_no=xss("notice", short=True),
                             contract_no=xss("cno", short=True), notes=xss("tnotes"))
    target = target_add(actor=city, contract=contract, enterprise=enterprise, selected_on=date(2021, 2, 1))
    report_upload(actor=city, target=target, upload=f.upload(MINIMAL_PDF, xss("rname") + ".pdf"))
    contract_complete(actor=city, contract=contract)
    contract.refresh_from_db()
    contract_accept(actor=city, contract=contract, result="failed", notes=xss("anotes"))
    return {"city": city, "prep": prep, "appr": appr, "enterprise": enterprise, "commitment": commitment,
            "batch": batch, "returned": returned, "programme": programme, "contract": contract, "target": target,
            "year": commitment.fund_year, "paid": paid}


def pages(w):
    """(user, url) of every disbursements page that shows user text."""
    first, second = Reconciliation.objects.order_by("pk")
    year = w["year"]
    return [
        (w["prep"], reverse("disbursements:payments")),
        (w["prep"], reverse("disbursements:payments") + "?q=%3Cscript%3E"),
        (w["prep"], reverse("disbursements:commitments")),
        (w["prep"], reverse("disbursements:commitment_detail", args=[w["commitment"].pk])),
        (w["prep"], reverse("disbursements:batches")),
        (w["prep"], reverse("disbursements:batch_new")),
        (w["prep"], reverse("disbursements:batch_detail", args=[w["batch"].pk])),
        (w["prep"], reverse("disbursements:batch_detail", args=[w["returned"].pk])),
        (w["prep"], reverse("disbursements:reconciliations")),
        (w["prep"], reverse("disbursements:reconciliation_detail", args=[first.pk])),
        (w["prep"], reverse("disbursements:reconciliation_detail", args=[second.pk])),
        (w["prep"], reverse("disbursements:budget") + f"?year={year}"),
        (w["city"], reverse("disbursements:programmes")),
        (w["city"], reverse("disbursements:programme_detail", args=[w["programme"].pk])),
        (w["city"], reverse("disbursements:contract_detail", args=[w["contract"].pk])),
        (enterprise_user(w["enterprise"]), reverse("disbursements:my_funds")),
        (enterprise_user(w["enterprise"]), reverse("disbursements:commitment_detail", args=[w["commitment"].pk])),
    ]


# the tranche's purpose is shown in the files only (bank file, exports); the tender notes are not shown;
# file names (return file, report) are cleaned when stored: <, >, " and / never reach a page
MARKERS = ["ename", "acct", "bank", "project", "bnote", "reason", "result", "return", "bentry", "title", "provider",
           "notice", "cno", "anotes"]


def test_every_payload_is_escaped_on_every_page(client_for, hostile):
    seen = set()
    for user, url in pages(hostile):
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)", text), f"inline script in {url}"
        assert not re.search(r"<img[^>]*onerror", text), f"live event handler in {url}"
        seen |= {m for m in MARKERS if f"&lt;script&gt;alert(&quot;{m}&quot;)" in text
                 or f"&lt;script&gt;{m}&lt;/script&gt;" in text}
    # every field was really shown somewhere (else this test would prove nothing for it)
    assert seen == set(MARKERS), set(MARKERS) - seen
    hostile["target"].refresh_from_db()
    names = [hostile["target"].report_name, *Reconciliation.objects.values_list("file_name", flat=True)]
    assert all(not re.search(r'[<>"/]', name) for name in names), names


def assert_no_formula(content, name):
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in xml or "<f " in xml for xml in sheets), f"formula element in {name}"
    for cell in xlsx_cells(content):
        assert cell.data_type != "f", (name, cell.coordinate, cell.value)
        if isinstance(cell.value, str):
            assert not cell.value.startswith(("=", "+", "-", "@", "\t", "\r")), (name, cell.coordinate, cell.value)


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response_bytes(response)


def test_xlsx_exports_carry_no_formula(client_for, hostile):
    client = client_for(hostile["prep"])
    files = {
        "payments": download(client, reverse("disbursements:payments_export")),
        "budget": download(client, reverse("disbursements:budget_export") + f"?year={hostile['year']}"),
        "bank file": download(client, reverse("disbursements:bank_file", args=[hostile["batch"].pk])),
        "return template": download(client, reverse("disbursements:return_template", args=[hostile["batch"].pk])),
    }
    for name, content in files.items():
        assert_no_formula(content, name)
    notes = [c.value for c in xlsx_cells(files["budget"]) if isinstance(c.value, str)]
    for text in FORMULAS:  # each neutralised with a leading apostrophe, the rest kept (XML reads CR as LF)
        assert "'" + text.replace("\r", "\n") in notes
    references = [c.value for c in xlsx_cells(files["payments"]) if isinstance(c.value, str)]
    assert "'=1+1" in references  # a bank reference that looks like a formula (from the bank's file)
    payees = [c.value for c in xlsx_cells(files["bank file"])]
    assert xss("acct") in payees and xss("purpose") in payees  # exactly as approved: text, not markup


def test_control_characters_in_a_profile_do_not_break_the_exports(client_for, hostile):
    """openpyxl refuses control characters: an enterprise name with one must not break everybody's export."""
    organisation = hostile["enterprise"]
    organisation.name = "郑州\x0b测试\x1b公司"
    organisation.save()
    content = download(client_for(hostile["prep"]), reverse("disbursements:payments_export"))
    assert "郑州测试公司" in [c.value for c in xlsx_cells(content)]


@pytest.mark.parametrize("value", ["=cmd|' /C calc'!A0", "+86 公司", "-公司", "@SUM(A1)", "郑州\n公司", "郑州\t公司",
                                   "郑州\r公司", "公司\u202eexe", "公司\u200b", "郑州\x07公司"])
@pytest.mark.parametrize("field", ["bank_account_name", "bank_name"])
def test_bank_data_a_bank_file_cannot_carry_is_refused(client_for, field, value):
    commitment = f.commitment("500.00")
    payee = commitment.payee
    setattr(payee, field, value)
    payee.save()
    client = client_for(f.preparer())
    before = f.snapshot()
    response = client.post(reverse("disbursements:commitment_detail", args=[commitment.pk]),
                           {"amount": "123.45", "purpose": ""})
    assert response.status_code == 400
    errors = " ".join(response.context["form"].non_field_errors())
    assert "无法写入银行文件" in errors
    assert 'value="123.45"' in response.content.decode()
    assert f.changes(before, f.snapshot()) == {}


@pytest.mark.parametrize("purpose", ["=1+1", "+1", "-1", "@A1"])
def test_purpose_starting_like_a_formula_is_refused(client_for, purpose):
    commitment = f.commitment("500.00")
    client = client_for(f.preparer())
    before = f.snapshot()
    response = client.post(reverse("disbursements:commitment_detail", args=[commitment.pk]),
                           {"amount": "100.00", "purpose": purpose})
    assert response.status_code == 400 and "公式" in " ".join(response.context["form"].errors["purpose"])
    assert f.changes(before, f.snapshot()) == {}


def test_commas_quotes_long_names_and_line_breaks_in_the_bank_file(client_for):
    name = '郑州"精密",制造;有限公司 \'A\' ' + "长" * 170
    commitment = f.commitment("500.00", application=f.budget_listed_application(
        enterprise=ProfiledEnterpriseFactory(bank_account_name=name), project_name="第一行\n第二行\t第三行"))
    prep, appr = f.preparer(), f.approver()
    batch = f.sent_batch(prep, appr, [commitment])
    payment = Payment.objects.get(batch=batch)
    assert payment.payee_name == name.strip() and "\n" not in payment.purpose and "\t" not in payment.purpose
    content = download(client_for(prep), reverse("disbursements:bank_file", args=[batch.pk]))
    assert_no_formula(content, "bank file")
    row = next(load_workbook(io.BytesIO(content)).worksheets[0].iter_rows(min_row=2, max_row=2, values_only=True))
    assert row[1] == name.strip() and row[5] == payment.purpose and row[6] == payment.reference
    assert row[2] == payment.payee_account  # the account stays text (no 6.2E+18)
