"""XLSX exports: Chinese headers, amounts in 万元, formula injection neutralised, county summary table."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications.workflow import Status
from core.xlsx import safe_text
from tests.factories import UserFactory, application_in
from tests.helpers import xlsx_book

pytestmark = pytest.mark.django_db


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    assert response["Content-Disposition"].startswith("attachment;")
    return xlsx_book(response).active


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"])
def test_safe_text_neutralises_formula_starts(text):
    assert safe_text(text) == "'" + text


def test_safe_text_keeps_ordinary_text():
    assert safe_text("智能化改造项目") == "智能化改造项目" and safe_text("A=1") == "A=1"


def test_export_has_chinese_headers_amounts_in_wan_and_no_formulas(client_for):
    app = application_in(Status.SUBMITTED)
    app.project_name = "=HYPERLINK(\"http://evil.example/\",\"点我\")"
    app.requested_amount = Decimal("1234567.89")
    app.save()
    app.enterprise.name = "@SUM(1+1)有限公司"
    app.enterprise.save()
    sheet = workbook(client_for(Role.CITY).get(reverse("applications:export")))
    rows = list(sheet.iter_rows(values_only=True))
    assert "全市" in rows[0][0] and "申报项目清单" in rows[0][0] and rows[1][0].startswith("制表时间")
    assert sheet.freeze_panes == "A4"
    header = rows[2]
    assert {"序号", "受理编号", "企业", "统一社会信用代码", "项目名称", "项目总投资（万元）", "申请奖补金额（万元）",
            "状态", "疑似重复"} <= set(header)
    data = dict(zip(header, rows[3], strict=True))
    assert data["项目名称"] == "'" + app.project_name
    assert str(data["企业"]).startswith("'@SUM")
    assert data["申请奖补金额（万元）"] == pytest.approx(123.46)
    for cell in next(sheet.iter_rows(min_row=4, max_row=4)):
        assert cell.data_type != "f"  # no formula cells anywhere


def test_export_follows_the_filters_and_the_scope(client_for):
    mine = application_in(Status.SUBMITTED)
    accepted = application_in(Status.COUNTY_ACCEPTED)
    client = client_for(UserFactory(role=Role.COUNTY, county=mine.county))
    sheet = workbook(client.get(reverse("applications:export"), {"status": "county_accepted"}))
    receipts = [row[1] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert receipts == [accepted.receipt_no]
    assert mine.county.name in sheet["A1"].value and "状态：县区已受理" in sheet["A2"].value


def test_county_summary_table_has_a_title_and_ranks_first(client_for):
    app = application_in(Status.FORWARDED)
    app.county_rank = 1
    app.county_opinion = "同意推荐"
    app.save()
    sheet = workbook(client_for(UserFactory(role=Role.COUNTY, county=app.county)).get(reverse("applications:summary")))
    rows = list(sheet.iter_rows(values_only=True))
    assert "中原区" in rows[0][0] and "申报汇总表" in rows[0][0]
    assert rows[2][:2] == ("序号", "县区推荐排序")
    assert rows[3][1] == 1


def test_enterprises_cannot_export(client_for):
    assert client_for(Role.ENTERPRISE).get(reverse("applications:export")).status_code == 403
