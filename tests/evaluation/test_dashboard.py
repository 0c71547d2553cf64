"""The evaluation's part of the dashboard: the trends of the last years as figure panels with a chart each, once
there are two years; their queries do not grow with the data."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from core.dashboard import dashboard_for
from evaluation.dashboard import trend_panels
from tests.factories.evaluation import cycle_of, cycle_year, year_with_catalogue

pytestmark = pytest.mark.django_db
TITLES = ["历年总分（分）", "历年预算执行率", "历年支持企业数", "历年已拨付金额（万元）"]


def test_one_year_shows_no_trend(db):
    year_with_catalogue(2021)
    assert trend_panels() == []


def test_the_officials_dashboard_shows_the_trends_of_the_years(two_years, user_for):
    board = dashboard_for(user_for(Role.OFFICIAL))
    panels = {str(p.title): p for p in board.figures}
    assert all(title in panels for title in TITLES), list(panels)
    execution = panels["历年预算执行率"]
    assert execution.value == "85.00%" and execution.basis == "2021年：60.00%；2022年：85.00%"
    assert execution.chart.startswith("<svg") and "2021" in execution.chart and "2022" in execution.chart
    assert panels["历年已拨付金额（万元）"].value == "850.00"
    assert not any(title in {str(p.title) for p in dashboard_for(user_for(Role.COUNTY)).figures} for title in TITLES)


def test_four_years_at_most_and_read_from_the_shared_cache(two_years, user_for, client_for):
    for year in (2018, 2019, 2020):
        cycle_year(year, applied=1, awarded=1, paid="100000.00", budget="1000000.00")
    panels = trend_panels()
    assert panels[1].basis.startswith("2019年") and "2022年" in panels[1].basis  # the last four years
    client = client_for(Role.OFFICIAL)
    cache.clear()
    client.get(reverse("core:dashboard"))
    with CaptureQueriesContext(connection) as first:
        body = client.get(reverse("core:dashboard")).content.decode()
    assert "历年总分（分）" in body
    cycle_of(2022, applied=3, awarded=2, paid="5000.00", county_name="金水区")
    with CaptureQueriesContext(connection) as again:
        client.get(reverse("core:dashboard"))
    assert len(again) == len(first)


def test_the_cached_trends_are_read_in_each_readers_language(two_years):
    from django.utils import translation

    cache.clear()
    assert str(trend_panels()[0].title) == "历年总分（分）"  # fills the cache in Chinese
    with translation.override("en"):
        assert [str(p.title) for p in trend_panels()][:2] == ["Total score (points) by year",
                                                               "Budget execution rate by year"]
