"""The PDF of a submitted version: Chinese text, escaped user text, and a fetcher that refuses the outside world."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from applications.models import Application, ApplicationVersion
from applications.pdf import FetchRefused, _fetcher, render_pdf, static_path
from applications.services import application_submit
from tests.factories import ApplicationFactory
from tests.factories.applications import (
    attach_required,
    enterprise_user,
)
from tests.helpers import needs_pdftotext, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    app = ApplicationFactory(project_name="<img src=\"http://evil.example/x.png\">智能化改造&项目")
    user = enterprise_user(app)
    attach_required(app, user)
    application_submit(application=app, actor=user, declaration=True)
    app.refresh_from_db()
    app.user = user
    return app


def test_pdf_of_the_submitted_version(client_for, submitted, tmp_path):
    response = client_for(submitted.user).get(reverse("applications:pdf", args=[submitted.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and submitted.receipt_no in \
        response["Content-Disposition"]
    content = response.content
    assert content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "a.pdf"
        path.write_bytes(content)
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        assert submitted.receipt_no in text and "申报书" in text and "承诺" in text
        assert "<img src=" in text  # the user's text is shown as text, never as markup
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(tmp_path / "a.pdf")], capture_output=True, text=True).stdout
        assert "CJK" in fonts or "WenQuanYi" in fonts


def test_no_pdf_before_submission(client_for):
    app = ApplicationFactory()
    assert client_for(enterprise_user(app)).get(reverse("applications:pdf", args=[app.pk])).status_code == 404


def test_older_versions_have_their_own_pdf(client_for, submitted):
    version = ApplicationVersion.objects.get(application=submitted)
    response = client_for(submitted.user).get(reverse("applications:pdf", args=[submitted.pk]), {"v": version.number})
    assert response.status_code == 200
    assert client_for(submitted.user).get(reverse("applications:pdf", args=[submitted.pk]), {"v": 9}).status_code \
        == 404


@pytest.mark.parametrize("url", ["http://evil.example/x.png", "https://127.0.0.1/", "file:///etc/passwd",
                                 "data:text/html,hi", "static:/../../settings.py", "static:/nope.css"])
def test_the_fetcher_refuses_everything_but_own_static_files(url):
    with pytest.raises(FetchRefused):
        static_path(url)


def test_the_fetcher_serves_own_static_files():
    response = _fetcher().fetch("static:/img/favicon.svg")
    assert b"<svg" in response.read()


def test_remote_images_in_html_are_never_fetched(monkeypatch):
    asked = []
    original = static_path

    def spy(url):
        asked.append(url)
        return original(url)

    monkeypatch.setattr("applications.pdf.static_path", spy)
    pdf = render_pdf('<html><body><img src="http://evil.example/track.png"><p>测试</p></body></html>')
    assert pdf.startswith(b"%PDF")
    assert asked == ["http://evil.example/track.png"]  # asked, and refused (no network access happened)


def version_text(client, app, number=None):
    params = {"v": number} if number else {}
    response = client.get(reverse("applications:pdf", args=[app.pk]), params)
    assert response.status_code == 200
    return pdf_text(response.content)


@needs_pdftotext
def test_pdf_prints_the_declaration_time_in_chinese(client_for, draft):
    attach_required(draft, draft.user)
    application_submit(application=draft, actor=draft.user, declaration=True)
    version = ApplicationVersion.objects.get(application=draft)
    # an old frozen version: the ISO text as submission.py stored it
    version.data["declaration_accepted_at"] = "2026-11-27T05:42:32.780786+08:00"
    version.save(update_fields=["data"])
    text = version_text(client_for(draft.user), draft, version.number)
    assert "2026年11月27日 05:42" in text
    assert "T05:42" not in text and "+08:00" not in text
    # the same instant stored in UTC prints in Asia/Shanghai
    version.data["declaration_accepted_at"] = "2026-11-26T21:42:32+00:00"
    version.save(update_fields=["data"])
    assert "2026年11月27日 05:42" in version_text(client_for(draft.user), draft, version.number)


def test_frozen_datetime_keeps_unparseable_text():
    from applications.pdf import frozen_datetime

    assert frozen_datetime("not a time") == "not a time"
    assert frozen_datetime(None) is None
    assert Application._meta.get_field("declaration_accepted_at")  # the field the snapshot freezes
