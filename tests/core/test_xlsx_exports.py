"""Every XLSX export of every app, with hostile text in every free-text field that reaches it.

Each export URL of the URL conf is in the table (a new export that is not fails the first test). For each,
the free-text fields (project and enterprise names, opinions, comments, purposes, notes, titles...) hold
formulas and the control characters openpyxl refuses; the file downloaded by the role that may must answer
200, open, hold text only as text cells, no formula anywhere, a frozen header row and a title naming the
year or the filter.
"""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Organisation
from accounts.roles import Role
from aftercare import services as aftercare
from aftercare.models import Clawback
from aftercare.workflow import Action
from applications.models import Application
from applications.workflow import Status
from core import clock
from disbursements.models import BudgetEntry, Payment
from disbursements.services import batch_send, budget_entry_add
from evaluation.constants import JobStatus
from evaluation.models import EvaluationYear, Indicator, MonitoringEntry, MonitoringSnapshot, ReportJob
from evaluation.services import monitoring
from reviews.models import ExpertProfile, Publicity, PublicityEntry, Score, SupportList, SupportListEntry
from tests.factories import UserFactory, application_in
from tests.factories import disbursements as f
from tests.factories.applications import RoundFactory, category_with_rules, enterprise_user
from tests.factories.evaluation import year_with_catalogue
from tests.helpers import xlsx_book
from tests.security.routes import url_patterns
from tests.security.test_reviews_xss_outputs import build as review_world

pytestmark = pytest.mark.django_db

# a formula start, the control characters openpyxl refuses (\x01 \x1f \x0b), a marker to find the text again
PAYLOADS = ["=1+1\x01甲", "\x01+SUM(A1)乙\x1f", "@cmd\x0b丙", "-2+3\x1f丁\x0b"]
MARKERS = "甲乙丙丁"
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def poison(queryset, *fields):
    """Each of ``fields`` of every row of ``queryset`` holds a payload (as if typed in; the rows' ids keep
    unique fields unique)."""
    model = queryset.model
    for index, pk in enumerate(queryset.order_by("pk").values_list("pk", flat=True)):
        values = {}
        for offset, name in enumerate(fields):
            text = f"{PAYLOADS[(index + offset) % len(PAYLOADS)]}{pk}"
            length = model._meta.get_field(name).max_length
            values[name] = text[:length] if length else text
        model.objects.filter(pk=pk).update(**values)


def poison_applications(apps):
    ids = [a.pk for a in apps]
    poison(Application.objects.filter(pk__in=ids), "project_name", "county_opinion", "other_subsidy_detail")
    Application.objects.filter(pk__in=ids).update(other_subsidy=True)
    poison(Organisation.objects.filter(applications__pk__in=ids).distinct(), "name")


# --- one setup per export: (user who may download, url, texts the title rows must hold, sheet of the title) ---


def applications_list():
    app = application_in(Status.FORWARDED, county_rank=1)
    poison_applications([app])
    url = reverse("applications:export") + "?status=forwarded"
    return UserFactory.for_role(Role.CITY), url, [str(app.round.year), "全市", "申报项目清单", "状态："], 0


def applications_summary():
    app = application_in(Status.FORWARDED, county_rank=1)
    poison_applications([app])
    county = UserFactory(role=Role.COUNTY, county=app.county)
    return county, reverse("applications:summary"), [str(app.round.year), app.county.name, "申报汇总表"], 0


def _reviews():
    w = review_world()
    poison_applications(Application.objects.all())
    poison(Score.objects.all(), "comment")
    poison(ExpertProfile.objects.all(), "name")
    poison(Publicity.objects.all(), "title")
    poison(PublicityEntry.objects.all(), "enterprise_name", "project_name")
    poison(SupportList.objects.all(), "title")
    poison(SupportListEntry.objects.all(), "enterprise_name", "project_name")
    return w


def panel_scores():
    w = _reviews()
    return w["city"], reverse("reviews:panel_scores_xlsx", args=[w["panel"].pk]), [f"{w['panel'].round.year}年度"], 0


