"""The data interface's endpoints: public ones without a token, scoped ones by the token's county or the city,
bad input as 400 with field errors in Chinese or English, and the statistics push like the XLSX import."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from applications.workflow import Status
from core.models import AuditLog
from credit.models import RegistryEntry, RegistryImport
from evaluation.constants import Period, StatisticKey
from evaluation.models import StatisticFigure, StatisticsImport
from tests.factories.applications import RoundFactory, application_in, category_with_rules
from tests.factories.disbursements import commitment, credit_code
from tests.factories.evaluation import year_with_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def applications(two_counties):
    zhongyuan, jinshui = two_counties
    category = category_with_rules(round=RoundFactory(year=2021, is_published=True))
    mine = application_in(Status.FORWARDED, category=category, county=zhongyuan, project_name="中原区智能工厂")
    other = application_in(Status.FORWARDED, category=category, county=jinshui, project_name="金水区数字车间")
    draft = application_in(Status.DRAFT, category=category, county=zhongyuan, project_name="未提交的草稿")
    return mine, other, draft


def test_public_calls_and_publicity_need_no_token(api, applications):
    calls = api().get(reverse("api:calls"))
    assert calls.status_code == 200
    body = calls.json()
    assert [c["year"] for c in body["results"]] == [2021]
    category = body["results"][0]["categories"][0]
    assert category["award_rule"]["rate"] == "0.1000" and category["materials"][0]["name"] == "项目备案文件"
    assert api().get(reverse("api:call", args=[2021])).json()["year"] == 2021
    assert api().get(reverse("api:call", args=[1999])).status_code == 404
    assert api().get(reverse("api:publicity")).json()["results"] == []


def test_token_endpoints_refuse_without_a_token(api, applications):
    for name in ("api:applications", "api:support_lists", "api:commitments"):
        response = api().get(reverse(name))
        assert response.status_code == 401, name
        assert "令牌" in response.json()["detail"]


def test_a_county_token_sees_only_its_county(api, issue, applications, two_counties):
    mine, other, draft = applications
    _token, county_key = issue(county=two_counties[0])
    _token, city_key = issue()
    county_rows = api(county_key).get(reverse("api:applications")).json()["results"]
    assert [r["receipt_no"] for r in county_rows] == [mine.receipt_no]
    assert county_rows[0]["status"] == {"code": "forwarded", "label": str(Status.FORWARDED.label)}
    assert api(county_key).get(reverse("api:application", args=[other.receipt_no])).status_code == 404
    city_rows = api(city_key).get(reverse("api:applications")).json()["results"]
    assert {r["receipt_no"] for r in city_rows} == {mine.receipt_no, other.receipt_no}  # never the draft
    filtered = api(city_key).get(reverse("api:applications"), status="draft").json()
    assert filtered["results"] == []


def test_commitments_with_payment_status_are_scoped(api, issue, two_counties):
    promised = commitment("2200000.00")
    _token, city_key = issue()
    rows = api(city_key).get(reverse("api:commitments")).json()["results"]
    assert rows[0]["approved_amount_yuan"] == "2200000.00" and rows[0]["paid_yuan"] == "0.00"
    other_county = two_counties[1] if promised.county != two_counties[1] else two_counties[0]
    _token, county_key = issue(county=other_county)
    assert api(county_key).get(reverse("api:commitments")).json()["results"] == []


@pytest.mark.parametrize("params", [{"year": "abc"}, {"year": "１２"}, {"year": "1900"}, {"status": "nonsense"},
                                    {"limit": "x"}, {"offset": "-1"}, {"limit": "100000"}, {"yaer": "2021"}])
def test_malformed_parameters_answer_400_in_the_callers_language(api, issue, applications, params):
    _token, key = issue()
    chinese = api(key).get(reverse("api:applications"), **params)
    english = api(key, language="en").get(reverse("api:applications"), **params)
    assert chinese.status_code == english.status_code == 400
    (field, messages), = chinese.json().items()
    assert field in params and any("\u4e00" <= ch <= "\u9fff" for ch in messages[0])
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english.json()[field][0])


def test_indicators_for_city_tokens_only(api, issue, two_counties):
    year_with_catalogue(2021)
    _token, city_key = issue()
    body = api(city_key).get(reverse("api:indicators", args=[2021])).json()
    assert body["year"] == 2021 and len(body["indicators"]) == 26
    assert body["total_weight"] == "100.00"
    _token, county_key = issue(county=two_counties[0])
    assert api(county_key).get(reverse("api:indicators", args=[2021])).status_code == 404
    assert api(city_key).get(reverse("api:indicators", args=[1999])).status_code == 404


def row(**figures):
    return {"year": 2021, "period": "year", "note": "", **figures}


def test_statistics_push_saves_all_rows_once_per_key(api, issue):
    year = year_with_catalogue(2021)
    _token, key = issue(statistics=True, name="市统计局数据交换平台")
    url = reverse("api:statistics", args=[2021])
    payload = {"rows": [row(revenue="5123.4", revenue_growth=11.8)]}
    first = api(key).post(url, payload, **{"Idempotency-Key": "2021-annual-1"})
    assert first.status_code == 201 and first.json()["created"] is True
    assert StatisticFigure.objects.get(year=year, period=Period.YEAR, key=StatisticKey.REVENUE).value == \
        Decimal("5123.4")
    again = api(key).post(url, payload, **{"Idempotency-Key": "2021-annual-1"})
    assert again.status_code == 200 and again.json()["import_id"] == first.json()["import_id"]
    assert StatisticsImport.objects.count() == 1
    other = api(key).post(url, {"rows": [row(revenue="1")]}, **{"Idempotency-Key": "2021-annual-1"})
    assert other.status_code == 400 and StatisticsImport.objects.count() == 1
    imported = StatisticsImport.objects.get()
    assert imported.source_system == "市统计局数据交换平台" and imported.uploaded_by is None


def test_statistics_push_reports_every_problem_and_saves_nothing(api, issue):
    year_with_catalogue(2021)
    _token, key = issue(statistics=True)
    url = reverse("api:statistics", args=[2021])
    bad = {"rows": [row(revenue="很多"), row(year=2020, tax_growth="1e400")]}
    response = api(key).post(url, bad, **{"Idempotency-Key": "k1"})
    assert response.status_code == 400
    errors = response.json()
    assert "rows[0].revenue" in errors and "rows[1].year" in errors and "rows[1].period" in errors
    english = api(key, language="en").post(url, bad, **{"Idempotency-Key": "k1"}).json()
    assert english["rows[0].revenue"] == ["“很多” is not a number"]
    assert errors["rows[0].revenue"] == ["“很多”不是数字"]
    assert not StatisticsImport.objects.exists()
    assert api(key).post(url, {"rows": []}, **{"Idempotency-Key": "k2"}).status_code == 400
    assert api(key).post(url, {"rows": [row()]}).status_code == 400  # no Idempotency-Key
    assert api(key).post(url, "not json", **{"Idempotency-Key": "k3"}).status_code == 400


def test_statistics_push_needs_the_statistics_scope_and_an_open_year(api, issue):
    year = year_with_catalogue(2021)
    _token, read_key = issue()
    url = reverse("api:statistics", args=[2021])
    assert api(read_key).post(url, {"rows": [row()]}, **{"Idempotency-Key": "a"}).status_code == 403
    _token, key = issue(statistics=True)
    year.status = "final"
    year.save(update_fields=["status"])
    response = api(key).post(url, {"rows": [row(revenue="1")]}, **{"Idempotency-Key": "b"})
    assert response.status_code == 400 and "year" in response.json()


def test_the_rate_limit_is_counted_in_the_shared_cache(api, issue, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (3, 60)}
    _token, key = issue()
    codes = [api(key).get(reverse("api:applications")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_expiry_in_the_past_means_unauthorised_even_seconds_after(api, issue):
    token, key = issue()
    token.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    token.save(update_fields=["expires_at"])
    assert api(key).get(reverse("api:applications")).status_code == 401


def registry_row(code, **fields):
    return {"code": code, "name": "郑州名录制造有限公司", "county": "中原区", "industry": "3411",
            "above_scale": True, "revenue": "52000000.00", "investment": "32000000.00", **fields}


def test_registry_push_saves_once_per_key_and_is_audited(api, issue):
    _token, key = issue(registry=True, name="市统计局数据交换平台")
    url = reverse("api:registry")
    payload = {"year": 2026, "rows": [registry_row(credit_code(1)), registry_row(credit_code(2), above_scale=False)]}
    first = api(key).post(url, payload, **{"Idempotency-Key": "registry-2026-1"})
    assert first.status_code == 201 and first.json()["rows"] == 2 and first.json()["created"] is True
    again = api(key).post(url, payload, **{"Idempotency-Key": "registry-2026-1"})
    assert again.status_code == 200 and again.json()["import_id"] == first.json()["import_id"]
    assert RegistryImport.objects.count() == 1 and RegistryEntry.objects.count() == 2
    other = api(key).post(url, {"year": 2026, "rows": [registry_row(credit_code(3))]},
                          **{"Idempotency-Key": "registry-2026-1"})
    assert other.status_code == 400 and RegistryImport.objects.count() == 1
    entry = AuditLog.objects.get(action="registry.import")
    assert entry.actor_name == "市统计局数据交换平台" and entry.data["count"] == 2


def test_registry_push_reports_field_and_row_errors_and_saves_nothing(api, issue):
    _token, key = issue(registry=True)
    url = reverse("api:registry")
    shape = api(key).post(url, {"year": 2026, "rows": [registry_row(credit_code(4), revenue="很多")]},
                          **{"Idempotency-Key": "a"})
    assert shape.status_code == 400 and shape.json()["rows"]["0"]["revenue"] == ["请填写合法的数字。"]
    rules = api(key).post(url, {"year": 2026, "rows": [registry_row("91410100MA0000000X"),
                                                       registry_row(credit_code(5), county="火星区")]},
                          **{"Idempotency-Key": "b"})
    assert rules.status_code == 400
    messages = rules.json()["rows"]
    assert len(messages) == 2 and messages[0].startswith("第1行") and "火星区" in messages[1]
    assert api(key).post(url, {"year": 2026, "rows": [registry_row(credit_code(6))]}).status_code == 400
    assert not RegistryImport.objects.exists()


def test_registry_push_needs_the_registry_scope(api, issue, two_counties):
    url = reverse("api:registry")
    payload = {"year": 2026, "rows": [registry_row(credit_code(7))]}
    _token, statistics_key = issue(statistics=True)
    assert api(statistics_key).post(url, payload, **{"Idempotency-Key": "a"}).status_code == 403
    assert api().post(url, payload, **{"Idempotency-Key": "a"}).status_code == 401
    with pytest.raises(ValidationError):
        issue(registry=True, county=two_counties[0])


def test_documentation_reads_in_chinese_by_default_and_in_english_on_request(client):
    chinese = client.get(reverse("api:schema"), {"format": "json"}).json()
    operations = [op for path in chinese["paths"].values() for op in path.values()]
    summaries = {op["summary"] for op in operations}
    assert {"已发布的申报批次", "报送统计数据", "按受理编号查询单个申报"} <= summaries
    tags = {tag for op in operations for tag in op["tags"]}
    assert "公开信息" in tags and not any(tag.isascii() for tag in tags), tags
    assert not any(s.isascii() for s in summaries), summaries
    assert chinese["info"]["description"].startswith("提供申报批次")
    english = client.get(reverse("api:schema"), {"format": "json", "lang": "en"}).json()
    english_summaries = {op["summary"] for path in english["paths"].values() for op in path.values()}
    assert {"Published calls", "Send statistics figures"} <= english_summaries


def test_the_applications_pages_walk_every_row_once_with_the_total_of_the_scope(api, issue, two_counties):
    """The list's pages (their rows read by their keys) follow the submissions newest first and together hold every
    application of the scope once; ``count`` (from the kept counts) is the scope's, filters included."""
    from applications.models import Application

    zhongyuan, jinshui = two_counties
    category = category_with_rules(round=RoundFactory(year=2021, is_published=True))
    later = category_with_rules(round=RoundFactory(year=2022, is_published=True))
    for n in range(7):
        application_in([Status.FORWARDED, Status.QUALIFIED][n % 2], category=[category, later][n % 3 == 0],
                       county=[zhongyuan, jinshui][n % 2])
    application_in(Status.DRAFT, category=category, county=zhongyuan)
    _token, city_key = issue()
    _token, county_key = issue(county=zhongyuan)
    submitted = Application.objects.filter(first_submitted_at__isnull=False)
    for key, scope in ((city_key, submitted), (county_key, submitted.filter(county=zhongyuan))):
        for params, rows in (({}, scope), ({"year": 2021}, scope.filter(round__year=2021)),
                             ({"status": "qualified"}, scope.filter(status=Status.QUALIFIED)),
                             ({"year": 2022, "status": "forwarded"},
                              scope.filter(round__year=2022, status=Status.FORWARDED))):
            expected = list(rows.order_by("-first_submitted_at", "-id").values_list("receipt_no", flat=True))
            walked, offset = [], 0
            while True:
                body = api(key).get(reverse("api:applications"), limit=2, offset=offset, **params).json()
                assert body["count"] == len(expected), params
                walked += [r["receipt_no"] for r in body["results"]]
                if not body["next"]:
                    break
                offset += 2
            assert walked == expected, params
