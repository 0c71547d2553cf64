"""Hostile files through the evaluation's two upload endpoints, the evidence of a judged indicator and the
statistics import, both as real multipart POSTs: renamed executables, HTML saved as PDF, oversize files, zip
bombs inside .xlsx/.docx (a 1 MB file that unpacks to 1 GB, and one whose headers lie), workbooks with external
links, formulas or a million rows, CSV with formulas, path-traversal, right-to-left-override and NUL names.

Every refused file: a Chinese message on the page, no row, no audit row, no file under MEDIA_ROOT, the figures
imported before untouched (nothing half-imported) and the typed description shown again. The content check is
the platform's one (applications.services.uploads.detect_type); the bombs are refused within bounded time and
memory, without unpacking them."""

import io
import time
import tracemalloc
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from core.models import AuditLog
from evaluation.constants import StatisticKey
from evaluation.models import Evidence, StatisticFigure, StatisticsImport
from evaluation.services import judgements, statistics
from tests.factories.applications import MINIMAL_PDF, PNG_1PX, office_zip, plain_zip, zip_with_lying_sizes
from tests.factories.evaluation import year_with_catalogue
from tests.helpers import media_files

pytestmark = pytest.mark.django_db
MB = 1024 * 1024
# an XLSX bomb whose headers claim the 24 MB filler unpacks to 1 KB
LYING_XLSX = zip_with_lying_sizes(office_zip("xlsx", extra={"xl/media/x.bin": b"\x00" * (24 * MB)}), "xl/media/x.bin")
JUDGED = 2  # indicator 2 of the catalogue is judged: it takes evidence


def bombs():
    """A valid-looking DOCX and XLSX of about 1 MB each whose extra part unpacks to 1 GB of zeros.

    Compressed once: the XLSX is the DOCX with two part names of the same length swapped."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<document/>")
        archive.writestr("xl/workbook.xm_", "<workbook/>")
        zeros = b"\x00" * MB
        with archive.open("media/x.bin", "w", force_zip64=True) as part:
            for _ in range(1024):
                part.write(zeros)
    docx = buffer.getvalue()
    xlsx = docx.replace(b"word/document.xml", b"word/document.xm_").replace(b"xl/workbook.xm_", b"xl/workbook.xml")
    return {"docx": docx, "xlsx": xlsx}


@pytest.fixture(scope="session")
def gigabyte_bombs():
    return bombs()


@pytest.fixture
def year():
    return year_with_catalogue(2021)


@pytest.fixture
def city(client_for):
    return client_for(Role.CITY)


def template_with(year, values, edit=None):
    wb = load_workbook(io.BytesIO(statistics.template_xlsx(year)))
    ws = wb[statistics.SHEET]
    columns = {statistics.header_aliases()[c.value]: c.column for c in ws[1]}
    for key, value in values.items():
        ws.cell(row=2, column=columns[key], value=value)
    ws.delete_rows(3)
    if edit:
        edit(ws, columns)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def with_parts(data, parts):
    """``data`` (an XLSX) with extra or replaced zip parts."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info, source.read(info))
        for name, body in parts.items():
            target.writestr(name, body)
    return out.getvalue()


def external_link(year):
    return with_parts(template_with(year, {StatisticKey.MFG_VALUE_ADDED_GROWTH: 11.8}), {
        "xl/externalLinks/externalLink1.xml": '<externalLink xmlns="http://schemas.openxmlformats.org/'
                                              'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://'
                                              'schemas.openxmlformats.org/officeDocument/2006/relationships"/>'
                                              '</externalLink>',
        "xl/externalLinks/_rels/externalLink1.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/'
                                                         'package/2006/relationships"><Relationship Id="rId1" '
                                                         'Type="http://schemas.openxmlformats.org/officeDocument/'
                                                         '2006/relationships/externalLinkPath" Target="file:///'
                                                         'C:/secret/figures.xlsx" TargetMode="External"/>'
                                                         '</Relationships>'})


