"""SSRF and local-file reads through the publicity notice PDF (reviews/exports.py → core.pdf's WeasyPrint fetcher).

A real HTTP server listens on a free local port for the whole test. HTML that would make a renderer fetch from it
or read /etc/passwd is put into every free-text field the notice prints (title, notice, enterprise, project): the
template escapes it, so it is printed as text. The same HTML handed to the renderer unescaped (defence in depth:
a template mistake must not open the network) is refused by the fetcher. The server receives no request and the
PDF never contains the password file."""

import shutil
import subprocess
import threading
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from applications.workflow import Status
from reviews import exports
from reviews.services.publicity import publicity_create, publicity_publish
from tests.factories import UserFactory
from tests.factories.applications import category_with_rules
from tests.factories.reviews import logged_in, with_proposal

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")]
PASSWD = "root:x:0:0"


@pytest.fixture
def listener():
    """A local HTTP server on a free port; ``hits`` lists every path requested from it."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            hits.append(self.path)
            body = b"body{background:red}" if self.path.endswith("css") else b"GIF89a"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_address[1]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/alive", timeout=5) as response:  # the server works
        assert response.status == 200
    assert hits == ["/alive"]
    hits.clear()
    yield port, hits
    server.shutdown()
    server.server_close()


def payloads(port):
    origin = f"http://127.0.0.1:{port}"
    return [
        f'<img src="{origin}/img.png">',
        '<link rel=stylesheet href="file:///etc/passwd">',
        f"<style>@import url({origin}/c.css);</style>",
        f'<link rel="stylesheet" href="{origin}/l.css">',
        '<img src="file:///etc/passwd"><iframe src="file:///etc/passwd"></iframe>',
        f'<object data="{origin}/o"></object><embed src="{origin}/e">',
        f'<div style="background:url({origin}/bg.png)">x</div>',
        f'<base href="{origin}/"><img src="relative.png">',
        f'<svg><image href="{origin}/svg.png"/></svg>',
        '<img src="../../../../../../etc/passwd"><img src="/static/../../../../etc/passwd">',
    ]


def pdf_text(pdf):
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def test_html_in_the_notice_fields_fetches_nothing(listener):
    port, hits = listener
    html = "".join(payloads(port))
    city = UserFactory(role=Role.CITY)
    category = category_with_rules()
    app = with_proposal(Status.AUDITED, city, category, project_name=payloads(port)[0])
    app.enterprise.name = payloads(port)[2]
    app.enterprise.save(update_fields=["name"])
    publicity = publicity_create(actor=city, round_=category.round, title=payloads(port)[3], notice=html)
    publicity_publish(actor=city, publicity=publicity)
    for client, url in ((Client(), reverse("publicity:notice_pdf", args=[publicity.pk])),
                        (logged_in(city), reverse("reviews:publicity_pdf", args=[publicity.pk]))):
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        text = pdf_text(response.content)
        assert PASSWD not in text
        assert f"127.0.0.1:{port}/img.png" in text  # printed as text, not loaded
        assert "file:///etc/passwd" in "".join(text.split())
    assert hits == [], f"the PDF renderer requested {hits}"


def test_the_renderer_itself_refuses_network_and_files_for_unescaped_html(listener):
    """Defence in depth: even HTML that escaped the template reaches neither the network nor the disk."""
    port, hits = listener
    html = ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<link rel='stylesheet' href='http://127.0.0.1:{port}/head.css'></head><body><p>公示</p>"
            + "".join(payloads(port)) + "</body></html>")
    pdf = exports._render_pdf(html)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "公示" in text and PASSWD not in text
    assert hits == [], f"the PDF renderer requested {hits}"
