"""Hostile uploads through the real draft page (multipart POST), one table: renamed executables and scripts, HTML
and SVG passed off as PDF or image, oversize files, zip bombs inside .docx and .xlsx (also with sizes that lie in
the headers), path traversal, right-to-left override, NUL and control characters in names.

For every refused file: no attachment row, no file written anywhere, the error next to its slot, and the draft
keeps what was typed (valid fields are saved, invalid ones are shown again as typed). For every accepted hostile
name: the stored file has a generated name inside MEDIA_ROOT and the shown name is harmless.
The accounts app has no upload (no business-licence file): a test fails if one appears without being checked."""

from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from applications.models import Attachment
from applications.workflow import Status
from tests.factories import MaterialFactory
from tests.factories.applications import (
    MINIMAL_PDF,
    PNG_1PX,
    application_in,
    browser,
    enterprise_user,
    office_zip,
    plain_zip,
    zip_with_lying_sizes,
)
from tests.helpers import media_files

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def lying_zip(kind):
    """A DOCX/XLSX bomb whose headers claim the 24 MB filler unpacks to 1 KB."""
    return zip_with_lying_sizes(office_zip(kind, extra={"filler.bin": b"\x00" * (24 * MB)}), "filler.bin")


def html_after_pdf_header():
    return b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>"


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'

# name, content, slot types, settings override, expected message (Chinese, next to the slot)
REFUSED = {
    "exe_as_pdf": ("合同.pdf", b"MZ\x90\x00\x03" + b"\x00" * 300, ["pdf"], {}, "可执行程序"),
    "elf_as_docx": ("报告.docx", b"\x7fELF\x02\x01\x01" + b"\x00" * 300, ["docx"], {}, "可执行程序"),
    "script_as_pdf": ("run.pdf", b"#!/bin/sh\nrm -rf /\n", ["pdf"], {}, "可执行程序"),
    "exe_double_extension": ("发票.pdf.exe", b"MZ" + b"\x00" * 300, ["pdf"], {}, "可执行程序"),
    "html_as_pdf": ("invoice.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", ["pdf"], {}, "HTML"),
    "html_after_pdf_header": ("x.pdf", html_after_pdf_header(), ["pdf"], {}, "HTML"),
    "bom_html_as_pdf": ("x.pdf", b"\xef\xbb\xbf  <html><script>alert(1)</script>", ["pdf"], {}, "HTML"),
    "svg_as_png": ("logo.png", SVG, ["png", "jpg"], {}, "只接受"),
    "png_in_pdf_slot": ("licence.pdf", PNG_1PX, ["pdf"], {}, "只接受"),
    "empty": ("empty.pdf", b"", ["pdf"], {}, "空"),
    "zip_bomb_docx": ("report.docx", office_zip("docx", extra={"word/media/x.bin": b"\x00" * (24 * MB)}),
                      ["docx"], {"UPLOAD_ZIP_MAX_UNCOMPRESSED": 8 * MB}, "压缩炸弹"),
    "zip_bomb_xlsx": ("汇总.xlsx", office_zip("xlsx", extra={"xl/media/x.bin": b"\x00" * (24 * MB)}),
                      ["xlsx"], {"UPLOAD_ZIP_MAX_UNCOMPRESSED": 8 * MB}, "压缩炸弹"),
    "zip_bomb_ratio_xlsx": ("汇总.xlsx", office_zip("xlsx", extra={"xl/media/x.bin": b"\x00" * (4 * MB)}),
                            ["xlsx"], {}, "压缩炸弹"),
    "zip_bomb_lying_headers": ("report.docx", lying_zip("docx"), ["docx"], {}, "只接受"),
    "zip_not_office": ("report.docx", None, ["docx"], {}, "ZIP"),
}


@pytest.fixture
def draft():
    app = application_in(Status.DRAFT)
    app.client = browser(enterprise_user(app))
    return app


def post(draft, material, name, content, **fields):
    data = {"project_name": draft.project_name, "version": draft.version, **fields,
            f"file_{material.pk}": SimpleUploadedFile(name, content)}
    return draft.client.post(reverse("applications:edit", args=[draft.pk]), data)


def slot_html(body, material):
    start = body.index(f'id="slot-{material.pk}"')
    return body[start:body.index("</div>", body.index("</div>", start) + 1)]


@pytest.mark.parametrize("case", REFUSED)
def test_hostile_file_is_refused_and_the_draft_keeps_what_was_typed(draft, settings, case):
    name, content, types, overrides, message = REFUSED[case]
    content = plain_zip() if content is None else content
    for key, value in overrides.items():
        setattr(settings, key, value)
    material = MaterialFactory(category=draft.category, allowed_types=types, name="待上传材料")
    response = post(draft, material, name, content, project_name="刚输入的项目名称", location="郑州市管城区")
    assert response.status_code == 200
    body = response.content.decode()
    assert not Attachment.objects.filter(application=draft, material=material).exists()
    assert media_files(settings) == []  # nothing written, not even a temporary copy under MEDIA_ROOT
    slot = body[body.index(f'id="slot-{material.pk}"'):]
    assert message in slot[:3000] and "has-error" in body
    draft.refresh_from_db()
    assert (draft.project_name, draft.location) == ("刚输入的项目名称", "郑州市管城区")  # valid fields saved
    assert 'value="刚输入的项目名称"' in body