def formula(year):
    def edit(ws, columns):
        ws.cell(row=2, column=columns[StatisticKey.REVENUE_GROWTH], value="=1+1")
        ws.cell(row=2, column=columns["note"], value='=HYPERLINK("http://evil.example/","点此")')

    return template_with(year, {StatisticKey.MFG_VALUE_ADDED_GROWTH: 11.8}, edit)


def far_row(year):
    """Two real rows, then a million-and-first-row figure: never silently left out."""
    def edit(ws, columns):
        ws.cell(row=1_000_000, column=columns[StatisticKey.TAX_GROWTH], value=99)

    return template_with(year, {StatisticKey.MFG_VALUE_ADDED_GROWTH: 11.8}, edit)


def million_rows(numbered):
    """A sheet of 1,000,000 real rows, written as XML (openpyxl would need a minute); numbered rows make a file
    over the size limit, unnumbered ones a small file that unpacks to 27 MB."""
    def make(year):
        row = '<row r="{n}"><c r="A{n}"><v>2021</v></c></row>' if numbered else "<row><c><v>2021</v></c></row>"
        rows = "".join(row.format(n=n) for n in range(1, 1_000_001)) if numbered else row * 1_000_000
        sheet = f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}' \
                f'</sheetData></worksheet>'
        return with_parts(template_with(year, {}), {"xl/worksheets/sheet1.xml": sheet})

    return make


