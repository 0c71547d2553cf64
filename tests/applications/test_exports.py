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


def _by_instances(user, filters=None):
    """The rows as the export wrote them when it read model instances (the reference the values path must
    match): every related object through select_related, the labels through the models' display methods."""
    from django.utils.translation import gettext as _

    from applications.selectors import INACTIVE, application_list
    from core.money import to_wan
    from credit.selectors import hits_by_code

    separator = _("; ")
    reasons = {"dup_category": _("two applications in one category"),
               "dup_file": _("same file as another enterprise")}
    rows = []
    for number, a in enumerate(application_list(user, filters), start=1):
        duplicate = "" if a.status in INACTIVE else separator.join(
            [text for flag, text in reasons.items() if getattr(a, flag, False)]
            + ([_("other subsidy declared")] if a.other_subsidy else []))
        hits = hits_by_code([a.enterprise.credit_code]).get(a.enterprise.credit_code, ())
        rows.append([
            number, a.receipt_no, a.round.year, a.category.name, a.enterprise.name, a.enterprise.credit_code or "",
            a.county.name, _("Yes") if a.enterprise.is_above_scale else _("No"), a.project_name,
            a.get_construction_type_display(), to_wan(a.total_investment), to_wan(a.eligible_investment),
            to_wan(a.equipment_investment), to_wan(a.requested_amount), a.get_status_display(), a.county_rank,
            a.county_opinion, a.first_submitted_at, a.other_subsidy_detail if a.other_subsidy else "", duplicate,
            separator.join(f"{h['list']} · {h['source']} · {h['date']}" for h in hits)])
    return rows


def _cells(book):
    return [[(c.coordinate, c.value, c.data_type, c.number_format, c.font.b) for c in row]
            for sheet in book.worksheets for row in sheet.iter_rows()]


@pytest.mark.parametrize("filters", [None, {"duplicates": True}], ids=["all", "duplicates"])
def test_rows_read_as_values_are_the_cells_model_instances_gave(filters):
    from django.utils.translation import gettext as _

    from accounts.models import County
    from applications.exports import _columns, export_workbook
    from applications.models import Attachment
    from applications.selectors import application_list
    from core.xlsx import Column, new_workbook, workbook_bytes, write_sheet
    from tests.applications.test_credit import listed

    first = application_in(Status.SUBMITTED, project_name="=HYPERLINK(\"http://evil.example/\",\"点我\")",
                           requested_amount=Decimal("1234567.89"), other_subsidy=True,
                           other_subsidy_detail="省级技改专项 50 万元", construction_type="new")
    first.enterprise.name = "@SUM(1+1)有限公司"
    first.enterprise.save()
    application_in(Status.COUNTY_ACCEPTED, category=first.category, enterprise=first.enterprise, county_rank=1,
                   county_opinion="-同意推荐\x07（材料齐全）", total_investment=Decimal("0.05"))
    elsewhere = application_in(Status.FORWARDED, county=County.objects.get(name="二七区"), total_investment=None,
                               eligible_investment=None, requested_amount=Decimal("99999999.99"),
                               construction_type="other")
    elsewhere.enterprise.credit_code, elsewhere.enterprise.is_above_scale = None, False
    elsewhere.enterprise.save()
    application_in(Status.WITHDRAWN, other_subsidy=True, other_subsidy_detail="+市级资金")
    listed(application_in(Status.QUALIFIED, county=County.objects.get(name="金水区")))
    shared = [application_in(Status.SUBMITTED), application_in(Status.DISQUALIFIED)]
    for app in shared:
        Attachment.objects.create(application=app, material=app.category.materials.first(), file="a.pdf",
                                  original_name="a.pdf", sha256="ab" * 32, size=1, content_type="application/pdf",
                                  file_type="pdf")
    application_in(Status.DRAFT)  # never submitted: in no export of the city

    city = UserFactory.for_role(Role.CITY)
    produced, _name = export_workbook(application_list(city, filters), user=city)
    produced = xlsx_book(workbook_bytes(produced))
    sheet = produced.active
    expected_rows = _by_instances(city, filters)
    assert len(expected_rows) == (7 if filters is None else 4)  # the withdrawn one is no duplicate
    expected = new_workbook()
    write_sheet(expected, sheet["A1"].value, sheet["A2"].value,
                [Column(_("No."), 6, "int"), *(c for c, _g in _columns(True))], expected_rows, name=sheet.title)
    assert _cells(produced) == _cells(xlsx_book(workbook_bytes(expected)))
    values = [dict(zip([c.value for c in sheet[3]], (c.value for c in row), strict=True))
              for row in sheet.iter_rows(min_row=4)]
    assert {v["状态"] for v in values} >= {"已提交", "县区已受理"} and any(v["疑似重复"] for v in values)
    if filters is None:  # the sample holds what the comparison must cover
        assert any(v["信用核查"] for v in values) and any(v["统一社会信用代码"] is None for v in values)
        assert any(v["项目总投资（万元）"] is None for v in values)
        assert {v["县（市、区）"] for v in values} >= {"二七区", "金水区"}
