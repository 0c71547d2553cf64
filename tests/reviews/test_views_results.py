"""The results and award pages (reviews/views/results.py): totals and panel scores with two places, the award
history in 万元."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from core.audit import audit_record
from reviews.models import Audit
from reviews.services.audits import audit_save, audit_submit
from reviews.services.panels import panel_close
from reviews.services.scoring import score_save
from tests.factories import UserFactory
from tests.factories.applications import MINIMAL_PDF
from tests.factories.reviews import (
    active_assignments,
    audit_given,
    auditor_user,
    logged_in,
    opened_panel,
    points_for,
)

pytestmark = pytest.mark.django_db

ONE_PLACE = re.compile(r"(?<![\d.])\d+\.\d(?![\d])")


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


def test_the_award_history_shows_wan_with_separators():
    city = UserFactory(role=Role.CITY)
    audit = audit_given(city)
    auditor = auditor_user(audit.firm)
    audit_save(actor=auditor, audit=audit, audited_investment=Decimal("185430000.00"),
               audited_amount=Decimal("2000000.00"),
               report=SimpleUploadedFile("审计报告.pdf", MINIMAL_PDF, content_type="application/pdf"))
    audit_submit(actor=auditor, audit=Audit.objects.get(pk=audit.pk))
    body = logged_in(city).get(reverse("reviews:award", args=[audit.application_id])).content.decode()
    history = body[body.index('id="hist-h"'):]
    history = history[:history.index("</ul>")]
    assert "审定投资额 18,543.00 万元" in history and "审定金额 200.00 万元" in history
    assert re.search(r"测算奖补金额 · [\d,]+\.\d\d 万元 × [\d.]+% = [\d,]+\.\d\d 万元", history), history
    assert not re.search(r"\d{5,}\.\d\d", history), history  # no raw yuan left


def test_history_rows_recorded_in_yuan_before_the_fix_are_shown_in_wan():
    city = UserFactory(role=Role.CITY)
    audit = audit_given(city)
    app = audit.application
    audit_record(actor=city, action="award.computed", obj=app, to_state="2000000.00",
                 note="185,430,000.00 × 1.08% = 2,002,644.00，超过上限 2,000,000.00，按上限 2,000,000.00")
    audit_record(actor=city, action="application.submit_audit", obj=app, to_state="audited",
                 note="审定投资额 185430000.00，审定金额 2000000.00；重算奖补 2000000.00")
    audit_record(actor=city, action="application.close_review", obj=app, to_state="reviewed",
                 note="评审得分 86.17，排名第 18")
    body = logged_in(city).get(reverse("reviews:award", args=[app.pk])).content.decode()
    history = body[body.index('id="hist-h"'):]
    history = history[:history.index("</ul>")]
    assert ("测算奖补金额 · 200.00 万元 · 18,543.00 万元 × 1.08% = 200.26 万元，超过上限 200.00 万元，按上限 "
            "200.00 万元") in history
    assert "审定投资额 18,543.00 万元，审定金额 200.00 万元；重算奖补 200.00 万元" in history
    assert "评审得分 86.17，排名第 18" in history  # a score is not an amount
