"""The dashboard registry: queue items, cycles (with stages added by other apps), figure panels; ages in working
days; the page reads queue → cycle → figures, with a calm line when nothing waits; no vanity counters."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Q
from django.urls import reverse

from accounts.roles import Role
from applications.workflow import Status
from core import clock, dashboard
from core.charts import column_chart, pair_chart
from core.dashboard import Cycle, FigurePanel, QueueItem, Stage, Waiting, stage_state, waiting_counts
from tests.factories import UserFactory
from tests.factories.applications import RoundFactory, application_in, category_with_rules

pytestmark = pytest.mark.django_db


def test_parts_are_sorted_and_stages_join_their_cycle(monkeypatch):
    cycle = Cycle(key=2027, title="2027", stages=[Stage("A", order=10), Stage("audit", order=60),
                                                 Stage("Z", order=90)])
    later = Stage("audit (counted)", state="late", done=1, total=3, cycle=2027, order=60)
    stray = Stage("other call", cycle=2020, order=60)
    monkeypatch.setattr(dashboard, "_PROVIDERS", [
        lambda user: [FigurePanel("figure"), QueueItem("queue", 2)],
        lambda user: [cycle, later, stray],
    ])
    board = dashboard.dashboard_for(None)
    assert [q.label for q in board.queue] == ["queue"] and [f.title for f in board.figures] == ["figure"]
    assert [s.label for s in board.cycles[0].stages] == ["A", "audit (counted)", "Z"]
    monkeypatch.setattr(dashboard, "_PROVIDERS", [lambda user: ["a card"]])
    with pytest.raises(TypeError):
        dashboard.dashboard_for(None)


def test_age_counts_working_days_across_the_national_day_holiday():
    item = QueueItem("x", 1, oldest=datetime.date(2024, 9, 30))
    with clock.at(datetime.date(2024, 10, 8)):
        # 1–7 October 2024 are holidays; 8 October is a working day
        assert item.age_days == 1
        assert QueueItem("x", 1, oldest=datetime.date(2024, 9, 30), workdays=False).age_days == 8
        assert QueueItem("x", 0, oldest=datetime.date(2024, 9, 30)).age_days is None
        assert QueueItem("x", 1, oldest=datetime.date(2024, 10, 8)).age_days == 0


def test_stage_state():
    day = datetime.date(2027, 1, 15)
    assert stage_state(waiting=0, total=5, deadline=day, today=day) == "done"
    assert stage_state(waiting=2, total=5, deadline=day, today=day) == "current"
    assert stage_state(waiting=2, total=5, deadline=day, today=day + datetime.timedelta(days=1)) == "late"
    assert stage_state(waiting=0, total=0, deadline=day, today=day + datetime.timedelta(days=1)) == "upcoming"
    with pytest.raises(KeyError):
        Stage("x", state="red").state_label  # noqa: B018 — every state is said in words


def test_waiting_counts_count_the_oldest_and_the_overdue_in_one_query(django_assert_num_queries):
    from applications.models import Application

    old = application_in(Status.SUBMITTED)
    late = application_in(Status.SUBMITTED, category=old.category)
    application_in(Status.FORWARDED, category=old.category)
    Application.objects.filter(pk=old.pk).update(submitted_at=datetime.datetime(2024, 3, 1, 9, tzinfo=datetime.UTC))
    old.round.county_deadline = datetime.date(2024, 4, 1)
    old.round.save()
    with django_assert_num_queries(1):
        counts = waiting_counts(Application.objects.all(), {
            "submitted": Waiting(Q(status=Status.SUBMITTED), "submitted_at", "round__county_deadline"),
            "accepted": Waiting(Q(status=Status.COUNTY_ACCEPTED), "county_decided_at", "round__county_deadline"),
        })
    count, oldest, overdue = counts["submitted"]
    assert (count, overdue) == (2, 2) and oldest.date() == datetime.date(2024, 3, 1)
    assert counts["accepted"] == (0, None, 0)
    assert late.pk


def test_charts_are_accessible_svg_and_escape_their_texts():
    svg = column_chart("月度<拨付>", [("1月", Decimal("10")), ("2月", None)], reference=Decimal("20"),
                       reference_label="年初预算")
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title>月度&lt;拨付&gt;</title>" in svg
    assert "年初预算" in svg and "stroke-dasharray" in svg
    pair = pair_chart("各县", [("中原区", 3, 1)], legend=("申报", "获奖补"))
    assert "中原区" in pair and "3 / 1" in pair and "style=" not in pair + svg


def test_the_page_orders_queue_cycle_figures(client_for):
    application_in(Status.FORWARDED)
    body = client_for(Role.CITY).get(reverse("core:dashboard")).content.decode()
    queue, cycle, figures = (body.index(h) for h in ("我的待办", "年度工作进度", "关键指标"))
    assert queue < cycle < figures
    assert "县区已推荐" in body and 'aria-current="step"' in body
    main = body.split("<main", 1)[1]
    for vanity in ("未读通知", "审计日志条数", "启用的用户数", "注册企业数", "县（市、区）数量"):
        assert vanity not in main


def test_an_empty_queue_reads_calm(client_for):
    body = client_for(Role.EXPERT).get(reverse("core:dashboard")).content.decode()
    assert "暂无待办。" in body


# --- the queries of a dashboard do not grow with the data ------------------------------------------------------


def _world():
    from tests.factories import disbursements as f
    from tests.factories.applications import enterprise_user
    from tests.factories.evaluation import year_with_catalogue
    from tests.factories.reviews import auditor_firm, auditor_user, opened_panel

    year_with_catalogue(2021)
    city = UserFactory(role=Role.CITY)
    panel, members, apps = opened_panel(city, experts=2, applications=1, per_application=2, declare_all=False)
    firm = auditor_firm()
    users = {
        Role.ENTERPRISE: enterprise_user(apps[0]),
        Role.COUNTY: UserFactory(role=Role.COUNTY, county=apps[0].county),
        Role.CITY: city, Role.EXPERT: members[0].user, Role.AUDITOR: auditor_user(firm),
        Role.FINANCE_PREPARER: f.preparer(), Role.FINANCE_APPROVER: f.approver(),
        Role.OFFICIAL: UserFactory(role=Role.OFFICIAL), Role.ADMIN: UserFactory(role=Role.ADMIN),
    }
    return users, members[0], firm


def _grow(users, expert, firm):
    """More of everything a dashboard counts: a call with applications in every status in two counties, another
    opened panel of the same expert, an audit for the firm, commitments in a batch awaiting approval."""
    from disbursements.services import batch_create, batch_submit
    from tests.factories import disbursements as f
    from tests.factories.accounts import county
    from tests.factories.reviews import audit_given, open_panel, panel_with

    city, enterprise = users[Role.CITY], users[Role.ENTERPRISE].organisation
    category = category_with_rules(round=RoundFactory())
    for status in Status:
        application_in(status, category=category, enterprise=enterprise)
        application_in(status, category=category, county=county("二七区"))
    panel, _members, _apps = panel_with(experts=1, applications=2)
    panel.members.add(expert)
    open_panel(city, panel, per_application=2, declare_all=False)
    audit_given(city, firm=firm)
    batch = batch_create(actor=users[Role.FINANCE_PREPARER], commitments=[f.commitment(), f.commitment()])
    batch_submit(actor=users[Role.FINANCE_PREPARER], batch=batch)


def _queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("core:dashboard"))  # the session and the second factor settle first
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("core:dashboard")).status_code == 200
    return len(captured)


def test_dashboard_queries_do_not_grow_with_the_data(client_for):
    from django.test import Client

    from tests.helpers import login

    users, expert, firm = _world()
    clients = {}
    for role, user in users.items():
        clients[role] = Client()
        login(clients[role], user)
    before = {role: _queries(client) for role, client in clients.items()}
    _grow(users, expert, firm)
    after = {role: _queries(client) for role, client in clients.items()}
    assert after == before
    assert max(before.values()) <= 30, before
    board = dashboard.dashboard_for(users[Role.EXPERT])
    assert {str(q.label): q.count for q in board.queue}["待回避声明"] == 3  # 1 + 2: growth counted
