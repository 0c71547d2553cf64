"""The report: PDF text, fonts and escaping; the XLSX; the job with its progress; the command."""

import io
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts import demo as accounts_demo
from accounts.roles import Role
from core.pdf import StaticOnlyFetcher
from evaluation import demo
from evaluation.constants import JobStatus, Section
from evaluation.models import ReportJob
from evaluation.report.render import report_files
from evaluation.services import years as year_services
from tests.helpers import needs_pdftotext, pdf_text

pytestmark = pytest.mark.django_db

SECTION_TITLES = ["一、概述", "（一）项目单位基本情况", "（二）项目概况", "（三）项目资金情况", "（四）绩效目标",
                  "二、绩效评价工作情况", "（一）基本情况", "（二）评价组织实施", "三、绩效评价指标分析",
                  "（一）项目决策情况", "（二）项目管理情况", "（三）项目产出情况", "（四）绩效指标评分情况",
                  "四、评价结论", "五、主要经验及做法", "六、存在问题和建议", "七、其他需要说明的问题"]


def text_and_fonts(pdf, tmp_path):
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    return "".join(pdf_text(pdf).split()), fonts  # CJK lines wrap anywhere: compare without whitespace


@pytest.fixture
def demo_year(db):
    accounts_demo.seed()
    return demo.seed()


@needs_pdftotext
def test_demo_pdf_reads_like_the_seed_and_shows_the_gap(demo_year, tmp_path):
    pdf, xlsx, context = report_files(demo_year)
    text, fonts = text_and_fonts(pdf, tmp_path)
    for title in SECTION_TITLES:
        assert title in text, title
    for ind in demo_year.indicators.all():
        assert "".join(ind.name.split()) in text, ind.name
    for figure in ["58,000.00万元", "52,013.00万元", "89.68%", "8.97", "11.8%", "13.3%", "82.1%", "26.5%", "32.7%",
                   "11.78%", "新增百亿级企业2家", "92.86%", "手工录入（资金拨付模块尚无本年度预算）"]:
        assert figure in text, figure
    assert "支出部门绩效评价报告" in text and "附表：各指标评分计算过程" in text
    assert "得分为100分" not in text and "暂不评级" in text
    assert "Noto-Sans-CJK-SC" in fonts or "WenQuanYi" in fonts
    embedded = [line for line in fonts.splitlines() if "CJK" in line or "WenQuanYi" in line]
    assert embedded and all(" yes " in line for line in embedded)
    total = context["result"].total
    # even with full marks on the 14 indicators without data: 100 − 1.03 (budget) − 0.3 − 0.9 (judged)
    assert total.points < Decimal("100") and total.ceiling == Decimal("97.77")


@needs_pdftotext
def test_user_text_is_escaped_and_fetches_nothing(year2021, city, tmp_path, monkeypatch):
    asked = []
    original = StaticOnlyFetcher.fetch
    monkeypatch.setattr(StaticOnlyFetcher, "fetch", lambda self, url, headers=None: asked.append(url)
                        or original(self, url, headers))
    hostile = '<script>alert("x")</script><img src="file:///etc/passwd"> 正常文字'
    year_services.section_update(actor=city, year=year2021, key=Section.PROBLEMS, body=hostile)
    ind = year2021.indicators.get(number=14)
    ind.deviation_reason = '=HYPERLINK("http://evil")'
    ind.save()
    pdf, xlsx, _context = report_files(year2021)
    text, _fonts = text_and_fonts(pdf, tmp_path)
    assert '<script>alert("x")</script><imgsrc="file:///etc/passwd">正常文字' in text
    assert not any(url.lower().startswith("file:") for url in asked)
    assert asked == []  # the report needs no external resource at all
    sheet = load_workbook(io.BytesIO(xlsx)).active
    cells = {c.value: c for row in sheet.iter_rows() for c in row if c.value is not None}
    injected = cells['\'=HYPERLINK("http://evil")']
    assert injected.data_type == "s"


