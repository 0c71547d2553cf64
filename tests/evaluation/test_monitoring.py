"""Mid-year monitoring: a dated snapshot with warnings where the year-end target is at risk."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from evaluation.computed import adapters
from evaluation.constants import Grade, Period, StatisticKey
from evaluation.models import Judgement, MonitoringEntry, StatisticFigure, StatisticsImport
from evaluation.services import monitoring as svc

pytestmark = pytest.mark.django_db
State = MonitoringEntry.State


def test_elapsed_share_is_the_time_proportional_progress():
    assert svc.elapsed_share(2021, date(2021, 6, 30)) == Decimal(181) / Decimal(365)
    assert svc.elapsed_share(2021, date(2021, 12, 31)) == Decimal(1)


def test_snapshot_flags_what_is_at_risk(monkeypatch, year2021, city):
    # 11 支持企业数量 (≥200, cumulative): 80 by 30 June is behind the time-proportional 99.18
    monkeypatch.setattr(adapters, "supported_enterprises", lambda year, as_of=None: adapters.Count(80))
    # 12 三大改造 (≥50, cumulative): 30 by 30 June is ahead of 24.79
    monkeypatch.setattr(adapters, "three_transformations_projects", lambda year, as_of=None: adapters.Count(30))
    # 16 奖补资金发放及时率 (=100 %, not cumulative): 90 % now is at risk
    monkeypatch.setattr(adapters, "payment_timeliness", lambda year, as_of=None: adapters.Ratio(9, 10))
    record = StatisticsImport.objects.create(year=year2021, filename="h", sha256="0", rows=1, uploaded_by=city)
    StatisticFigure.objects.create(year=year2021, period=Period.HALF, key=StatisticKey.MFG_VALUE_ADDED_GROWTH,
                                   value=Decimal("2.1"), source_import=record)
    StatisticFigure.objects.create(year=year2021, period=Period.YEAR, key=StatisticKey.MFG_VALUE_ADDED_GROWTH,
                                   value=Decimal("11.8"), source_import=record)
    Judgement.objects.create(indicator=year2021.indicators.get(number=20), grade=Grade.PARTLY,
                             points=Decimal("2"), basis="x", judged_by=city)
    snapshot = svc.snapshot_create(actor=city, year=year2021, taken_on=date(2021, 6, 30),
                                   second_half_plan="加快拨付进度")
    entries = {e.number: e for e in snapshot.entries.all()}
    assert len(entries) == 26
    assert (entries[11].state, entries[11].expected, entries[11].actual) == (State.AT_RISK, "99.18家", "80家")
    assert "低于序时目标 99.18家" in entries[11].warning
    assert (entries[12].state, entries[12].expected) == (State.ON_TRACK, "24.79个")
    assert entries[16].state == State.AT_RISK and "=100%" in entries[16].warning
    assert (entries[14].state, entries[14].actual) == (State.AT_RISK, "2.1%")  # the half-year figure, as given
    assert entries[20].state == State.AT_RISK
    assert entries[1].state == State.NO_DATA and entries[1].warning.startswith("尚无数据")


def test_snapshot_pages_and_export(client_for, year2021):
    client = client_for(Role.CITY)
    response = client.post(reverse("evaluation:monitoring_list", args=[2021]),
                           {"taken_on": "2021-06-30", "second_half_plan": "=加快拨付"})
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and "截至 2021-06-30 的绩效监控" in detail.content.decode()
    snapshot = detail.context["snapshot"]
    assert client.post(reverse("evaluation:monitoring_list", args=[2021]),
                       {"taken_on": "2022-01-10"}).status_code == 200  # outside the year: form error
    official = client_for(Role.OFFICIAL)
    export = official.get(reverse("evaluation:monitoring_export", args=[2021, snapshot.pk]))
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "2021年度绩效监控（截至2021-06-30）"
    assert rows[1] == ["序号", "指标", "目标值", "序时目标", "实际值", "分值", "得分", "状态", "预警"]
    assert rows[2][:2] == [1, "预算执行率"] and rows[2][7] == "尚无数据"
    plan = sheet.cell(row=len(rows), column=2)
    assert plan.value == "'=加快拨付" and plan.data_type == "s"
    assert client_for(Role.ENTERPRISE).get(reverse("evaluation:monitoring_export",
                                                   args=[2021, snapshot.pk])).status_code == 403
