"""Browser flow of the review stage: an expert declares no conflict, scores on the rubric (running total) and
submits; after the panel, the audit and so on, city staff (with 2FA) publish the publicity list; a visitor
without login reads it and could object."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications.workflow import Status
from reviews.models import Assignment, Publicity, Score
from reviews.services.assignment import auto_assign
from reviews.services.audits import audit_assign, audit_save, audit_submit
from reviews.services.common import config_for
from reviews.services.panels import panel_close, panel_open
from reviews.services.publicity import publicity_create, publicity_publish
from reviews.workflow import ScoreStatus
from tests.factories import UserFactory
from tests.factories.applications import category_with_rules, pdf_upload
from tests.factories.disbursements import ensure_counties
from tests.factories.reviews import (
    ExpertFactory,
    active_assignments,
    auditor_firm,
    auditor_user,
    logged_in,
    opened_panel,
    panel_with,
    with_proposal,
)
from tests.helpers import browser_login, totp_device


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_expert_scores_city_publishes_visitor_reads(live_server, browser, artifacts):
    ensure_counties()
    city = UserFactory(role="city", first_name="张处长")
    totp_device(city)
    panel, _members, apps = panel_with(experts=0, applications=1)
    application = apps[0]
    expert = ExpertFactory(name="刘教授", user=UserFactory(role="expert", first_name="刘教授"))
    panel.members.set([expert])
    config = config_for(panel.round)
    config.experts_per_application = 1
    config.save()
    auto_assign(actor=city, panel=panel)
    panel_open(actor=city, panel=panel)
    assignment = Assignment.objects.get()

    # 1. the expert declares no conflict, scores with the running total and submits
    page = browser_login(browser, live_server.url, expert.user)
    page.get_by_role("link", name="我的评审").first.click()
    page.get_by_role("link", name="声明", exact=True).click()
    page.wait_for_url(re.compile(r"/declare/$"))
    assert application.enterprise.name in page.content()
    page.get_by_label("本人与该申报单位不存在利益冲突").check()
    page.get_by_role("button", name="提交声明").click()
    page.wait_for_url(re.compile(r"/score/$"))
    points = ["22", "20.5", "15", "12", "8"]
    for criterion, value in zip(panel.category.rubric.criteria.order_by("order"), points, strict=True):
        page.get_by_label(criterion.name).fill(value)
    assert page.locator(".js-total").inner_text() == "77.50"
    page.get_by_label("评审意见").fill("技术路线清晰，投资测算合理。")
    page.screenshot(path=str(artifacts / "reviews-1-scoring.png"), full_page=True)
    page.get_by_role("button", name="提交并锁定").click()
    page.wait_for_url(re.compile(r"/reviews/my/$"))
    page.get_by_text("评分已提交并锁定").wait_for()
    score = Score.objects.get(assignment=assignment)
    assert score.status == ScoreStatus.SUBMITTED and score.total == Decimal("77.5")
    assert score.comment == "技术路线清晰，投资测算合理。"

    # 2. the panel closes and the audit is entered (services: their pages are tested elsewhere)
    panel_close(actor=city, panel=panel)
    firm = auditor_firm()
    auditor = auditor_user(firm)
    audit_assign(actor=city, applications=[application], firm=firm)
    audit = audit_save(actor=auditor, audit=application.audit, audited_investment=Decimal("20000000"),
                       audited_amount=Decimal("2000000"), report=pdf_upload("审计报告.pdf"))
    audit_submit(actor=auditor, audit=audit)
    application.refresh_from_db()
    assert application.status == Status.AUDITED

    # 3. city staff (two-factor) draft and publish the publicity list
    staff = browser_login(browser, live_server.url, city)
    staff.goto(f"{live_server.url}/reviews/publicity/")
    staff.get_by_role("button", name="建立草稿").click()
    staff.wait_for_url(re.compile(r"/reviews/publicity/\d+/$"))
    assert application.enterprise.name in staff.content()
    staff.get_by_role("button", name="发布", exact=True).click()
    staff.get_by_text("已发布").first.wait_for()
    publicity = Publicity.objects.get()
    assert publicity.status == "published" and publicity.entries.count() == 1
    application.refresh_from_db()
    assert application.status == Status.IN_PUBLICITY
    staff.screenshot(path=str(artifacts / "reviews-2-published.png"), full_page=True)

    # 4. a visitor without login reads the list (phone width)
    visitor = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    visitor.goto(f"{live_server.url}/public/publicity/")
    visitor.get_by_role("link", name=publicity.title).click()
    visitor.wait_for_url(re.compile(rf"/public/publicity/{publicity.pk}/$"))
    assert application.enterprise.name in visitor.content()
    assert "200.00" in visitor.locator("table").inner_text()
    assert visitor.get_by_role("button", name="提交异议").is_visible()
    visitor.screenshot(path=str(artifacts / "reviews-3-public.png"), full_page=True)
    for context in (page.context, staff.context, visitor.context):
        context.close()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, 320])
def test_amount_header_of_the_public_list_stays_on_one_line_on_a_phone(live_server, page, artifacts, width):
    ensure_counties()
    city = UserFactory(role=Role.CITY)
    category = category_with_rules()
    for _ in range(3):
        app = with_proposal(Status.AUDITED, city, category)
        app.enterprise.name = "郑州市某某高端装备智能制造股份有限公司第一分公司"
        app.enterprise.save(update_fields=["name"])
    publicity = publicity_create(actor=city, round_=category.round)
    publicity_publish(actor=city, publicity=publicity)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}{reverse('publicity:detail', args=[publicity.pk])}")
    heads = page.evaluate("""() => [...document.querySelectorAll('table.publicity-table thead th')]
        .filter(th => th.getBoundingClientRect().width > 0)
        .map(th => ({text: th.innerText.trim(), height: th.getBoundingClientRect().height}))""")
    page.screenshot(path=str(artifacts / f"reviews-public-publicity-{width}.png"))
    amount = heads[-1]
    assert amount["text"] == "金额（万元）"
    assert amount["height"] == heads[0]["height"], heads  # one line, like the other headers


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_running_total_of_the_scoring_form_shows_two_places(live_server, page, artifacts, settings):
    ensure_counties()
    city = UserFactory(role=Role.CITY)
    panel, _members, _apps = opened_panel(city, experts=1, applications=1, per_application=1)
    assignment = active_assignments(panel).select_related("expert__user").get()
    client = logged_in(assignment.expert.user)  # the browser takes over this session (second factor passed)
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                               "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
    page.goto(f"{live_server.url}{reverse('reviews:score', args=[assignment.pk])}")
    assert page.locator(".js-total").inner_text() == "0.00"
    for criterion, value in zip(panel.category.rubric.criteria.order_by("order"), ["24", "22", "16", "13", "8"],
                                strict=True):
        page.get_by_label(criterion.name).fill(value)
    from playwright.sync_api import expect

    expect(page.locator(".js-total")).to_have_text("83.00")
    page.get_by_label(panel.category.rubric.criteria.order_by("order").last().name).fill("7.5")
    expect(page.locator(".js-total")).to_have_text("82.50")
    page.screenshot(path=str(artifacts / "reviews-running-total.png"))
