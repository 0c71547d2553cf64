"""Helpers for the full-cycle browser test: screenshots of each step, the Chinese text of a msgid, the bank's
return file, and the steps of the acceptance and the clawback (shared with test_aftercare_flow.py)."""

import re
import traceback
from datetime import timedelta
from decimal import Decimal
from io import BytesIO

from axe_playwright_python.sync_playwright import Axe
from django.core.signals import got_request_exception
from django.utils import timezone, translation
from openpyxl import load_workbook
from playwright.sync_api import expect

from aftercare.models import Acceptance, Clawback
from aftercare.workflow import ClawbackStatus
from aftercare.workflow import Status as AcceptanceStatus
from disbursements.models import BudgetEntry
from tests.factories.applications import enterprise_user
from tests.helpers import browser_login


def zh(msgid):
    """The Chinese the UI shows for an English msgid (the same catalogue the pages use)."""
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def serious(page):
    """The serious and critical axe-core violations of the page as it is now."""
    return [v for v in Axe().run(page).response["violations"] if v.get("impact") in {"serious", "critical"}]


def visitor(browser, width=390):
    return browser.new_context(viewport={"width": width, "height": 844}).new_page()


class Shots:
    """``shots(page, "step")`` saves artifacts/full-cycle/NN-step.png (full page)."""

    def __init__(self, root):
        self.dir = root / "full-cycle"
        self.dir.mkdir(parents=True, exist_ok=True)
        for old in self.dir.glob("*.png"):  # a stale picture must not pass for this run's
            old.unlink()
        self.n = 0

    def __call__(self, page, step):
        self.n += 1
        path = self.dir / f"{self.n:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 5000, path
        return path

    def failure(self, browser):
        """On a failure, keep every open page as it was (FAILED-...png) so the report can show where it stopped."""
        for c, context in enumerate(browser.contexts):
            for p, page in enumerate(context.pages):
                page.screenshot(path=str(self.dir / f"FAILED-{self.n + 1:02d}-{c}-{p}.png"), full_page=True)


def bank_return(bank_file, references):
    """The bank's return file: the bank file with status, bank serial number and booking date filled in, one
    reference per payment row in the file's order."""
    book = load_workbook(BytesIO(bank_file))
    sheet = book.worksheets[0]
    for column, value in ((8, "状态"), (9, "银行流水号"), (10, "入账日期")):
        sheet.cell(row=1, column=column, value=value)
    assert sheet.max_row == len(references) + 1, (sheet.max_row, references)
    for row, reference in enumerate(references, start=2):
        for column, value in ((8, "成功"), (9, reference), (10, timezone.localdate().isoformat())):
            sheet.cell(row=row, column=column, value=value)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


# --- the acceptance (验收) and the clawback, on a project's page /aftercare/<pk>/ ---------------------------------

def submit_completion_report(page, *, investment, invoices, equipment, files):
    """The enterprise fills in and submits its completion report on the project's page, with ``files``."""
    page.get_by_label(zh("Actual investment (yuan)")).fill(investment)
    page.get_by_label(zh("Invoice total (yuan)")).fill(invoices)
    page.get_by_label(zh("Equipment list")).fill(equipment)
    page.get_by_label(zh("Documents and photos (PDF, JPG, PNG, Word, Excel)")).set_input_files([str(f) for f in files])
    page.get_by_role("button", name=zh("Submit the completion report")).click()
    page.get_by_text(files[0].name).first.wait_for()


def record_inspection(page, *, visit, inspectors, findings, recommendation):
    """The county records its visit; ``recommendation`` is the msgid of the choice ("Pass", "Rectify", "Fail")."""
    page.get_by_label(zh("Visit date")).fill(visit)
    page.get_by_label(zh("Inspectors")).fill(inspectors)
    page.get_by_label(zh("Findings")).fill(findings)
    page.get_by_label(zh(recommendation), exact=True).check()
    page.get_by_role("button", name=zh("Record the inspection")).click()
    page.get_by_text(findings).first.wait_for()


def decide_acceptance(page, decision, note=""):
    """The city decides; ``decision`` is the msgid of the choice ("Accept the project", "Open a clawback")."""
    page.get_by_label(zh(decision)).check()
    if note:
        page.locator("#id_note").fill(note)
    page.get_by_role("button", name=zh("Record the decision")).click()
    page.get_by_role("heading", name=zh("City decision")).wait_for()


def propose_clawback(page, *, amount, due, basis, reason):
    page.get_by_label(zh("Amount to recover (yuan)")).fill(amount)
    page.get_by_label(zh("Refund deadline")).fill(due)
    page.get_by_label(zh("Legal basis")).fill(basis)
    page.get_by_label(zh("Reason")).fill(reason)
    page.get_by_role("button", name=zh("Propose the clawback")).click()
    page.get_by_role("heading", name=zh("Clawback"), exact=True).wait_for()


def record_refund(page, *, amount, received, reference):
    page.get_by_label(zh("Amount received (yuan)")).fill(amount)
    page.get_by_label(zh("Received on")).fill(received)
    page.get_by_label(zh("Bank reference")).fill(reference)
    page.get_by_role("button", name=zh("Record the refund")).click()
    page.get_by_role("cell", name=reference).wait_for()


