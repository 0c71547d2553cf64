"""Dashboard cards and navigation entries of the applications app."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications.workflow import Status
from tests.factories import UserFactory, application_in
from tests.factories.applications import enterprise_user

pytestmark = pytest.mark.django_db


def cards(client):
    return {str(card.title): card.value for card in client.get(reverse("core:dashboard")).context["cards"]}


def test_county_dashboard_counts_what_waits(client_for):
    waiting = application_in(Status.SUBMITTED)
    application_in(Status.SUBMITTED)
    application_in(Status.COUNTY_ACCEPTED)
    values = cards(client_for(UserFactory(role=Role.COUNTY, county=waiting.county)))
    assert values["待受理"] == 2 and values["已受理待推荐"] == 1


def test_enterprise_dashboard_shows_returned_and_the_open_call(client_for):
    app = application_in(Status.RETURNED)
    values = cards(client_for(enterprise_user(app)))
    assert values["退回补正"] == 1 and values["正在申报"] == app.round.year


def test_city_dashboard_and_navigation(client_for):
    application_in(Status.FORWARDED)
    client = client_for(Role.CITY)
    values = cards(client)
    assert values["县区已推荐"] == 1
    body = client.get(reverse("core:dashboard")).content.decode()
    assert reverse("applications:calls") in body and reverse("applications:list") in body


def test_experts_have_no_application_cards(client_for):
    values = cards(client_for(Role.EXPERT))
    assert "县区已推荐" not in values and "待受理" not in values
