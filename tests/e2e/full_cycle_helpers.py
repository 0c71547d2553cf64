"""Helpers for the full-cycle browser test: logging in any role (with its second factor), screenshots of each
step, the Chinese text of a msgid, and the bank's return file."""

import traceback
from io import BytesIO

from django.core.signals import got_request_exception
from django.utils import timezone, translation
from openpyxl import load_workbook


def zh(msgid):
    """The Chinese the UI shows for an English msgid (the same catalogue the pages use)."""
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


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


def bank_return(bank_file, reference):
    """The bank's return file: the bank file with status, bank serial number and booking date filled in."""
    book = load_workbook(BytesIO(bank_file))
    sheet = book.worksheets[0]
    for column, value in ((8, "状态"), (9, "银行流水号"), (10, "入账日期")):
        sheet.cell(row=1, column=column, value=value)
    for column, value in ((8, "成功"), (9, reference), (10, timezone.localdate().isoformat())):
        sheet.cell(row=2, column=column, value=value)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


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