# name, content (bytes or a function of the year), expected Chinese message
EVIDENCE_REFUSED = {
    "exe_as_pdf": ("批复.pdf", b"MZ\x90\x00\x03" + b"\x00" * 300, "可执行程序"),
    "elf_as_xlsx": ("台账.xlsx", b"\x7fELF\x02\x01\x01" + b"\x00" * 300, "可执行程序"),
    "script_as_pdf": ("run.pdf", b"#!/bin/sh\nrm -rf /\n", "可执行程序"),
    "html_as_pdf": ("批复.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "HTML"),
    "html_after_pdf_header": ("x.pdf", b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>", "HTML"),
    "csv_with_formulas": ("统计.csv", b'=HYPERLINK("http://evil"),+1+1,-2+3,@SUM(A1)\r\n', "未知类型"),
    "zip_not_office": ("report.docx", None, "ZIP"),
    "oversize": ("big.pdf", MINIMAL_PDF + b"%" * (10 * MB), "不能超过 10 MB"),
    "zip_bomb_ratio_docx": ("report.docx", office_zip("docx", extra={"word/media/x.bin": b"\x00" * (4 * MB)}),
                            "压缩炸弹"),
    "zip_bomb_lying_xlsx": ("汇总.xlsx", LYING_XLSX, "ZIP"),
    "rlo_exe": ("report\u202efdp.exe", b"MZ" + b"\x00" * 300, "可执行程序"),
    "traversal_exe": ("../../../../etc/cron.d/x.pdf", b"MZ" + b"\x00" * 300, "可执行程序"),
    "nul_exe": ("合同\x00.exe.pdf", b"MZ" + b"\x00" * 300, "可执行程序"),
}


def post_evidence(client, name, content, description="盖章的预算批复文件"):
    return client.post(reverse("evaluation:evidence_upload", args=[2021, JUDGED]),
                       {"file": SimpleUploadedFile(name, content), "description": description})


def assert_evidence_refused(response, message, settings, audits):
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body, body[body.find("invalid-feedback") - 200:][:800]
    assert 'value="盖章的预算批复文件"' in body  # the typed description is shown again
    assert not Evidence.objects.exists()
    assert AuditLog.objects.count() == audits
    assert media_files(settings) == []


@pytest.mark.parametrize("case", EVIDENCE_REFUSED)
def test_hostile_evidence_is_refused(year, city, settings, case):
    name, content, message = EVIDENCE_REFUSED[case]
    audits = AuditLog.objects.count()
    response = post_evidence(city, name, plain_zip() if content is None else content)
    assert_evidence_refused(response, message, settings, audits)


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_a_gigabyte_zip_bomb_is_refused_without_unpacking_it(year, city, settings, gigabyte_bombs, kind):
    data = gigabyte_bombs[kind]
    assert len(data) < 2 * MB
    audits = AuditLog.objects.count()
    tracemalloc.start()
    started = time.monotonic()
    try:
        response = post_evidence(city, f"材料.{kind}", data)
        elapsed = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert_evidence_refused(response, "压缩炸弹", settings, audits)
    assert elapsed < 10, f"{elapsed:.1f} s: the bomb was unpacked"
    assert peak < 64 * MB, f"peak {peak / MB:.0f} MB while checking a 1 MB upload"


@pytest.mark.parametrize(("name", "shown"), [
    ("../../../../etc/cron.d/备案.pdf", "备案.pdf"),
    ("..\\..\\windows\\system32\\备案.pdf", "备案.pdf"),
    ("发票\u202efdp.exe", "发票fdp.pdf"),   # shown with the extension of its real type, never "...exe"
    ("合同\x00.exe.pdf", "合同.exe.pdf"),
    ("a\tb\r.pdf", "ab.pdf"),
])
def test_hostile_names_of_real_pdfs_are_cleaned_by_the_upload_and_stored_under_a_generated_name(
        year, city, settings, name, shown):
    response = post_evidence(city, name, MINIMAL_PDF)
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == shown
    root = Path(settings.MEDIA_ROOT).resolve()
    stored = Path(evidence.file.path).resolve()
    assert stored.is_relative_to(root / "evaluation" / "evidence")
    assert media_files(settings) == [str(stored.relative_to(root))]
    assert len(stored.stem) == 32 and stored.suffix == ".pdf"
    download = client_download(city, evidence)
    assert download.startswith("attachment;") and "\u202e" not in download and ".." not in download


def client_download(client, evidence):
    return client.get(reverse("evaluation:evidence_download", args=[evidence.pk]))["Content-Disposition"]


@pytest.mark.parametrize("name", ["report\u202efdp.exe", "合同\x00.pdf", "../../etc/passwd.pdf", "a/b.pdf",
                                  "x\u200f.pdf", ". ."])
def test_the_service_refuses_hostile_names_itself(year, user_for, settings, name):
    """Django's upload parser already strips paths and control characters; the service does not rely on it."""
    actor = user_for(Role.CITY)
    indicator = year.indicators.get(number=JUDGED)
    with pytest.raises(ValidationError) as refused:
        judgements.evidence_add(actor=actor, indicator=indicator, name=name, data=MINIMAL_PDF)
    assert "文件名" in " ".join(refused.value.messages)
    assert not Evidence.objects.exists() and media_files(settings) == []


def test_real_evidence_is_accepted(year, city, settings):
    assert post_evidence(city, "批复.png", PNG_1PX).status_code == 302
    assert Evidence.objects.get().content_type == "image/png" and len(media_files(settings)) == 1


# --- the statistics import -----------------------------------------------------------------------------------

STATISTICS_REFUSED = {
    "exe_as_xlsx": ("统计.xlsx", b"MZ\x90\x00" + b"\x00" * 300, "不是 XLSX 文件"),
    "elf_as_xlsx": ("统计.xlsx", b"\x7fELF\x02\x01\x01" + b"\x00" * 300, "不是 XLSX 文件"),
    "html_as_xlsx": ("统计.xlsx", b"<html><script>alert(1)</script></html>", "不是 XLSX 文件"),
    "csv_with_formulas": ("统计.csv", b'\xe5\xb9\xb4\xe5\xba\xa6,=1+1\r\n2021,=HYPERLINK("http://evil")\r\n',
                          "不是 XLSX 文件"),
    "docx_as_xlsx": ("统计.xlsx", office_zip("docx"), "不是 XLSX 文件"),
    "oversize": ("统计.xlsx", b"PK\x03\x04" + b"\x00" * (2 * MB + 1), "超过 2 MB"),
    "zip_bomb_ratio": ("统计.xlsx", office_zip("xlsx", extra={"xl/media/x.bin": b"\x00" * (4 * MB)}),
                       "解压后超过允许的大小"),
    "zip_bomb_lying_headers": ("统计.xlsx", LYING_XLSX, "不是 XLSX 文件"),
    "external_link": ("统计.xlsx", external_link, "外部链接"),
    "formulas": ("统计.xlsx", formula, "含有公式"),
    "a_row_a_million_rows_down": ("统计.xlsx", far_row, "超过 100 行"),
    "a_million_rows": ("统计.xlsx", million_rows(numbered=True), "文件超过 2 MB"),
    "a_million_small_rows": ("统计.xlsx", million_rows(numbered=False), "解压后超过允许的大小"),
    "rlo_exe": ("统计\u202esxlx.exe", b"MZ" + b"\x00" * 300, "不是 XLSX 文件"),
    "traversal": ("../../../etc/passwd", b"root:x:0:0:root:/root:/bin/bash\n", "不是 XLSX 文件"),
}


@pytest.fixture
def imported(year, user_for):
    """Figures imported before the hostile upload: they must survive it unchanged."""
    statistics.statistics_import(actor=user_for(Role.CITY), year=year, filename="上次.xlsx",
                                 data=template_with(year, {StatisticKey.MFG_VALUE_ADDED_GROWTH: 11.8}))
    return list(StatisticFigure.objects.values_list("key", "period", "value", "note"))


def post_statistics(client, name, content):
    return client.post(reverse("evaluation:statistics", args=[2021]), {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("case", STATISTICS_REFUSED)
def test_hostile_statistics_file_is_refused_and_nothing_is_half_imported(year, city, settings, imported, case):
    name, content, message = STATISTICS_REFUSED[case]
    content = content(year) if callable(content) else content
    imports, audits = StatisticsImport.objects.count(), AuditLog.objects.count()
    started = time.monotonic()
    response = post_statistics(city, name, content)
    assert time.monotonic() - started < 10
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body, body[body.find("alert"):][:1000]
    assert StatisticsImport.objects.count() == imports and AuditLog.objects.count() == audits
    assert list(StatisticFigure.objects.values_list("key", "period", "value", "note")) == imported
    assert media_files(settings) == []


def test_a_gigabyte_zip_bomb_is_refused_by_the_statistics_import(year, city, gigabyte_bombs, imported):
    started = time.monotonic()
    response = post_statistics(city, "统计.xlsx", gigabyte_bombs["xlsx"])
    assert time.monotonic() - started < 5
    assert response.status_code == 400 and "解压后超过允许的大小" in response.content.decode()
    lied = LYING_XLSX
    with pytest.raises(statistics.ImportErrors):  # headers that lie are caught by unpacking with bounds
        statistics.check_xlsx(lied)
    assert list(StatisticFigure.objects.values_list("key", "period", "value", "note")) == imported


def test_the_statistics_file_name_is_cleaned_or_refused(year, user_for):
    actor = user_for(Role.CITY)
    data = template_with(year, {StatisticKey.MFG_VALUE_ADDED_GROWTH: 11.8})
    with pytest.raises(ValidationError) as refused:
        statistics.statistics_import(actor=actor, year=year, filename="统计\u202esxlx.exe", data=data)
    assert "文件名" in " ".join(refused.value.messages) and not StatisticsImport.objects.exists()
    record = statistics.statistics_import(actor=actor, year=year, filename="统计表", data=data)
    assert record.filename == "统计表.xlsx"
    assert StatisticFigure.objects.get(key=StatisticKey.MFG_VALUE_ADDED_GROWTH).value == Decimal("11.8")


def test_the_two_upload_forms_are_the_only_ones():
    """A new file field in the evaluation must get its own hostile-file table here (and the content check)."""
    from django import forms
    from django.apps import apps
    from django.db import models

    from evaluation import forms as evaluation_forms

    with_files = {name for name, cls in vars(evaluation_forms).items()
                  if isinstance(cls, type) and issubclass(cls, forms.BaseForm)
                  and any(isinstance(f, forms.FileField) for f in cls.base_fields.values())}
    assert with_files == {"EvidenceForm", "StatisticsUploadForm"}
    stored = {f"{model.__name__}.{field.name}" for model in apps.get_app_config("evaluation").get_models()
              for field in model._meta.get_fields() if isinstance(field, models.FileField)}
    assert stored == {"Evidence.file", "ReportJob.pdf", "ReportJob.xlsx"}  # the report's files are generated
