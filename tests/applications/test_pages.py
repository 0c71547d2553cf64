"""The application pages obey the Content-Security-Policy (no inline scripts or styles) and are Chinese."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications.workflow import Status
from tests.factories import UserFactory, application_in
from tests.factories.applications import enterprise_user

pytestmark = pytest.mark.django_db


def assert_csp_clean(body):
    assert "<script>" not in body and " style=" not in body
    assert " onclick=" not in body and " onchange=" not in body


def test_enterprise_pages(client_for):
    app = application_in(Status.DRAFT)
    client = client_for(enterprise_user(app))
    for url in (reverse("applications:list"), reverse("applications:apply"),
                reverse("applications:edit", args=[app.pk]), reverse("applications:submit", args=[app.pk]),
                reverse("applications:detail", args=[app.pk]), reverse("accounts:company"),
                reverse("accounts:colleagues")):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert_csp_clean(body)
        assert "申报" in body or "企业" in body


def test_staff_pages(client_for):
    app = application_in(Status.SUBMITTED)
    county = client_for(UserFactory(role=Role.COUNTY, county=app.county))
    for url in (reverse("applications:list"), reverse("applications:detail", args=[app.pk]),
                reverse("accounts:enterprises"), reverse("accounts:enterprise", args=[app.enterprise.pk])):
        response = county.get(url)
        assert response.status_code == 200, url
        assert_csp_clean(response.content.decode())
    city = client_for(Role.CITY)
    for url in (reverse("applications:calls"), reverse("applications:call_detail", args=[app.round.pk]),
                reverse("applications:call_edit", args=[app.round.pk]),
                reverse("applications:category_edit", args=[app.round.pk, app.category.pk])):
        response = city.get(url)
        assert response.status_code == 200, url
        assert_csp_clean(response.content.decode())


def test_public_pages(client):
    app = application_in(Status.SUBMITTED)
    for url in (reverse("public:calls"), reverse("public:call", args=[app.round.year]), reverse("accounts:register")):
        response = client.get(url)
        assert response.status_code == 200
        assert_csp_clean(response.content.decode())
