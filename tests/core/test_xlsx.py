"""core.xlsx, the one XLSX writer: typed columns, title rows, frozen header, safe text."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from core.xlsx import (
    Column,
    Value,
    describe_filters,
    export_subtitle,
    new_workbook,
    safe_sheet_title,
    safe_text,
    workbook_bytes,
    workbook_response,
    write_sheet,
)
from tests.helpers import xlsx_book


def reopen(workbook):
    return load_workbook(io.BytesIO(workbook_bytes(workbook)))


@pytest.mark.parametrize(("text", "written"), [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("@cmd", "'@cmd"), ("-2+3", "'-2+3"), ("\t=1", "'\t=1"),
    ("\x01=1+1", "'=1+1"),  # a control character in front does not hide the formula
    ("项目\x01名称\x1f\x0b", "项目名称"), ("A=1", "A=1"), ("智能化改造", "智能化改造"),
    ("全角\u3000空格", "全角\u3000空格"), ("两行\n文字", "两行\n文字"), ("\x7f", "\x7f"),  # not printable, but legal
    (12, "12"),
])
def test_safe_text(text, written):
    assert safe_text(text) == written


def test_text_is_cut_to_what_a_cell_holds():
    assert len(safe_text("长" * 40000)) == 32767 and safe_text("=" * 40000).startswith("'=")


def test_a_sheet_has_title_subtitle_frozen_header_widths_and_typed_cells():
    workbook = new_workbook()
    columns = [Column("名称", 30), Column("金额（万元）", 16, "money"), Column("数量", 8, "int"),
               Column("日期", 12, "date"), Column("时间", 18, "datetime"), Column("比例", 10, "percent"),
               Column("得分", 8, "number", "0.0")]
    aware = timezone.make_aware(datetime.datetime(2021, 5, 6, 7, 8))
    write_sheet(workbook, "2021年度 中原区 申报汇总表", "制表时间：2021-05-06", columns, [
        ["=HYPERLINK(\"http://x\")\x01", Decimal("123.46"), 3, datetime.date(2021, 5, 6), aware, Decimal("0.1234"),
         Decimal("7.5")],
        [None, None, None, None, None, None, None],
    ], footer=[["合计", Decimal("123.46")]], name="汇总")
    sheet = reopen(workbook)["汇总"]
    assert sheet["A1"].value == "2021年度 中原区 申报汇总表" and sheet["A1"].font.b
    assert sheet["A2"].value == "制表时间：2021-05-06"
    assert [c.value for c in sheet[3]] == ["名称", "金额（万元）", "数量", "日期", "时间", "比例", "得分"]
    assert sheet["A3"].font.b and sheet.freeze_panes == "A4"
    assert sheet.column_dimensions["A"].width == 30 and sheet.column_dimensions["B"].width == 16
    name, amount, count, day, moment, share, points = sheet[4]
    assert name.value == "'=HYPERLINK(\"http://x\")" and name.data_type == "s"
    assert amount.value == pytest.approx(123.46) and amount.data_type == "n" and amount.number_format == "#,##0.00"
    assert count.value == 3 and count.number_format == "0"
    assert day.value == datetime.datetime(2021, 5, 6) and day.number_format == "yyyy-mm-dd"
    assert moment.value == datetime.datetime(2021, 5, 6, 7, 8)  # local time (Asia/Shanghai), no zone
    assert share.value == pytest.approx(0.1234) and share.number_format == "0.00%"
    assert points.number_format == "0.0"
    assert all(c.value is None for c in sheet[5])
    assert sheet["A6"].value == "合计" and sheet["B6"].font.b and sheet["B6"].value == pytest.approx(123.46)


def test_text_in_a_number_column_stays_text_and_value_overrides_the_kind():
    workbook = new_workbook()
    write_sheet(workbook, "标题", "", [Column("项目", 10), Column("值", 10, "money")],
                [["比例", Value(Decimal("0.5"), "percent")], ["说明", "=1+1"], ["序号", Value(7, "text")],
                 ["布尔", True]])
    sheet = reopen(workbook).worksheets[0]
    assert sheet.freeze_panes == "A3"  # no subtitle: title, header
    assert sheet["B3"].number_format == "0.00%"
    assert sheet["B4"].value == "'=1+1" and sheet["B4"].data_type == "s"
    assert sheet["B5"].value == "7" and sheet["B5"].data_type == "s"
    assert sheet["B6"].data_type == "s"


def test_preamble_rows_come_between_title_and_header():
    workbook = new_workbook()
    write_sheet(workbook, "标题", "副标题", [Column("A"), Column("B")], [[1, 2]],
                preamble=[["项目", "@名称"], ["资金", Value(Decimal("1.5"), "money")]])
    sheet = reopen(workbook).worksheets[0]
    assert [sheet[f"A{r}"].value for r in range(1, 6)] == ["标题", "副标题", "项目", "资金", "A"]
    assert sheet["B3"].value == "'@名称" and sheet["B4"].number_format == "#,##0.00"
    assert sheet.freeze_panes == "A6"


def test_an_import_template_has_no_title_and_can_freeze_columns():
    workbook = new_workbook(write_only=False)
    columns = [Column("年度", kind="int"), Column("期间"), Column("备注")]
    sheet = write_sheet(workbook, "", "", columns, [[2021, "全年", None]], name="统计数据", frozen_columns=2)
    assert workbook.sheetnames == ["统计数据"]
    sheet.row_dimensions[1].height = 40  # a full sheet: the caller may still style it
    reopened = reopen(workbook)["统计数据"]
    assert reopened["A1"].value == "年度" and reopened.freeze_panes == "C2" and reopened["A2"].value == 2021


@pytest.mark.parametrize("write_only", [True, False])
def test_plain_values_and_styled_cells_mix_without_passing_a_style_on(write_only):
    workbook = new_workbook(write_only=write_only)
    columns = [Column("金额", 12, "money"), Column("名称", 20), Column("日期", 12, "date"),
               Column("说明", 20, wrap=True), Column("数量", 8, "auto"), Column("备注", 20)]
    rows = [[Decimal("1.5"), "文字", datetime.date(2021, 1, 2), "换行", 7, "#N/A"],
            ("", None, None, "", 2.5, "#DIV/0!"),  # a tuple
            (v for v in ["3", "=1", "x", 4, "", "#REF!", "多出", Decimal("2")])]  # a generator, longer than the columns
    write_sheet(workbook, "标题", "", columns, rows, footer=[["合计", "文字"]])
    sheet = reopen(workbook).worksheets[0]
    amount, name, day, note, count, remark = sheet[3][:6]
    assert amount.number_format == "#,##0.00" and name.value == "文字" and name.number_format == "General"
    assert not name.font.b and not name.alignment.wrap_text and day.number_format == "yyyy-mm-dd"
    assert note.alignment.wrap_text and (count.value, count.number_format) == (7, "General")
    assert (remark.value, remark.data_type) == ("#N/A", "s")  # text, not Excel's error value
    empty_amount, _name, empty_day, _note, number, error = sheet[4][:6]
    assert empty_amount.value is None and empty_amount.number_format == "#,##0.00"  # an empty cell keeps its format
    assert empty_day.number_format == "yyyy-mm-dd" and number.value == 2.5 and number.number_format == "General"
    assert (error.value, error.data_type) == ("#DIV/0!", "s")
    text_amount, formula, _x, number_as_text, _empty, _ref, beyond, beyond_number = sheet[5]
    assert (text_amount.value, text_amount.data_type, text_amount.number_format) == ("3", "s", "General")
    assert formula.value == "'=1" and number_as_text.value == "4" and beyond.value == "多出"
    assert beyond_number.value == 2 and beyond_number.data_type == "n"
    total_label, total_text = sheet[6][:2]
    assert total_label.value == "合计" and total_label.font.b and total_text.font.b
    assert sheet["A7"].value is None  # nothing after the footer


def test_a_value_openpyxl_styles_itself_does_not_pass_its_style_on():
    from core.xlsx import _append_cells

    sheet = new_workbook().create_sheet("x")
    written = [(c.coordinate, c.value, c.number_format) for c in
               _append_cells(sheet, [datetime.date(2021, 1, 2), "文字", None, 1], 4)]
    assert written == [("A4", datetime.date(2021, 1, 2), "yyyy-mm-dd"), ("B4", "文字", "General"), ("D4", 1, "General")]


def test_sheet_names_are_cleaned_shortened_and_unique():
    assert safe_sheet_title("a[b]:c*d?e/f\\g\x01") == "abcdefg"
    assert len(safe_sheet_title("长" * 40)) == 31 and safe_sheet_title("") == "Sheet"
    assert safe_sheet_title("评审组", ["评审组"]) == "评审组 (2)"
    assert safe_sheet_title("长" * 40, ["长" * 31]) == "长" * 27 + " (2)"
    workbook = new_workbook()
    for _n in range(2):
        write_sheet(workbook, "同名", "", [Column("A")], [])
    assert reopen(workbook).sheetnames == ["同名", "同名 (2)"]


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind"):
        Column("A", kind="currency")


def test_filters_are_described_with_their_labels_and_choices():
    from django import forms

    class Filters(forms.Form):
        status = forms.ChoiceField(label="状态", choices=[("", "全部"), ("a", "已提交")], required=False)
        q = forms.CharField(label="搜索", required=False)
        dup = forms.BooleanField(label="仅疑似重复", required=False)

    form = Filters()
    assert describe_filters(form, {"status": "a", "q": "=1", "dup": True, "missing": 1}) == \
        "状态：已提交；搜索：=1；仅疑似重复"
    assert describe_filters(form, {"status": "", "dup": False}) == ""
    assert export_subtitle(form, {"status": "a"}).startswith("筛选条件：状态：已提交；制表时间：")
    assert export_subtitle().startswith("制表时间：")


def test_the_response_is_an_attachment(db):
    workbook = new_workbook()
    write_sheet(workbook, "标题", "", [Column("A")], [["x"]])
    response = workbook_response(workbook, "export.xlsx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="export.xlsx"'
    sheet = xlsx_book(response).worksheets[0]
    assert sheet["A3"].value == "x"