def test_xlsx_has_the_self_evaluation_table(demo_year):
    _pdf, xlsx, context = report_files(demo_year)
    sheet = load_workbook(io.BytesIO(xlsx)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "2021年度项目支出绩效自评表"
    assert rows[2][:7] == ["项目资金（万元）", "年初预算", 58000, "调整预算", None, "实际支出", 52013]
    header = rows.index(next(r for r in rows if r[0] == "序号"))
    assert rows[header][:11] == ["序号", "国家一级指标", "指标层级", "指标", "指标方向", "目标值", "实际值", "分值",
                                 "得分", "是否达成", "偏差原因"]
    first = rows[header + 1]
    assert first[:9] == [1, "过程", "过程", "预算执行率", "'=", "100%", "89.68%", 10, 8.97]
    assert first[6] == "89.68%" and "89.68" in first[12]
    assert len(rows) == header + 1 + 26 + 1
    assert rows[-1][7:9] == [100, float(context["result"].total.points)]


def test_official_generates_a_report_job_and_downloads_both_files(client_for, demo_year,
                                                                 django_capture_on_commit_callbacks):
    client = client_for(Role.OFFICIAL)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluation:report_generate", args=[2021]))
    job = ReportJob.objects.get(year__year=2021)  # the demo has also made the 2022 report
    assert response["Location"] == reverse("evaluation:report_job", args=[2021, job.pk])
    assert (job.status, job.progress) == (JobStatus.DONE, 100)  # eager in tests and in the demo
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and 'value="100"' in page and "hx-trigger" not in page
    pdf = client.get(reverse("evaluation:report_download", args=[2021, job.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = client.get(reverse("evaluation:report_download", args=[2021, job.pk, "xlsx"]))
    assert b"".join(xlsx.streaming_content).startswith(b"PK")
    assert client_for(Role.ENTERPRISE).get(reverse("evaluation:report_download",
                                                   args=[2021, job.pk, "pdf"])).status_code == 403


def test_an_unfinished_job_polls_its_progress(client_for, year2021, official):
    job = ReportJob.objects.create(year=year2021, requested_by=official, status=JobStatus.RUNNING, progress=35)
    client = client_for(official)
    fragment = client.get(reverse("evaluation:report_progress", args=[2021, job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'value="35"' in fragment
    assert client.get(reverse("evaluation:report_download", args=[2021, job.pk, "pdf"])).status_code == 404


def test_management_command_writes_both_files(demo_year, tmp_path):
    out = io.StringIO()
    call_command("evaluation_report", "--year", "2021", "--pdf", str(tmp_path / "r.pdf"),
                 "--xlsx", str(tmp_path / "r.xlsx"), stdout=out)
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "r.xlsx").read_bytes().startswith(b"PK")
    assert "2021:" in out.getvalue()


def test_pressing_generate_twice_joins_the_running_job(year2021, official):
    from evaluation.services.reports import report_request

    first = report_request(actor=official, year=year2021)  # on_commit never fires here: it stays queued
    assert report_request(actor=official, year=year2021) == first
    ReportJob.objects.filter(pk=first.pk).update(status=JobStatus.DONE)
    assert report_request(actor=official, year=year2021) != first


def test_the_job_page_shows_only_the_real_state(client_for, year2021, official, django_capture_on_commit_callbacks):
    """Regression: with a worker the page said "正在生成" in a message next to "报告已生成" once the job was done."""
    from evaluation.services.reports import report_run

    client = client_for(official)
    response = client.post(reverse("evaluation:report_generate", args=[2021]))  # queued: no worker ran yet
    job = ReportJob.objects.get(year__year=2021)  # the demo has also made the 2022 report
    queued = client.get(response["Location"]).content.decode()
    assert queued.count("正在生成") == 1 and "已生成" not in queued and 'hx-trigger="every 1s"' in queued
    report_run(job.pk)
    done = client.get(response["Location"]).content.decode()
    assert "报告已生成" in done and "正在生成" not in done and "hx-trigger" not in done
    listing = client.get(reverse("evaluation:report", args=[2021])).content.decode()
    assert "已完成" in listing and "生成中" not in listing and "排队中" not in listing


def test_a_lost_job_is_shown_as_interrupted_and_stops_polling(client_for, year2021, official):
    from datetime import timedelta

    from django.utils import timezone

    job = ReportJob.objects.create(year=year2021, requested_by=official, status=JobStatus.RUNNING, progress=35)
    ReportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
    client = client_for(official)
    fragment = client.get(reverse("evaluation:report_progress", args=[2021, job.pk])).content.decode()
    assert "已中断" in fragment and "正在生成" not in fragment and "hx-trigger" not in fragment
    listing = client.get(reverse("evaluation:report", args=[2021])).content.decode()
    assert "已中断" in listing and "生成中" not in listing