def expert_scores():
    w = _reviews()
    return (w["city"], reverse("reviews:expert_scores_xlsx", args=[w["second"].expert_id]),
            [f"{w['panel'].round.year}年度"], 0)


def my_scores():
    w = _reviews()
    return w["second"].expert.user, reverse("reviews:my_scores_xlsx"), [f"{w['panel'].round.year}年度"], 0


def ranking():
    w = _reviews()
    return (w["city"], reverse("reviews:ranking_xlsx", args=[w["panel"].round_id]),
            [f"{w['panel'].round.year}年度", "排名"], 0)


def publicity_list():
    w = _reviews()
    publicity = w["publicity"]
    return w["city"], reverse("reviews:publicity_xlsx", args=[publicity.pk]), [f"{publicity.round.year}年度"], 0


def support_list():
    w = _reviews()
    support = w["support_list"]
    return w["city"], reverse("reviews:support_list_xlsx", args=[support.pk]), [f"{support.round.year}年度"], 0


def _finance():
    prep, appr = f.preparer(), f.approver()
    application = f.budget_listed_application(round=RoundFactory(year=2021))  # a year the filter offers
    commitment = f.commitment("3000.00", application=application)
    batch = f.approved_batch(prep, appr, [commitment])
    poison(Payment.objects.filter(batch=batch), "payee_name", "payee_bank", "purpose")  # before the file is made
    batch_send(actor=prep, batch=batch)
    batch.refresh_from_db()
    poison(Payment.objects.filter(batch=batch), "bank_reference")
    poison_applications([commitment.application])
    for day in (1, 2):
        budget_entry_add(actor=prep, fund_year=commitment.fund_year, kind="received", amount="1.00",
                         date=date(commitment.fund_year, 1, day), note="备注")
    poison(BudgetEntry.objects.all(), "note")
    return prep, batch, commitment.fund_year


def payments_export():
    prep, _batch, year = _finance()
    return prep, reverse("disbursements:payments_export") + f"?year={year}", [f"{year}年度", "付款明细"], 0


def bank_file():
    prep, batch, _year = _finance()
    return prep, reverse("disbursements:bank_file", args=[batch.pk]), [batch.reference], 1  # the summary


def return_template():
    prep, batch, _year = _finance()
    return prep, reverse("disbursements:return_template", args=[batch.pk]), [batch.reference], 0


def budget_export():
    prep, _batch, year = _finance()
    return prep, reverse("disbursements:budget_export") + f"?year={year}", [f"{year}年度预算执行情况"], 0


def _evaluation():
    year = year_with_catalogue(2021)
    city = UserFactory.for_role(Role.CITY)
    poison(EvaluationYear.objects.filter(pk=year.pk), "unit_name", "fund_name")
    poison(Indicator.objects.filter(year=year), "name", "deviation_reason")
    return year, city


def statistics_template():
    _year, city = _evaluation()
    # an import template: its first row is the header the import reads; the title is on the instructions sheet
    return city, reverse("evaluation:statistics_template", args=[2021]), ["2021年度", "统计数据导入模板"], 1


def credit_template():
    city = UserFactory(role=Role.CITY)
    return city, reverse("credit:template"), ["信用名单导入模板"], 1


def registry_template():
    city = UserFactory(role=Role.CITY)
    return city, reverse("credit:registry_template"), ["企业名录导入模板"], 1


def monitoring_export():
    year, city = _evaluation()
    snapshot = monitoring.snapshot_create(actor=city, year=year, taken_on=date(2021, 6, 30), second_half_plan="计划")
    poison(MonitoringSnapshot.objects.filter(pk=snapshot.pk), "second_half_plan")
    poison(MonitoringEntry.objects.filter(snapshot=snapshot), "name", "target", "actual", "expected", "warning")
    return city, reverse("evaluation:monitoring_export", args=[2021, snapshot.pk]), ["2021", "监控"], 0


def report_xlsx(client_for, capture):
    _year, city = _evaluation()
    with capture(execute=True):
        assert client_for(city).post(reverse("evaluation:report_generate", args=[2021])).status_code == 302
    job = ReportJob.objects.latest("pk")
    assert job.status == JobStatus.DONE, job.error
    return city, reverse("evaluation:report_download", args=[2021, job.pk, "xlsx"]), ["2021", "绩效自评表"], 0


