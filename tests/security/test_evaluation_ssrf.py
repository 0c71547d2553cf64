"""SSRF and local-file reads through the report PDF renderer, with user data, through the real report path.

The narratives, judgement basis, deviation reasons, indicator names, scoring rules, statistics notes, the unit
and the fund name hold HTML that would make a renderer fetch: <img> and <iframe> to a local HTTP server and to
file:///etc/passwd, a stylesheet <link>, <style>@import, CSS url(), <object>, <embed>, <svg><image>. A real
http.server listens on a free loopback port in a thread while staff press "generate" and download the PDF.

It must receive no request at all, and the PDF text must not contain the password file. A control render of
the same HTML with WeasyPrint's default fetcher does reach the server: the trap works, so silence means safety.
(tests/evaluation/test_pdf_fetcher.py tests the fetcher directly.)"""

import http.server
import shutil
import threading

import pytest
from django.urls import reverse

from accounts.roles import Role
from evaluation.services import years
from tests.factories.evaluation import year_with_catalogue
from tests.security.test_evaluation_xss import pdf_text, put_text, report

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")]


class Trap(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (the http.server API)
        self.server.hits.append(self.path)
        body = b"root:x:0:0:trap:/root:/bin/sh" if self.path.endswith(".txt") else b"body{color:red}"
        self.send_response(200)
        self.send_header("Content-Type", "text/css" if self.path.endswith(".css") else "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def trap():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Trap)
    server.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def payloads(port):
    origin = f"http://127.0.0.1:{port}"
    return [
        f'<img src="{origin}/img.png">',
        '<img src="file:///etc/passwd">',
        '<link rel=stylesheet href="file:///etc/passwd">',
        f'<link rel="stylesheet" href="{origin}/link.css">',
        f"<style>@import url({origin}/import.css);</style>",
        f'<style>body{{background:url("{origin}/bg.png")}}</style>',
        '<iframe src="file:///etc/passwd"></iframe>',
        f'<iframe src="{origin}/frame.txt"></iframe>',
        f'<object data="{origin}/object.txt"></object><embed src="{origin}/embed.png">',
        f'<svg><image href="{origin}/svg.png"/></svg>',
        f'<p style="background-image:url({origin}/inline.png)">x</p>',
    ]


def test_no_request_and_no_local_file_through_the_report(trap, user_for, client_for, tmp_path,
                                                         django_capture_on_commit_callbacks):
    year, city = year_with_catalogue(2021), user_for(Role.CITY)
    html = "".join(payloads(trap.server_port))
    put_text(year, city, html)
    # the short fields get one payload each
    for number, payload in zip((13, 14, 15), payloads(trap.server_port), strict=False):
        ind = year.indicators.get(number=number)
        ind.name = payload[:100]
        years.indicator_save(actor=city, indicator=ind, fields=["name"])
    pdf, _xlsx = report(client_for(city), django_capture_on_commit_callbacks)
    assert trap.hits == [], f"the PDF renderer fetched {trap.hits}"
    text = pdf_text(pdf, tmp_path)
    assert "root:x:0:0" not in text
    assert f"127.0.0.1:{trap.server_port}/img.png" in "".join(text.split())  # shown as text, not fetched


def test_the_trap_catches_a_renderer_that_fetches(trap):
    """Control: WeasyPrint without the platform's fetcher does fetch, so the test above could fail."""
    from weasyprint import HTML

    HTML(string="".join(payloads(trap.server_port)[:1])).write_pdf()
    assert trap.hits == ["/img.png"]


def test_the_report_pages_do_not_leak_the_local_file(trap, client_for, user_for):
    year, city = year_with_catalogue(2021), user_for(Role.CITY)
    put_text(year, city, "".join(payloads(trap.server_port)))
    page = client_for(city).get(reverse("evaluation:year_detail", args=[2021])).content.decode()
    assert "root:x:0:0" not in page and '<img src="http://127.0.0.1' not in page
