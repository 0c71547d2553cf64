"""SSRF and local-file reads through the publicity notice PDF (reviews/exports.py → core.pdf's WeasyPrint fetcher).

A real HTTP server listens on a free local port for the whole test. HTML that would make a renderer fetch from it
or read /etc/passwd is put into every free-text field the notice prints (title, notice, enterprise, project): the
template escapes it, so it is printed as text. The same HTML handed to the renderer unescaped (defence in depth:
a template mistake must not open the network) is refused by the fetcher. The server receives no request and the
PDF never contains the password file."""


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
from tests.helpers import needs_pdftotext, pdf_text
from tests.security.ssrf import PASSWD, payloads

pytestmark = [pytest.mark.django_db, needs_pdftotext]


def test_html_in_the_notice_fields_fetches_nothing(trap):
    port, hits = trap.port, trap.hits
    html = "".join(payloads(trap.origin))
    city = UserFactory(role=Role.CITY)
    category = category_with_rules()
    app = with_proposal(Status.AUDITED, city, category, project_name=payloads(trap.origin)[0])
    app.enterprise.name = payloads(trap.origin)[2]
    app.enterprise.save(update_fields=["name"])
    publicity = publicity_create(actor=city, round_=category.round, title=payloads(trap.origin)[3], notice=html)
    publicity_publish(actor=city, publicity=publicity)
    for client, url in ((Client(), reverse("publicity:notice_pdf", args=[publicity.pk])),
                        (logged_in(city), reverse("reviews:publicity_pdf", args=[publicity.pk]))):
        response = client.get(url)
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        text = pdf_text(response.content, layout=True)
        assert PASSWD not in text
        assert f"127.0.0.1:{port}/img.png" in text  # printed as text, not loaded
        assert "file:///etc/passwd" in "".join(text.split())
    assert hits == [], f"the PDF renderer requested {hits}"


def test_the_renderer_itself_refuses_network_and_files_for_unescaped_html(trap):
    """Defence in depth: even HTML that escaped the template reaches neither the network nor the disk."""
    port, hits = trap.port, trap.hits
    html = ("<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<link rel='stylesheet' href='http://127.0.0.1:{port}/head.css'></head><body><p>公示</p>"
            + "".join(payloads(trap.origin)) + "</body></html>")
    pdf = exports._render_pdf(html)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, layout=True)
    assert "公示" in text and PASSWD not in text
    assert hits == [], f"the PDF renderer requested {hits}"
