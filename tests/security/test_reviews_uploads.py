"""Hostile files on the one upload of the review stage: the audit report on the audit page (AuditForm.report,
reviews:audit_detail; no other reviews form takes a file).

The content is judged by the applications app's detector (applications.services.uploads.detect_type), never by the
name. Every refusal: a Chinese message next to the report field, no file under MEDIA_ROOT, the audit row unchanged
(figures, report, version), no audit-log row, and the figures and opinion the auditor typed are still in the form.

The multipart bodies are built by hand so the file name reaches Django exactly as an attacker sends it (the test
client would strip the path itself). Django's parser keeps only the last path part and drops unprintable
characters; the service refuses what is left of a hostile name (paths, control or direction characters, an
extension other than .pdf) when it is called directly."""

import io
import os
import uuid
from urllib.parse import quote

import pytest
from django.core.files import File
from django.urls import reverse

from core.models import AuditLog
from reviews.models import Audit
from reviews.services import audits as audit_services
from reviews.services.common import ReviewError
from tests.factories import UserFactory
from tests.factories.applications import MINIMAL_PDF, db_row, office_zip
from tests.factories.reviews import audit_given, auditor_user
from tests.helpers import media_files

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PDF_THEN_HTML = b"%PDF-1.4\n<html><script>alert(1)</script></html>"
TYPED = {"audited_investment": "1800.25", "audited_amount": "180.5", "opinion": "经审定，投资真实（保留）"}


@pytest.fixture
def desk(settings):
    city = UserFactory(role="city")
    audit = audit_given(city)
    auditor = auditor_user(audit.firm)
    return audit, auditor