def run_acceptance(base, browser, snap, firm_page, county_page, city_page, project, files):
    """The first project: the enterprise (at phone width) reports its completion with a document and a photo,
    the county inspects and recommends, the city accepts."""
    firm_page.set_viewport_size({"width": 390, "height": 844})
    firm_page.goto(f"{base}/aftercare/")
    firm_page.get_by_role("link", name=project.application.project_name).click()
    firm_page.wait_for_url(re.compile(rf"/aftercare/{project.pk}/$"))
    submit_completion_report(firm_page, investment="30000000", invoices="20500000",
                             equipment="智能加工中心 4台\n工业机器人 6台", files=files)
    assert firm_page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(firm_page.get_by_text(files[1].name)).to_be_visible()
    assert serious(firm_page) == []
    snap(firm_page, "enterprise-completion-report-390")
    acceptance = Acceptance.objects.get(commitment=project)
    assert acceptance.status == AcceptanceStatus.SUBMITTED and acceptance.files.count() == 2

    county_page.goto(f"{base}/aftercare/{project.pk}/")
    record_inspection(county_page, visit=timezone.localdate().isoformat(), inspectors="李科长、赵工",
                      findings="设备已全部到位并投产，与申报一致。", recommendation="Pass")
    snap(county_page, "county-inspected")
    city_page.goto(f"{base}/aftercare/{project.pk}/")
    decide_acceptance(city_page, "Accept the project")
    expect(city_page.locator("main")).to_contain_text(zh("Accepted"))
    acceptance.refresh_from_db()
    assert acceptance.status == AcceptanceStatus.ACCEPTED and acceptance.recommendation == "pass"
    assert acceptance.visit_date == timezone.localdate() and acceptance.inspectors == "李科长、赵工"
    snap(city_page, "city-accepted")


def run_clawback(base, browser, snap, county_page, city_page, city2, prep, project, report_pdf):
    """The second project fails its acceptance: city officer A proposes to recover 60 万元 with the reason and
    the legal basis, officer B confirms, the enterprise reads the notice with the deadline, 25 万元 come back and
    the clawback stays open for the other 35 万元."""
    firm2 = browser_login(browser, base, enterprise_user(project.application), width=390)
    firm2.goto(f"{base}/aftercare/{project.pk}/")
    submit_completion_report(firm2, investment="3000000", invoices="2800000", equipment="数控机床 1台",
                             files=[report_pdf])
    county_page.goto(f"{base}/aftercare/{project.pk}/")
    record_inspection(county_page, visit=timezone.localdate().isoformat(), inspectors="李科长",
                      findings="主体设备未购置，项目未按计划实施。", recommendation="Fail")
    city_page.goto(f"{base}/aftercare/{project.pk}/")
    decide_acceptance(city_page, "Open a clawback", note="项目未按计划实施")
    due = timezone.localdate() + timedelta(days=30)
    propose_clawback(city_page, amount="600000", due=due.isoformat(), basis="《专项资金管理办法》第二十条",
                     reason="主体设备未购置，按未实施部分追回奖补资金。")
    expect(city_page.get_by_role("button", name=zh("Confirm the clawback"))).to_have_count(0)  # four eyes
    expect(city_page.get_by_role("button", name=zh("Withdraw the proposal"))).to_be_visible()
    assert serious(city_page) == []
    snap(city_page, "city-clawback-proposed")
    second = browser_login(browser, base, city2)
    second.goto(f"{base}/aftercare/{project.pk}/")
    second.get_by_role("button", name=zh("Confirm the clawback")).click()
    expect(second.locator("main")).to_contain_text(zh("Decided, awaiting the refund"))
    snap(second, "second-officer-confirmed")
    second.context.close()

    firm2.goto(f"{base}/notifications/")
    notice = firm2.locator("main").get_by_text(re.compile(due.isoformat())).first
    expect(notice).to_be_visible()
    expect(firm2.locator("main")).to_contain_text(project.application.project_name)
    firm2.goto(f"{base}/aftercare/{project.pk}/")
    expect(firm2.locator("main")).to_contain_text(due.isoformat())
    expect(firm2.locator("main")).to_contain_text("600,000.00")
    assert firm2.evaluate("document.documentElement.scrollWidth") <= 390 and serious(firm2) == []
    snap(firm2, "enterprise-refund-notice-390")
    firm2.context.close()

    prep.goto(f"{base}/aftercare/{project.pk}/")
    record_refund(prep, amount="250000", received=timezone.localdate().isoformat(), reference="TK2021120001")
    snap(prep, "finance-partial-refund")
    clawback = Clawback.objects.get(acceptance__commitment=project)
    assert clawback.status == ClawbackStatus.CONFIRMED  # open: 350,000 yuan outstanding
    assert [(r.amount, r.bank_reference) for r in clawback.refunds.all()] == [(Decimal("250000.00"), "TK2021120001")]
    returned = BudgetEntry.objects.get(kind=BudgetEntry.Kind.RETURNED)
    assert (returned.fund_year, returned.amount) == (2021, Decimal("250000.00"))


class ServerErrors:
    """Collects the traceback of every 500 the live server answers, so a failure names the server's error."""

    def __init__(self):
        self.errors = []

    def __enter__(self):
        got_request_exception.connect(self.record)
        return self

    def __exit__(self, *exc):
        got_request_exception.disconnect(self.record)

    def record(self, sender, request=None, **kwargs):
        path = getattr(request, "path", "?")
        self.errors.append(f"{getattr(request, 'method', '?')} {path}\n{traceback.format_exc()}")
