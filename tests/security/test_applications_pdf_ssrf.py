"""SSRF and local-file reads through the application PDF renderer (WeasyPrint).

A real HTTP server listens on a free loopback port in a thread. The application's and the company profile's free
text carry HTML that would make a renderer fetch from it or read /etc/passwd (img, stylesheet link, @import, inline
style url(), iframe/object/embed, PDF attachment links). The PDF built by the view shows that text literally, the
server receives NO request, and no line of /etc/passwd reaches the PDF. The same HTML given to the renderer
unescaped (as if a template forgot to escape) still fetches nothing: the URL fetcher only serves the platform's
own static files."""

import zlib

import pytest
from django.urls import reverse

from applications.pdf import render_pdf
from applications.services import application_submit
from applications.workflow import Status
from tests.factories import ProfiledEnterpriseFactory
from tests.factories.applications import application_in, attach_required, browser, enterprise_user
from tests.helpers import needs_pdftotext, pdf_text
from tests.security.ssrf import PASSWD
from tests.security.ssrf import payloads as hostile_html

pytestmark = pytest.mark.django_db
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


@needs_pdftotext
def test_the_application_pdf_fetches_nothing_and_reads_no_local_file(trap):
    parts = hostile_html(trap.origin)
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
    assert trap.hits == []
    text = pdf_text(response.content, layout=True)
    flat = "".join(text.split())
    assert f'<imgsrc="{trap.origin}/img.png">' in flat  # the markup is shown as the text it is
    assert "file:///etc/passwd" in flat
    assert PASSWD not in text and PASSWD.encode() not in inflated_streams(response.content)


@needs_pdftotext
def test_unescaped_hostile_html_still_fetches_nothing(trap, monkeypatch):
    asked = []
    from applications import pdf as pdf_module

    original = pdf_module.static_path

    def spy(url):
        asked.append(url)
        return original(url)

    monkeypatch.setattr(pdf_module, "static_path", spy)
    html = "<html><head>{}</head><body><p>测试</p>{}</body></html>".format(
        "".join(hostile_html(trap.origin)[:3]), "".join(hostile_html(trap.origin)))
    content = render_pdf(html)
    assert content.startswith(b"%PDF")
    assert trap.hits == []
    assert asked and all(not url.startswith("static:") for url in asked)  # asked for, and every one refused
    assert PASSWD not in pdf_text(content, layout=True) and PASSWD.encode() not in inflated_streams(content)
    assert b"/EmbeddedFile" not in content  # the rel=attachment link embedded nothing


def test_own_static_files_still_load(trap):
    """The fetcher is not simply broken: the platform's own static files are served (fonts, logo)."""
    content = render_pdf('<html><body><img src="static:/img/favicon.svg"><p>测试</p></body></html>')
    assert content.startswith(b"%PDF") and trap.hits == []
