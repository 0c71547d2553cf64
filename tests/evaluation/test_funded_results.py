"""The funded enterprises' own results (aftercare's follow-up reports) in the evaluation: the computed sources
funded_revenue_growth / funded_tax_growth / funded_energy_change, the evidence on the pages of indicators 17, 21 and
22 next to the statistics bureau's figure, and the sentence of the report's effect paragraph."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from aftercare.followup_models import FollowupReport
from disbursements.models import Commitment
from evaluation.computed import compute
from evaluation.computed.indicators import funded_sentence
from evaluation.constants import Source
from evaluation.results import year_results
from tests.factories.disbursements import paid_commitment

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified(year2021):
    project = paid_commitment()
    Commitment.objects.filter(pk=project.pk).update(fund_year=2021)
    base = {"base_revenue": D("50000000"), "base_taxes": D("2000000"), "base_jobs": 200,
            "base_energy": D("1000"), "base_output": D("10000000")}
    FollowupReport.objects.create(
        commitment=project, year=2022, sequence=1, status="verified", due_on=datetime.date(2023, 3, 31),
        submitted_at=datetime.datetime(2023, 3, 1, tzinfo=datetime.UTC), revenue=D("60000000"), taxes=D("2500000"),
        jobs=210, energy=D("1080"), output=D("14000000"), **base)
    return project


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_the_computed_sources_read_the_verified_reports_of_the_year_after(year2021, verified):
    revenue = compute("funded_revenue_growth", year2021)
    assert revenue.actual == D("20.00")
    labels = dict(revenue.inputs)
    assert labels["绩效跟踪报告应报 / 已报 / 已核实"] == "1 / 1 / 1" and "2021" in labels["统计口径"]
    link = revenue.evidence[0]
    assert "2022" in link.label and "year=2022" in link.url and "fund_year=2021" in link.url
    assert compute("funded_tax_growth", year2021).actual == D("25.00")
    assert compute("funded_energy_change", year2021).actual == D("-10.00")  # 1080/6000万 against 1000/5000万


def test_without_verified_reports_the_sources_say_no_data(year2021):
    result = compute("funded_tax_growth", year2021)
    assert result.actual is None and result.missing_reason.startswith("尚无")


def test_the_effect_indicator_pages_show_the_funded_figure_next_to_the_statistics(client_for, year2021, verified):
    client = client_for(Role.CITY)
    page = client.get(reverse("evaluation:indicator_detail", args=[2021, 17])).content.decode()
    assert "受支持企业自身情况" in page and "20 %" in page and "1 / 1 / 1" in page
    assert "year=2022&amp;fund_year=2021&amp;status=verified" in page
    assert "受支持企业自身情况" in client.get(reverse("evaluation:indicator_detail", args=[2021, 22])).content.decode()
    assert "受支持企业自身情况" not in client.get(
        reverse("evaluation:indicator_detail", args=[2021, 14])).content.decode()


def test_a_year_may_choose_the_funded_figure_as_the_indicators_source(year2021, verified):
    indicator = year2021.indicators.get(number=21)
    indicator.source, indicator.source_key = Source.COMPUTED, "funded_tax_growth"
    indicator.save()
    row = next(r for r in year_results(year2021).rows if r.indicator.number == 21)
    assert row.actual == D("25.00") and row.score.scored


def test_the_reports_effect_paragraph_names_the_funded_enterprises_figures(year2021, verified):
    sentence = funded_sentence(year2021)
    assert "已核实 1 份" in sentence and "6,000.00 万元" in sentence and "+20.00%" in sentence
    assert funded_sentence(2030) == ""
