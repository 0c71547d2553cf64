"""Browser flow of the panel chair: from 我的评审's summary to the page of the members' submitted scores, a
reopen with its reason and back to the same page; axe-core over both pages; the page fits 390 px."""

import re

import pytest

from reviews.models import Assignment, Score
from reviews.services.scoring import score_save
from tests.e2e.test_accessibility import violations
from tests.factories import UserFactory
from tests.factories.disbursements import ensure_counties
from tests.factories.reviews import opened_panel, points_for
from tests.helpers import browser_login


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_chair_reopens_a_score_from_the_chairs_page(live_server, browser, artifacts):
    from axe_playwright_python.sync_playwright import Axe

    ensure_counties()
    city = UserFactory(role="city")
    panel, members, _apps = opened_panel(city, experts=3, applications=2, per_application=3)
    chair = members[0]
    panel.chair = chair
    panel.save(update_fields=["chair"])
    for a in Assignment.objects.filter(panel=panel).exclude(expert=chair).select_related("expert__user"):
        score_save(actor=a.expert.user, assignment=a, points=points_for(panel), submit=True)
    target = Score.objects.filter(assignment__panel=panel, status="submitted").order_by("pk").first()
    axe, problems = Axe(), []

    page = browser_login(browser, live_server.url, chair.user, width=1280)
    page.goto(f"{live_server.url}/reviews/my/")
    page.get_by_text("已提交评分 4 条").wait_for()
    problems += violations(axe, page)
    page.get_by_role("link", name="评审组已提交评分").click()
    page.wait_for_url(re.compile(r"/reviews/chair/scores/$"))
    assert page.title().startswith("评审组已提交评分")
    problems += violations(axe, page)
    row = page.locator("tbody tr").filter(has=page.locator(f"#reason-{target.pk}"))
    row.get_by_text("退回", exact=True).first.click()  # the row's <summary>
    page.locator(f"#reason-{target.pk}").fill("评分意见过于简略，请补充。")
    page.screenshot(path=str(artifacts / "chair-scores-reopen.png"), full_page=True)
    row.get_by_role("button", name="退回").click()
    page.wait_for_url(re.compile(r"/reviews/chair/scores/$"))
    page.get_by_text("评分已退回，已通知专家。").wait_for()
    assert page.locator(f"#reason-{target.pk}").count() == 0
    target.refresh_from_db()
    assert target.status == "draft" and target.reopen_count == 1

    phone = browser_login(browser, live_server.url, chair.user, width=390)
    phone.goto(f"{live_server.url}/reviews/chair/scores/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.screenshot(path=str(artifacts / "chair-scores-390.png"), full_page=True)
    assert problems == [], "\n".join(problems)
