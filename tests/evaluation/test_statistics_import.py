"""The statistics template and the all-or-nothing import."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from evaluation.constants import Period, StatisticKey
from evaluation.models import StatisticFigure, StatisticsImport
from evaluation.results import year_results
from evaluation.services import statistics as svc

pytestmark = pytest.mark.django_db


def filled(year, values=None, *, half=None, edit=None):
    """The real template with the full-year row filled in (and optionally the half-year row)."""
    wb = load_workbook(io.BytesIO(svc.template_xlsx(year)))
    ws = wb[svc.SHEET]
    columns = {svc.header_aliases()[c.value]: c.column for c in ws[1]}
    for key, value in (values or {}).items():
        ws.cell(row=2, column=columns[key], value=value)
    if half:
        for key, value in half.items():
            ws.cell(row=3, column=columns[key], value=value)
    else:
        ws.delete_rows(3)
    if edit:
        edit(ws, columns)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


SEED = {StatisticKey.MFG_VALUE_ADDED_GROWTH: 11.8, StatisticKey.REVENUE_GROWTH: "6.5",
        StatisticKey.TAX_GROWTH: -2, StatisticKey.ENERGY_INTENSITY_CHANGE: -11.78,
        StatisticKey.STRATEGIC_EMERGING_SHARE: "27.3%", StatisticKey.NEW_100B_ENTERPRISES: 2}


def test_template_has_every_column_and_instructions(year2021):
    wb = load_workbook(io.BytesIO(svc.template_xlsx(year2021)))
    headers = [c.value for c in wb[svc.SHEET][1]]
    assert headers[:2] == ["年度", "期间"] and headers[-1] == "备注"
    assert "制造业增加值增速（%）" in headers and "高技术制造业占规上工业比重（%）" in headers
    assert len(headers) == len(StatisticKey) + 3
    assert [c.value for c in wb[svc.SHEET][2]][:2] == [2021, "全年"]
    assert wb[svc.SHEET].freeze_panes == "C2"
    assert wb["填写说明"]["A1"].value == "2021年度 统计数据导入模板"
    assert wb["填写说明"]["A3"].value.startswith("请在")


def test_template_download_is_an_xlsx(client_for, year2021):
    response = client_for(Role.OFFICIAL).get(reverse("evaluation:statistics_template", args=[2021]))
    assert response.status_code == 200
    assert response["Content-Type"] == svc.XLSX_TYPE
    assert zipfile.ZipFile(io.BytesIO(response.content)).testzip() is None


def test_a_good_file_feeds_the_statistics_indicators(year2021, city):
    record = svc.statistics_import(actor=city, year=year2021, filename="tj.xlsx",
                                   data=filled(year2021, SEED, half={StatisticKey.MFG_VALUE_ADDED_GROWTH: 9.1}))
    assert record.rows == 2
    figures = {f.key: f.value for f in StatisticFigure.objects.filter(year=year2021, period=Period.YEAR)}
    assert figures[StatisticKey.STRATEGIC_EMERGING_SHARE] == Decimal("27.3")
    assert figures[StatisticKey.ENERGY_INTENSITY_CHANGE] == Decimal("-11.78")
    rows = {r.indicator.number: r for r in year_results(year2021).rows}
    assert (rows[14].actual, rows[14].score.points) == (Decimal("11.8"), Decimal("4.00"))
    assert rows[17].score.met and rows[22].score.met
    assert rows[21].score.met is False and rows[21].score.points == Decimal("0.00")
    assert rows[18].score.points == Decimal("3.00")
    half = year_results(year2021, period=Period.HALF).rows
    assert half[13].actual == Decimal("9.1") and half[16].score.scored is False


def test_reimport_replaces_only_the_periods_in_the_file(year2021, city):
    svc.statistics_import(actor=city, year=year2021, filename="a.xlsx",
                          data=filled(year2021, SEED, half={StatisticKey.TAX_GROWTH: 1}))
    svc.statistics_import(actor=city, year=year2021, filename="b.xlsx",
                          data=filled(year2021, {StatisticKey.MFG_VALUE_ADDED_GROWTH: 12}))
    full = dict(StatisticFigure.objects.filter(year=year2021, period=Period.YEAR).values_list("key", "value"))
    assert full == {StatisticKey.MFG_VALUE_ADDED_GROWTH: Decimal("12")}
    assert StatisticFigure.objects.filter(year=year2021, period=Period.HALF).count() == 1


def errors_of(year, city, data):
    with pytest.raises(svc.ImportErrors) as info:
        svc.statistics_import(actor=city, year=year, filename="bad.xlsx", data=data)
    return info.value.messages


def test_bad_cells_are_reported_by_row_and_column_and_nothing_is_saved(year2021, city):
    svc.statistics_import(actor=city, year=year2021, filename="ok.xlsx", data=filled(year2021, SEED))
    before = list(StatisticFigure.objects.order_by("pk").values_list("key", "value"))
    bad = {**SEED, StatisticKey.REVENUE_GROWTH: "增长较快", StatisticKey.HIGH_TECH_SHARE: 132,
           StatisticKey.NEW_100B_ENTERPRISES: 2.5, StatisticKey.LEADING_SIX_GROWTH: date(2021, 5, 1)}
    messages = errors_of(year2021, city, filled(year2021, bad, half={StatisticKey.TAX_GROWTH: True}))
    text = "\n".join(messages)
    assert "第 2 行 E 列（规上工业企业营业收入增速（%））：“增长较快”不是数字" in text
    assert "第 2 行 M 列（高技术制造业占规上工业比重（%））：132 超出 0 – 100 的范围" in text
    assert "第 2 行 N 列（新增百亿级企业（家））：2.5 不是整数" in text
    assert "第 2 行 J 列（六大主导产业增加值增速（%））" in text
    assert "第 3 行 G 列（规上工业企业税金总额增速（%））：“True”不是数字" in text
    assert len(messages) == 5
    assert list(StatisticFigure.objects.order_by("pk").values_list("key", "value")) == before
    assert StatisticsImport.objects.count() == 1


def test_wrong_year_and_duplicate_period_are_errors(year2021, city):
    def edit(ws, columns):
        ws.cell(row=2, column=columns["year"], value=2020)
        ws.cell(row=3, column=columns["year"], value=2021)
        ws.cell(row=3, column=columns["period"], value="全年")
    messages = errors_of(year2021, city, filled(year2021, SEED, half={StatisticKey.TAX_GROWTH: 1}, edit=edit))
    assert any("第 2 行 A 列（年度）：年度应为 2021" in m for m in messages)
    assert any("第 3 行 B 列（期间）：与第 2 行的期间重复" in m for m in messages)
    assert not StatisticFigure.objects.exists()


def test_missing_and_unknown_columns(year2021, city):
    def edit(ws, columns):
        ws.cell(row=1, column=columns[StatisticKey.TAX_TOTAL], value="利润总额")
    messages = errors_of(year2021, city, filled(year2021, SEED, edit=edit))
    assert any("无法识别的列“利润总额”" in m for m in messages)
    assert any(m == "缺少列：规上工业企业税金总额（亿元）。" for m in messages)
    assert not StatisticsImport.objects.exists()


@pytest.mark.parametrize("payload", [
    b"not a spreadsheet at all",
    b"%PDF-1.4 pretending",
    b"PK\x03\x04 broken zip",
])
def test_files_that_are_not_xlsx_are_refused_before_parsing(year2021, city, payload):
    assert "XLSX" in errors_of(year2021, city, payload)[0]


def test_a_zip_without_content_types_is_not_an_xlsx(year2021, city):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert errors_of(year2021, city, out.getvalue()) == ["这不是 XLSX 文件。请下载模板填写后上传。"]


def test_zip_bombs_are_refused(year2021, city):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    assert len(out.getvalue()) < svc.MAX_BYTES
    assert errors_of(year2021, city, out.getvalue()) == ["文件解压后超过允许的大小。"]


def test_upload_page_lists_errors_in_chinese_and_keeps_nothing(client_for, year2021):
    client = client_for(Role.CITY)
    data = filled(year2021, {**SEED, StatisticKey.TAX_GROWTH: "abc"})
    upload = SimpleUploadedFile("tj.xlsx", data, content_type=svc.XLSX_TYPE)
    response = client.post(reverse("evaluation:statistics", args=[2021]), {"file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert "文件未导入，未保存任何数据" in body and "第 2 行 G 列" in body and "请修改以下单元格" in body
    assert not StatisticFigure.objects.exists()
    # a file that does not open is no matter of cells: the heading does not ask to correct cells
    broken = SimpleUploadedFile("tj.xlsx", b"PK\x03\x04" + b"\x00" * 200, content_type=svc.XLSX_TYPE)
    body = client.post(reverse("evaluation:statistics", args=[2021]), {"file": broken}).content.decode()
    assert "文件未导入，未保存任何数据：" in body and "请修改以下单元格" not in body
    good = SimpleUploadedFile("tj.xlsx", filled(year2021, SEED), content_type=svc.XLSX_TYPE)
    response = client.post(reverse("evaluation:statistics", args=[2021]), {"file": good})
    assert response.status_code == 302
    assert StatisticFigure.objects.count() == len(SEED)


def test_officials_cannot_upload(client_for, year2021):
    upload = SimpleUploadedFile("tj.xlsx", filled(year2021, SEED))
    response = client_for(Role.OFFICIAL).post(reverse("evaluation:statistics", args=[2021]), {"file": upload})
    assert response.status_code == 403
    assert not StatisticFigure.objects.exists()
