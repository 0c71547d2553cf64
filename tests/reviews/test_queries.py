"""The main pages run a fixed number of queries whatever the number of rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reviews.models import Assignment
from reviews.services.panels import panel_close
from reviews.services.scoring import score_save
from tests.factories.reviews import panel_with, points_for

pytestmark = pytest.mark.django_db


def build(opened, city, applications):
    panel, members, apps = panel_with(experts=4, applications=applications)
    panel = opened(panel, per_application=3)
    for a in Assignment.objects.filter(panel=panel).select_related("expert__user"):
        score_save(actor=a.expert.user, assignment=a, points=points_for(panel, Decimal("0.7")), submit=True)
    return panel, members


def count(client, url):
    client.get(url)  # once first: what a connection does once (preparing a statement) is not the page's
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_page_queries_do_not_grow_with_rows(opened, city, client_for):
    small, small_members = build(opened, city, 2)
    large, large_members = build(opened, city, 8)
    client = client_for(city)
    for name in ("reviews:panel_detail", "reviews:panel_summary"):
        assert count(client, reverse(name, args=[large.pk])) <= count(client, reverse(name, args=[small.pk])), name
    panel_close(actor=city, panel=small)
    panel_close(actor=city, panel=large)
    results_small = count(client, reverse("reviews:results", args=[small.round_id]))
    results_large = count(client, reverse("reviews:results", args=[large.round_id]))
    assert results_large <= results_small
    expert_small = client_for(small_members[0].user)
    n_small = count(expert_small, reverse("reviews:my_assignments"))
    expert_large = client_for(large_members[0].user)
    assert count(expert_large, reverse("reviews:my_assignments")) <= n_small
