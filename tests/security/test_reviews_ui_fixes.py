"""Three small defects of the review pages, fixed and kept fixed:

a) the audit-assignment page kept no ticks when it came back with an error (no firm chosen): the auditor's
   selection had to be made again;
b) on a phone (390 px, and 320 px) the amount column of the public publicity list was headed by a bare "（万元）"
   that could split; it now reads 金额（万元） on one line;
c) score totals were shown with one decimal place next to panel scores with two ("83.0" next to "80.25"): all
   totals and panel scores show two places (pages, the running total, the XLSX number format)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications.workflow import Status
from reviews.services.panels import panel_close
from reviews.services.publicity import publicity_create, publicity_publish
from reviews.services.scoring import score_save
from tests.factories import UserFactory
from tests.factories.applications import category_with_rules
from tests.factories.reviews import (
    active_assignments,
    fill_rubric,
    logged_in,
    opened_panel,
    points_for,
    with_proposal,
)

ONE_PLACE = re.compile(r"(?<![\d.])\d+\.\d(?![\d])")


@pytest.mark.django_db
def test_ticked_applications_stay_ticked_when_the_assignment_form_comes_back():
    city = UserFactory(role=Role.CITY)
    category = category_with_rules()
    fill_rubric(category)
    apps = [with_proposal(Status.REVIEWED, city, category) for _ in range(3)]
    response = logged_in(city).post(reverse("reviews:audit_assign", args=[category.round_id]),
                                    {"firm": "", "applications": [apps[0].pk, apps[2].pk]})
    assert response.status_code == 200 and response.context["form"].errors["firm"]
    body = response.content.decode()
    boxes = {int(m.group(1)): "checked" in m.group(0)
             for m in re.finditer(r'<input[^>]*name="applications" value="(\d+)"[^>]*>', body)}
    assert boxes == {apps[0].pk: True, apps[1].pk: False, apps[2].pk: True}


@pytest.mark.django_db
def test_totals_and_panel_scores_show_two_places():
    city = UserFactory(role=Role.CITY)
    panel, _members, apps = opened_panel(city, experts=2, applications=1, per_application=2)
    for assignment, fraction in zip(active_assignments(panel).select_related("expert__user").order_by("id"),
                                    ("0.83", "0.775"), strict=True):
        score_save(actor=assignment.expert.user, assignment=assignment, points=points_for(panel, fraction),
                   comment="意见", submit=True)
    panel_close(actor=city, panel=panel)
    client = logged_in(city)
    summary = client.get(reverse("reviews:panel_summary", args=[panel.pk])).content.decode()
    assert "83.00" in summary and "77.50" in summary and "80.25" in summary
    results = client.get(reverse("reviews:results", args=[panel.round_id])).content.decode()
    assert "83.00 / 77.50" in results or "77.50 / 83.00" in results
    for page in (summary, results):
        table = page[page.index("<table"):page.rindex("</table>")]
        cells = re.findall(r"<td[^>]*>(.*?)</td>", table, re.S)
        assert not [c for c in cells if ONE_PLACE.search(re.sub(r"<[^>]+>", "", c))], "a one-place score is shown"
    expert = apps[0].review_assignments.first().expert.user
    mine = logged_in(expert).get(reverse("reviews:my_assignments")).content.decode()
    assert re.search(r"(83|77)\.\d0\b", mine) and not re.search(r">\s*(83\.0|77\.5)\s*<", mine)
    assert Decimal(apps[0].review_result.scores_text.split(" / ")[0]).as_tuple().exponent == -2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [390, 320])
def test_amount_header_of_the_public_list_stays_on_one_line_on_a_phone(live_server, page, artifacts, width):
    from tests.factories.disbursements import ensure_counties

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


@pytest.mark.django_db(transaction=True)
def test_running_total_of_the_scoring_form_shows_two_places(live_server, page, artifacts, settings):
    from tests.factories.disbursements import ensure_counties

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
