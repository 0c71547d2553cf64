"""SSRF and local-file reads through the report PDF renderer, with user data, through the real report path.

The narratives, judgement basis, deviation reasons, indicator names, scoring rules, statistics notes, the unit
and the fund name hold HTML that would make a renderer fetch: <img> and <iframe> to a local HTTP server and to
file:///etc/passwd, a stylesheet <link>, <style>@import, CSS url(), <object>, <embed>, <svg><image>. A real
http.server listens on a free loopback port in a thread while staff press "generate" and download the PDF.

It must receive no request at all, and the PDF text must not contain the password file. A control render of
the same HTML with WeasyPrint's default fetcher does reach the server: the trap works, so silence means safety.
(tests/evaluation/test_pdf_fetcher.py tests the fetcher directly.)"""


import pytest
from django.urls import reverse

from accounts.roles import Role
from evaluation.services import years
from tests.factories.evaluation import year_with_catalogue
from tests.helpers import needs_pdftotext, pdf_text
from tests.security.ssrf import PASSWD, payloads
from tests.security.test_evaluation_xss import put_text, report

pytestmark = [pytest.mark.django_db, needs_pdftotext]


def test_no_request_and_no_local_file_through_the_report(trap, user_for, client_for, tmp_path,
                                                         django_capture_on_commit_callbacks):
    year, city = year_with_catalogue(2021), user_for(Role.CITY)
    html = "".join(payloads(trap.origin))
    put_text(year, city, html)
    # the short fields get one payload each
    for number, payload in zip((13, 14, 15), payloads(trap.origin), strict=False):
        ind = year.indicators.get(number=number)
        ind.name = payload[:100]
        years.indicator_save(actor=city, indicator=ind, fields=["name"])
    pdf, _xlsx = report(client_for(city), django_capture_on_commit_callbacks)
    assert trap.hits == [], f"the PDF renderer fetched {trap.hits}"
    text = pdf_text(pdf)
    assert PASSWD not in text
    assert f"127.0.0.1:{trap.port}/img.png" in "".join(text.split())  # shown as text, not fetched


def test_the_trap_catches_a_renderer_that_fetches(trap):
    """Control: WeasyPrint without the platform's fetcher does fetch, so the test above could fail."""
    from weasyprint import HTML

    HTML(string="".join(payloads(trap.origin)[:1])).write_pdf()
    assert trap.hits == ["/img.png"]


def test_the_report_pages_do_not_leak_the_local_file(trap, client_for, user_for):
    year, city = year_with_catalogue(2021), user_for(Role.CITY)
    put_text(year, city, "".join(payloads(trap.origin)))
    page = client_for(city).get(reverse("evaluation:year_detail", args=[2021])).content.decode()
    assert PASSWD not in page and '<img src="http://127.0.0.1' not in page
