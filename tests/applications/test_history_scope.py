"""The application's 办理记录: every action by its name, no "None" for entries without a status, and the
review-stage entries (expert conflicts with expert names, scores, audit figures) only for city-wide staff."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications.workflow import Status
from core.audit import audit_record
from tests.factories import UserFactory, county
from tests.factories.applications import application_in, ensure_counties, enterprise_user

pytestmark = pytest.mark.django_db

EXPERT_NOTE = "孙明: 专家与申报单位在同一县（市、区）"


def _history_row_texts(response):
    html = response.content.decode()
    start = html.index("<tbody>", html.index("办理记录")) if "办理记录" in html else 0
    return html[start:]


def test_enterprise_and_county_see_the_application_steps_by_name_but_not_the_review_internals(client_for):
    ensure_counties()
    app = application_in(Status.REVIEWED, county=county("中原区"))
    city = UserFactory(role=Role.CITY)
    audit_record(actor=city, action="application.start_review", obj=app, from_state="qualified",
                 to_state="under_review")
    audit_record(actor=city, action="review.conflicts_excluded", obj=app, note=EXPERT_NOTE)
    audit_record(actor=city, action="award.computed", obj=app, from_state="", to_state="2000000.00")

    for client in (client_for(enterprise_user(app)), client_for(Role.COUNTY, county=app.county)):
        page = _history_row_texts(client.get(reverse("applications:detail", args=[app.pk])))
        assert "孙明" not in page and "review.conflicts_excluded" not in page and "2000000.00" not in page
        assert "application.start_review" not in page and "开始专家评审" in page
        assert "因利益冲突回避的专家" not in page and "测算奖补金额" not in page
        assert ">None<" not in page

    page = _history_row_texts(client_for(Role.CITY).get(reverse("applications:detail", args=[app.pk])))
    assert "孙明" in page  # city staff see the whole record
    assert "review.conflicts_excluded" not in page and "award.computed" not in page  # by name, not code
    assert "因利益冲突回避的专家" in page and "测算奖补金额" in page
    assert ">None<" not in page