def acceptance_export():
    project = f.paid_commitment()
    poison_applications([project.application])
    url = reverse("aftercare:export") + "?status=open"
    return UserFactory.for_role(Role.CITY), url, ["项目验收", "全市", "筛选"], 0


def overdue_refunds_export():
    project = f.paid_commitment()
    poison_applications([project.application])
    city, city2 = UserFactory.for_role(Role.CITY), UserFactory.for_role(Role.CITY)
    county = UserFactory(role=Role.COUNTY, county=project.county)
    acceptance = aftercare.report_submit(actor=enterprise_user(project.application), commitment_id=project.pk,
                                         actual_investment=Decimal(1), invoice_amount=Decimal(1), equipment_list="-")
    acceptance = aftercare.inspection_record(actor=county, acceptance_id=acceptance.pk, visit_date=clock.today(),
                                             inspectors="-", findings="-", recommendation="fail")
    aftercare.decide(actor=city, acceptance_id=acceptance.pk, action=Action.CLAWBACK, note="-")
    clawback = aftercare.clawback_propose(actor=city, acceptance_id=acceptance.pk, amount=Decimal(100), reason="-",
                                          legal_basis="-", refund_due=clock.today() + timedelta(days=1))
    aftercare.clawback_confirm(actor=city2, clawback_id=clawback.pk)
    Clawback.objects.filter(pk=clawback.pk).update(refund_due=clock.today() - timedelta(days=3))
    return city, reverse("aftercare:overdue_export"), ["逾期", "全市"], 0


def county_comparison():
    year_with_catalogue(2022)
    f.paid_commitment(category=category_with_rules(round=RoundFactory(year=2022)))
    url = reverse("evaluation:county_comparison_export") + "?year=2022"
    return UserFactory.for_role(Role.OFFICIAL), url, ["2022年与2021年", "全部县区"], 0


def followup_export():
    from aftercare.followup_models import FollowupReport
    from aftercare.followup_services import followup_schedule

    project = f.paid_commitment()
    followup_schedule(commitment_id=project.pk)
    poison_applications([project.application])
    poison(FollowupReport.objects.filter(commitment=project), "explanation")
    url = reverse("aftercare:followup_export") + "?year=2022"
    return UserFactory.for_role(Role.CITY), url, ["绩效跟踪", "全市", "2022"], 0


EXPORTS = {
    "aftercare:export": acceptance_export,
    "aftercare:overdue_export": overdue_refunds_export,


    "aftercare:followup_export": followup_export,
    "applications:export": applications_list,
    "applications:summary": applications_summary,
    "reviews:panel_scores_xlsx": panel_scores,
    "reviews:expert_scores_xlsx": expert_scores,
    "reviews:my_scores_xlsx": my_scores,
    "reviews:ranking_xlsx": ranking,
    "reviews:publicity_xlsx": publicity_list,
    "reviews:support_list_xlsx": support_list,
    "disbursements:payments_export": payments_export,
    "disbursements:bank_file": bank_file,
    "disbursements:return_template": return_template,
    "disbursements:budget_export": budget_export,
    "evaluation:statistics_template": statistics_template,
    "credit:template": credit_template,
    "credit:registry_template": registry_template,
    "evaluation:monitoring_export": monitoring_export,
    "evaluation:report_download": report_xlsx,  # the self-evaluation table, made by the report job
    "evaluation:county_comparison_export": county_comparison,
}
# exports no typed text reaches: import templates, and figures per county (the county names are the platform's)
NO_USER_TEXT = {"evaluation:statistics_template", "credit:template", "credit:registry_template",
                "evaluation:county_comparison_export"}
NEEDS_JOB = {"evaluation:report_download"}


def looks_like_an_export(name, route):
    text = f"{name} {route}".lower()
    return any(word in text for word in ("xlsx", "export", "template", "bank-file", "bank_file"))


