"""SSRF and local-file reads through the application PDF renderer (WeasyPrint).

A real HTTP server listens on a free loopback port in a thread. The application's and the company profile's free
text carry HTML that would make a renderer fetch from it or read /etc/passwd (img, stylesheet link, @import, inline
style url(), iframe/object/embed, PDF attachment links). The PDF built by the view shows that text literally, the
server receives NO request, and no line of /etc/passwd reaches the PDF. The same HTML given to the renderer
unescaped (as if a template forgot to escape) still fetches nothing: the URL fetcher only serves the platform's
own static files."""

import http.server
import shutil
import socket
import subprocess
import threading
import zlib

import pytest
from django.urls import reverse

from applications.pdf import render_pdf
from applications.services import application_submit
from applications.workflow import Status
from tests.factories import ProfiledEnterpriseFactory
from tests.factories.applications import application_in, attach_required, browser, enterprise_user

pytestmark = pytest.mark.django_db
PASSWD = "root:x:0:0"


class Recorder(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the http.server API
        self.server.requests.append(self.path)
        body = b"body{background:red} root:x:0:0:root:/root:/bin/bash"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def listener():
    """A real local HTTP server on a free port; ``listener.requests`` lists every path asked for."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Recorder)
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    # the listener really answers (so "no request" below means nobody asked, not that nobody could)
    with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
        conn.sendall(b"GET /probe HTTP/1.0\r\n\r\n")
        assert b"200" in conn.recv(100)
    server.requests.clear()
    server.base = base
    yield server
    server.shutdown()
    server.server_close()


def hostile_html(base):
    return [
        f'<img src="{base}/img">',
        '<link rel=stylesheet href="file:///etc/passwd">',
        f"<style>@import url({base}/import);</style>",
        f'<div style="background:url({base}/bg)">x</div>',
        f'<link rel="stylesheet" href="{base}/css">',
        '<iframe src="file:///etc/passwd"></iframe><object data="file:///etc/passwd"></object>',
        f'<embed src="{base}/embed"><a rel="attachment" href="file:///etc/passwd">附件</a>',
        f'<svg><image href="{base}/svg"/></svg>',
    ]


def pdf_text(content, tmp_path):
    path = tmp_path / "out.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def inflated_streams(pdf):
    """Every Flate stream of the PDF, unpacked (embedded files and fonts are compressed)."""
    out, start = [], 0
    while (start := pdf.find(b"stream", start)) != -1:
        begin = pdf.find(b"\n", start) + 1
        end = pdf.find(b"endstream", begin)
        try:
            out.append(zlib.decompress(pdf[begin:end].rstrip(b"\r\n")))
        except zlib.error:
            pass
        start = end if end != -1 else begin
    return b"".join(out)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_the_application_pdf_fetches_nothing_and_reads_no_local_file(listener, tmp_path):
    parts = hostile_html(listener.base)
    enterprise = ProfiledEnterpriseFactory(address=parts[0][:200], bank_name=parts[1][:100],
                                           legal_representative=parts[2][:50])
    app = application_in(Status.DRAFT, enterprise=enterprise, project_name=parts[4][:200],
                         location=parts[3][:200], description="".join(parts), expected_outcomes="".join(parts),
                         other_subsidy=True, other_subsidy_detail=parts[5][:300])
    user = enterprise_user(app)
    attach_required(app, user)
    application_submit(application=app, actor=user, declaration=True)
    response = browser(user).get(reverse("applications:pdf", args=[app.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert listener.requests == []
    text = pdf_text(response.content, tmp_path)
    flat = "".join(text.split())
    assert f'<imgsrc="{listener.base}/img">' in flat  # the markup is shown as the text it is
    assert "file:///etc/passwd" in flat
    assert PASSWD not in text and PASSWD.encode() not in inflated_streams(response.content)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")
def test_unescaped_hostile_html_still_fetches_nothing(listener, tmp_path, monkeypatch):
    asked = []
    from applications import pdf as pdf_module

    original = pdf_module.static_path

    def spy(url):
        asked.append(url)
        return original(url)

    monkeypatch.setattr(pdf_module, "static_path", spy)
    html = "<html><head>{}</head><body><p>测试</p>{}</body></html>".format(
        "".join(hostile_html(listener.base)[:3]), "".join(hostile_html(listener.base)))
    content = render_pdf(html)
    assert content.startswith(b"%PDF")
    assert listener.requests == []
    assert asked and all(not url.startswith("static:") for url in asked)  # asked for, and every one refused
    assert PASSWD not in pdf_text(content, tmp_path) and PASSWD.encode() not in inflated_streams(content)
    assert b"/EmbeddedFile" not in content  # the rel=attachment link embedded nothing


def test_own_static_files_still_load(listener):
    """The fetcher is not simply broken: the platform's own static files are served (fonts, logo)."""
    content = render_pdf('<html><body><img src="static:/img/favicon.svg"><p>测试</p></body></html>')
    assert content.startswith(b"%PDF") and listener.requests == []