def test_a_file_over_the_platform_limit_is_refused_while_it_streams(draft, settings):
    """Past UPLOAD_MAX_BYTES the upload handler (core.uploads) stops reading: a Chinese page, HTTP 413."""
    settings.UPLOAD_MAX_BYTES = 2048
    material = MaterialFactory(category=draft.category, allowed_types=["pdf"])
    response = post(draft, material, "big.pdf", MINIMAL_PDF + b"%" * 4096, project_name="刚输入的项目名称")
    assert response.status_code == 413 and "文件过大" in response.content.decode()
    assert not Attachment.objects.filter(application=draft, material=material).exists()
    assert media_files(settings) == []
    draft.refresh_from_db()
    assert draft.project_name != "刚输入的项目名称"


def test_a_refused_file_with_an_invalid_field_keeps_every_typed_value(draft, settings):
    material = MaterialFactory(category=draft.category, allowed_types=["pdf"])
    before = draft.project_name
    response = post(draft, material, "x.pdf", b"MZ" + b"\x00" * 64, project_name="新输入的名称",
                    total_investment="三千万")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="新输入的名称"' in body and 'value="三千万"' in body and "可执行程序" in body
    draft.refresh_from_db()
    assert draft.project_name == before and not Attachment.objects.filter(application=draft).exists()
    assert media_files(settings) == []


@pytest.mark.parametrize(("name", "shown"), [
    ("../../../../etc/cron.d/备案.pdf", "备案.pdf"),
    ("..\\..\\..\\windows\\system32\\备案.pdf", "备案.pdf"),
    ("/var/www/static/index.html", "index.pdf"),
    ("发票\u202efdp.exe", "发票fdp.pdf"),            # right-to-left override would show 发票exe.pdf
    ("合同\u200f\u2066\u2069.pdf", "合同.pdf"),       # other bidi marks and isolates
    ("a\tb\nc\r.pdf", "abc.pdf"),                    # control characters
    ("CON.pdf", "CON.pdf"),                          # only shown, never used as a path
    ("x" * 400 + ".pdf", "x" * 100 + ".pdf"),        # long names are cut, the type extension kept
])
def test_hostile_names_are_stored_under_a_generated_name_and_shown_harmless(draft, settings, name, shown):
    material = draft.category.materials.get()
    response = post(draft, material, name, MINIMAL_PDF)
    assert response.status_code == 302
    attachment = Attachment.objects.get(application=draft, material=material, is_current=True)
    assert attachment.original_name == shown
    root = Path(settings.MEDIA_ROOT).resolve()
    stored = Path(attachment.file.path).resolve()
    assert stored.is_relative_to(root / "applications") and media_files(settings) == [str(stored.relative_to(root))]
    assert stored.name != name and len(stored.stem) == 32 and stored.suffix == ".pdf"
    download = draft.client.get(reverse("applications:download", args=[draft.pk, attachment.pk]))
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;") and "\u202e" not in disposition and ".." not in disposition


def test_a_nul_in_the_file_name_is_refused_or_removed(draft, settings):
    material = draft.category.materials.get()
    before = draft.project_name
    response = post(draft, material, "合同\x00.exe.pdf", MINIMAL_PDF, project_name="带空字符的上传")
    stored = Attachment.objects.filter(application=draft, material=material)
    if response.status_code == 400:  # refused whole by the NUL guard: nothing saved
        draft.refresh_from_db()
        assert draft.project_name == before and not stored.exists() and media_files(settings) == []
    else:
        assert response.status_code == 302
        assert stored.count() == 1 and "\x00" not in stored.get().original_name


def test_a_file_for_a_material_of_another_category_is_ignored(draft, settings):
    foreign = MaterialFactory(allowed_types=["pdf"])
    response = post(draft, foreign, "备案.pdf", MINIMAL_PDF)
    assert response.status_code == 302
    assert not Attachment.objects.filter(material=foreign).exists() and media_files(settings) == []


def test_files_cannot_be_changed_once_submitted(settings):
    app = application_in(Status.SUBMITTED)
    client = browser(enterprise_user(app))
    material = app.category.materials.get()
    response = client.post(reverse("applications:edit", args=[app.pk]), {
        "version": app.version, f"file_{material.pk}": SimpleUploadedFile("晚交的.pdf", MINIMAL_PDF)})
    assert response.status_code == 302
    assert not Attachment.objects.filter(application=app).exists() and media_files(settings) == []


def test_the_accounts_app_has_no_unchecked_upload():
    """No business licence or other file is uploaded through the accounts app (models and forms). If one is added,
    it must go through applications.services.uploads.check_upload and get its own hostile-file table here."""
    file_fields = [f"{model.__name__}.{field.name}" for model in apps.get_app_config("accounts").get_models()
                   for field in model._meta.get_fields() if isinstance(field, models.FileField)]
    from accounts import forms as account_forms

    form_fields = [f"{name}.{field}" for name, cls in vars(account_forms).items()
                   if isinstance(cls, type) and issubclass(cls, forms.BaseForm)
                   for field, value in getattr(cls, "base_fields", {}).items() if isinstance(value, forms.FileField)]
    assert file_fields == [] and form_fields == []