def multipart(fields, filename, content):
    """A multipart/form-data body with the file name exactly as given (RFC 2231 encoded, so any character
    survives the header)."""
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append((f"--{boundary}\r\nContent-Disposition: form-data; name=\"report\"; "
                  f"filename*=UTF-8''{quote(filename, safe='')}\r\nContent-Type: application/pdf\r\n\r\n").encode()
                 + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def raw_file(name, content):
    """A file object keeping ``name`` as given (an UploadedFile would cut it to its last path part)."""
    handle = File(io.BytesIO(content), name=name)
    handle.size = len(content)
    return handle


def post_report(client, audit, filename, content, **extra):
    body, content_type = multipart({**TYPED, "version": audit.version, "save": "1", **extra}, filename, content)
    return client.post(reverse("reviews:audit_detail", args=[audit.pk]), data=body, content_type=content_type)


def assert_refused(response, audit, before, audits_before, settings, *message_parts):
    assert response.status_code == 200
    page = response.content.decode()
    form = response.context["form"]
    errors = " ".join(form.errors.get("report", []))
    for part in message_parts:
        assert part in errors, (part, form.errors)
    assert errors in page or all(part in page for part in message_parts)
    assert db_row(audit) == before, "the audit row changed"
    assert AuditLog.objects.count() == audits_before, "an audit-log row was written"
    assert media_files(settings) == [], "a file was written under MEDIA_ROOT"
    for value in TYPED.values():  # what the auditor typed is still in the re-rendered form
        assert value in page


CONTENT_ATTACKS = [
    ("renamed Windows executable", "审计报告.pdf", EXE, ["可执行程序"]),
    ("renamed ELF binary", "report.pdf", ELF, ["可执行程序"]),
    ("HTML saved as .pdf", "invoice.pdf", HTML, ["HTML"]),
    ("PDF header followed by HTML", "scan.pdf", PDF_THEN_HTML, ["HTML"]),
    ("Word document named .pdf", "报告.pdf", office_zip("docx"), ["须为 PDF"]),
    ("executable behind a path-traversal name", "../../etc/passwd.pdf", EXE, ["可执行程序"]),
    ("executable behind a right-to-left override", "report\u202efdp.pdf", EXE, ["可执行程序"]),
    ("executable behind NUL and control characters", "a\x00b\x07c.pdf", EXE, ["可执行程序"]),
    ("right-to-left override hiding .exe", "report\u202efdp.exe", MINIMAL_PDF, [".pdf"]),
    ("empty file", "empty.pdf", b"", ["空文件"]),
]


@pytest.mark.parametrize(("label", "filename", "content", "message"), CONTENT_ATTACKS,
                         ids=[case[0] for case in CONTENT_ATTACKS])
def test_hostile_report_is_refused_and_nothing_is_kept(client_for, desk, settings, label, filename, content, message):
    audit, auditor = desk
    client = client_for(auditor)
    before, audits_before = db_row(audit), AuditLog.objects.count()
    response = post_report(client, audit, filename, content)
    assert_refused(response, audit, before, audits_before, settings, *message)


def test_oversize_report_is_refused(client_for, desk, settings, monkeypatch):
    audit, auditor = desk
    monkeypatch.setattr(audit_services, "REPORT_MAX_BYTES", 4096)
    client = client_for(auditor)
    before, audits_before = db_row(audit), AuditLog.objects.count()
    response = post_report(client, audit, "big.pdf", MINIMAL_PDF + b"%" * 8192)
    assert_refused(response, audit, before, audits_before, settings, "20 MB")


def test_zip_bomb_inside_a_docx_named_pdf_is_refused(client_for, desk, settings):
    settings.UPLOAD_ZIP_MAX_UNCOMPRESSED = 8 * 1024 * 1024
    bomb = office_zip("docx", extra={"word/media/filler.bin": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    audit, auditor = desk
    client = client_for(auditor)
    before, audits_before = db_row(audit), AuditLog.objects.count()
    response = post_report(client, audit, "报告.pdf", bomb)
    assert_refused(response, audit, before, audits_before, settings, "压缩炸弹")


@pytest.mark.parametrize("raw_name", ["../../etc/passwd.pdf", "..\\..\\windows\\报告.pdf", "report\u202efdp.pdf",
                                      "a\x00b.pdf", "报告\r\n.pdf", ".hidden.pdf", "report.pdf.exe", "report"])
def test_the_service_refuses_hostile_names_even_with_a_real_pdf(desk, settings, raw_name):
    """Called directly (an import, a script), the service sees the raw name: refused, nothing written."""
    audit, auditor = desk
    before, audits_before = db_row(audit), AuditLog.objects.count()
    with pytest.raises(ReviewError) as refused:
        audit_services.audit_save(actor=auditor, audit=audit, audited_investment="1", audited_amount="1",
                                  report=raw_file(raw_name, MINIMAL_PDF), expected_version=audit.version)
    assert "report" in refused.value.error_dict and refused.value.code == "name"
    assert "文件名" in " ".join(refused.value.messages)
    assert db_row(audit) == before and AuditLog.objects.count() == audits_before
    assert media_files(settings) == []


@pytest.mark.parametrize(("sent", "shown"), [("../../etc/passwd.pdf", "passwd.pdf"),
                                             ("a\x00b\x07c.pdf", "abc.pdf")])
def test_over_http_a_real_pdf_is_stored_under_a_generated_name_inside_media(client_for, desk, settings, sent, shown):
    """Django's parser reduces a crafted name to its last, printable part before any app code runs; the real PDF
    is then kept under a generated name inside MEDIA_ROOT/audits/, never where the name pointed."""
    audit, auditor = desk
    response = post_report(client_for(auditor), audit, sent, MINIMAL_PDF)
    assert response.status_code == 302
    audit = Audit.objects.get(pk=audit.pk)
    assert audit.report_name == shown
    stored = [os.path.join(settings.MEDIA_ROOT, name) for name in media_files(settings)]
    assert len(stored) == 1
    root = os.path.realpath(settings.MEDIA_ROOT)
    assert os.path.realpath(stored[0]).startswith(os.path.join(root, "audits") + os.sep)
    assert "passwd" not in os.path.basename(stored[0]) and stored[0].endswith(".pdf")
    assert not os.path.exists(os.path.join(root, "..", "..", "etc", "passwd.pdf"))