def test_every_export_url_is_in_the_table():
    routes = dict(url_patterns())
    exports = {name for name, pattern in routes.items() if looks_like_an_export(name, str(pattern.pattern))}
    assert exports - set(EXPORTS) == set(), "export URLs missing from the table"
    assert set(EXPORTS) <= set(routes), "table entries that are no URL"


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_the_export_holds_hostile_text_as_plain_text(name, client_for, django_capture_on_commit_callbacks):
    setup = EXPORTS[name]
    user, url, title_texts, title_sheet = (setup(client_for, django_capture_on_commit_callbacks)
                                           if name in NEEDS_JOB else setup())
    response = client_for(user).get(url)
    assert response.status_code == 200, url
    workbook = xlsx_book(response)
    texts = []
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes, f"{name}: the header row of {sheet.title} is not frozen"
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (name, sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (name, cell.coordinate)
                    assert not cell.value.startswith(FORMULA_STARTS), (name, cell.coordinate, cell.value)
                    assert not ILLEGAL.search(cell.value), (name, cell.coordinate, cell.value)
                    texts.append(cell.value)
    titled = workbook.worksheets[title_sheet]
    title = f"{titled['A1'].value} {titled['A2'].value or ''}"
    for text in title_texts:
        assert text in title, f"{name}: the title rows “{title}” do not name “{text}”"
    # no user text reaches the import templates
    if name not in NO_USER_TEXT:
        assert any(t.startswith("'") and t[1:2] in "=+-@" for t in texts), f"{name}: no neutralised formula"
        assert any(marker in t for t in texts for marker in MARKERS), f"{name}: the user text is missing"


# --- the title names the filter the rows were chosen by, and the rows are only those ----------------------------


def _two_calls():
    """A county with forwarded applications in an older and a newer call."""
    older = application_in(Status.FORWARDED, county_rank=1, category=category_with_rules(round=RoundFactory()))
    newer_category = category_with_rules(round=RoundFactory())
    newer = application_in(Status.SUBMITTED, county=older.county, category=newer_category)
    application_in(Status.FORWARDED, county=older.county, category=older.category, county_rank=2)
    return older.round, newer.round, UserFactory(role=Role.COUNTY, county=older.county)


def _years_in(book):
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[3]]
    column = header.index("资金年度")
    return [row[column] for row in sheet.iter_rows(min_row=4, values_only=True) if row[0] is not None]


@pytest.mark.parametrize("chosen", ["none", "older", "newer"])
def test_the_county_summary_is_one_call_named_in_its_title(client_for, chosen):
    older, newer, county_user = _two_calls()
    query = {"none": {}, "older": {"round": older.pk}, "newer": {"round": newer.pk}}[chosen]
    expected = older if chosen == "older" else newer  # no choice: the newest call the county has applications in
    other = newer if expected is older else older
    book = xlsx_book(client_for(county_user).get(reverse("applications:summary"), query))
    title, subtitle = book.worksheets[0]["A1"].value, book.worksheets[0]["A2"].value
    assert f"{expected.year}年度" in title and str(other.year) not in title
    assert f"申报年度：{expected.title}" in subtitle
    assert set(_years_in(book)) == {expected.year}
    assert len(_years_in(book)) == (2 if expected is older else 1)


def test_the_list_export_names_the_chosen_call_or_every_year_it_holds(client_for):
    older, newer, county_user = _two_calls()
    client = client_for(county_user)
    book = xlsx_book(client.get(reverse("applications:export"), {"round": older.pk}))
    title = book.worksheets[0]["A1"].value
    assert f"{older.year}年度" in title and str(newer.year) not in title
    assert set(_years_in(book)) == {older.year}
    everything = xlsx_book(client.get(reverse("applications:export")))
    assert f"{older.year}–{newer.year}年度" in everything.worksheets[0]["A1"].value
    assert set(_years_in(everything)) == {older.year, newer.year}
    # a chosen call without rows still names that call, not the current year
    empty = xlsx_book(client.get(reverse("applications:export"), {"round": older.pk, "status": "paid"}))
    assert f"{older.year}年度" in empty.worksheets[0]["A1"].value and _years_in(empty) == []
