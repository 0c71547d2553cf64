"""Uploads are checked by content: executables, HTML, empty, oversize, zip bombs are refused; names are cleaned."""

import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.models import Attachment
from applications.services import UploadRefused, attachment_store
from applications.services.uploads import sanitize_filename
from tests.factories import ApplicationFactory, MaterialFactory
from tests.factories.applications import (
    MINIMAL_PDF,
    PNG_1PX,
    enterprise_user,
    office_zip,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


def slot(app, types=("pdf",), **kwargs):
    return MaterialFactory(category=app.category, allowed_types=list(types), **kwargs)


def store(app, material, name, content):
    return attachment_store(application=app, material=material, actor=app.user,
                            upload=SimpleUploadedFile(name, content))


def refused(app, material, name, content):
    with pytest.raises(UploadRefused) as excinfo:
        store(app, material, name, content)
    assert not Attachment.objects.filter(application=app, material=material).exists()
    return excinfo.value


def test_a_real_pdf_is_stored_under_a_generated_name_with_its_hash(draft):
    attachment = store(draft, slot(draft), "../../etc/备案文件.pdf", MINIMAL_PDF)
    assert attachment.original_name == "备案文件.pdf"
    assert attachment.sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert attachment.size == len(MINIMAL_PDF) and attachment.content_type == "application/pdf"
    stored = attachment.file.name
    assert "备案" not in stored and stored.endswith(".pdf") and stored.startswith(f"applications/{draft.round.year}/")
    assert attachment.file.open("rb").read() == MINIMAL_PDF


def test_an_executable_renamed_pdf_is_refused(draft):
    error = refused(draft, slot(draft), "说明.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200)
    assert error.code == "type" and "可执行程序" in error.messages[0]


def test_an_elf_binary_is_refused(draft):
    assert refused(draft, slot(draft), "a.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 100).code == "type"


def test_an_html_file_named_pdf_is_refused(draft):
    error = refused(draft, slot(draft), "invoice.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>")
    assert "HTML" in error.messages[0]


def test_a_pdf_header_followed_by_html_is_refused(draft):
    assert refused(draft, slot(draft), "x.pdf", b"%PDF-1.4\n<html><script>alert(1)</script>").code == "type"


def test_an_empty_file_is_refused(draft):
    assert refused(draft, slot(draft), "empty.pdf", b"").code == "empty"


def test_an_oversize_file_is_refused(draft, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    error = refused(draft, slot(draft), "big.pdf", MINIMAL_PDF + b"%" * 2048)
    assert error.code == "too_big" and "最多接受 1.0 KB" in error.messages[0]  # the one size format


def test_the_material_can_lower_the_limit(draft):
    material = slot(draft, max_size_mb=1)
    assert refused(draft, material, "big.pdf", MINIMAL_PDF + b"%" * (1024 * 1024 + 1)).code == "too_big"


def test_a_png_is_accepted_where_allowed_and_refused_elsewhere(draft):
    assert store(draft, slot(draft, ("pdf", "png")), "licence.png", PNG_1PX).file_type == "png"
    assert refused(draft, slot(draft, ("pdf",)), "licence.pdf", PNG_1PX).code == "type"


def test_a_real_docx_and_xlsx_are_accepted(draft):
    assert store(draft, slot(draft, ("docx",)), "report.docx", office_zip("docx")).file_type == "docx"
    assert store(draft, slot(draft, ("xlsx",)), "汇总表.xlsx", office_zip("xlsx")).file_type == "xlsx"


def test_a_zip_that_is_no_office_document_is_refused(draft):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ" + b"\x00" * 100)
    assert refused(draft, slot(draft, ("docx",)), "report.docx", buffer.getvalue()).code == "type"


def test_a_zip_bomb_docx_is_refused(draft, settings):
    settings.UPLOAD_ZIP_MAX_UNCOMPRESSED = 8 * 1024 * 1024
    bomb = office_zip("docx", extra={"word/media/filler.bin": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    error = refused(draft, slot(draft, ("docx",)), "report.docx", bomb)
    assert error.code == "zip_bomb" and "压缩炸弹" in error.messages[0]


@pytest.mark.parametrize(("kind", "part"), [("docx", "word/vbaProject.bin"), ("xlsx", "xl/vbaProject.bin")])
def test_office_files_with_macros_are_refused(draft, kind, part):
    macro = office_zip(kind, extra={part: b"\xd0\xcf\x11\xe0" + b"\x00" * 512})
    error = refused(draft, slot(draft, (kind,)), f"report.{kind}", macro)
    assert error.code == "macro" and "宏" in error.messages[0]
    assert not Attachment.objects.filter(application=draft).exists()


@pytest.mark.parametrize(("name", "expected"), [
    ("..\\..\\windows\\system32\\合同.pdf", "合同.pdf"),
    ("/etc/passwd", "passwd.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.pdf"),  # RTL override would show "invoiceexe.pdf"
    ("a\x00b\x07c.pdf", "abc.pdf"),
    ("...hidden.pdf", "hidden.pdf"),
    ("", "file.pdf"),
    ("报告.PDF", "报告.PDF"),
])
def test_names_are_cleaned(name, expected):
    assert sanitize_filename(name, "pdf") == expected


def test_rtl_override_name_is_cleaned_when_stored(draft):
    attachment = store(draft, slot(draft), "合同\u202efdp.exe", MINIMAL_PDF)
    assert "\u202e" not in attachment.original_name and attachment.original_name.endswith(".pdf")


def test_replacing_a_file_keeps_the_old_one_for_earlier_versions(draft):
    material = slot(draft)
    first = store(draft, material, "v1.pdf", MINIMAL_PDF)
    second = store(draft, material, "v2.pdf", MINIMAL_PDF + b"%v2\n")
    first.refresh_from_db()
    assert not first.is_current and second.is_current
    assert Attachment.objects.filter(application=draft, material=material, is_current=True).get() == second


def test_a_failed_upload_keeps_the_draft_and_the_other_uploads(client_for, draft):
    good, bad = slot(draft, name="营业执照"), slot(draft, name="备案文件")
    client = client_for(draft.user)
    data = {"project_name": "改过的项目名称", "total_investment": "3000", "version": draft.version,
            f"file_{good.pk}": pdf_upload("营业执照.pdf"),
            f"file_{bad.pk}": SimpleUploadedFile("备案文件.pdf", b"MZ" + b"\x00" * 64)}
    response = client.post(reverse("applications:edit", args=[draft.pk]), data)
    assert response.status_code == 200
    body = response.content.decode()
    draft.refresh_from_db()
    assert draft.project_name == "改过的项目名称"  # the fields were saved
    assert Attachment.objects.filter(application=draft, material=good, is_current=True).exists()
    assert not Attachment.objects.filter(application=draft, material=bad).exists()
    slots = {chunk.split('"', 1)[0]: chunk for chunk in body.split('<div class="slot')[1:]}
    bad_html = next(html for html in slots.values() if f'id="slot-{bad.pk}"' in html)
    good_html = next(html for html in slots.values() if f'id="slot-{good.pk}"' in html)
    assert "has-error" in bad_html and "可执行程序" in bad_html  # the error sits next to its slot
    assert "可执行程序" not in good_html and "营业执照.pdf" in good_html
    assert 'value="改过的项目名称"' in body
    # the re-rendered form carries the new version: saving again is not refused as stale
    again = client.post(reverse("applications:edit", args=[draft.pk]),
                        {"project_name": "再改一次", "version": response.context["form"]["version"].value()})
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.project_name == "再改一次"


def test_invalid_fields_keep_what_was_typed(client_for, draft):
    client = client_for(draft.user)
    response = client.post(reverse("applications:edit", args=[draft.pk]),
                           {"project_name": "新的名称", "total_investment": "三千万", "version": draft.version})
    assert response.status_code == 200
    assert "total_investment" in response.context["form"].errors
    assert 'value="三千万"' in response.content.decode() and 'value="新的名称"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.project_name != "新的名称"


def test_a_stale_edit_is_refused_with_a_clear_message(client_for, draft):
    client = client_for(draft.user)
    old_version = draft.version
    client.post(reverse("applications:edit", args=[draft.pk]), {"project_name": "同事先保存", "version": old_version})
    response = client.post(reverse("applications:edit", args=[draft.pk]),
                           {"project_name": "我后保存", "version": old_version})
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode()
    draft.refresh_from_db()
    assert draft.project_name == "同事先保存"


def test_downloads_are_attachments_with_the_detected_type(client_for, draft):
    attachment = store(draft, slot(draft), "备案.pdf", MINIMAL_PDF)
    response = client_for(draft.user).get(reverse("applications:download", args=[draft.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == MINIMAL_PDF


def test_files_of_other_enterprises_answer_404(client_for, draft):
    attachment = store(draft, slot(draft), "备案.pdf", MINIMAL_PDF)
    other = enterprise_user(ApplicationFactory())
    assert client_for(other).get(reverse("applications:download", args=[draft.pk, attachment.pk])).status_code == 404


def test_upload_slot_limit_and_refusal_use_the_same_size_format(client_for, draft):
    material = MaterialFactory(category=draft.category, allowed_types=["pdf"], max_size_mb=1)
    body = client_for(draft.user).get(reverse("applications:edit", args=[draft.pk])).content.decode()
    hint = body.split(f'id="slot-{material.pk}"', 1)[1].split('class="form-text mt-0">', 1)[1].split("</div>", 1)[0]
    assert hint.endswith("1.0 MB"), hint
    with pytest.raises(UploadRefused) as excinfo:
        attachment_store(application=draft, material=material, actor=draft.user,
                         upload=SimpleUploadedFile("big.pdf", MINIMAL_PDF + b"%" * (1536 * 1024)))
    assert "1.5 MB" in excinfo.value.messages[0] and "1.0 MB" in excinfo.value.messages[0]
