"""Contract tests: schemathesis generates requests from the OpenAPI schema for every endpoint and checks that
no answer is a server error, that every answer (status, headers, body) matches the schema, and that the
endpoints that need a token refuse a request without one."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from applications.workflow import Status
from tests.factories.applications import RoundFactory, application_in, category_with_rules
from tests.factories.disbursements import commitment
from tests.factories.evaluation import year_with_catalogue


def _schema():
    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()


@pytest.fixture
def api_key(db, issue, settings):
    """A little of everything the endpoints return, and a whole-city token that may send statistics."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (100000, 60), "api_public": (100000, 60)}
    category = category_with_rules(round=RoundFactory(year=2021, is_published=True))
    application_in(Status.FORWARDED, category=category)
    commitment("1500000.00")
    year_with_catalogue(2021)
    # the WSGI app closes the database connection after each request, as in production; the test's
    # transaction must survive it (Django's test client does the same)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield issue(statistics=True, registry=True)[1]
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_endpoint_keeps_its_contract(case, api_key):
    excluded = []
    if case.method == "POST":
        # figures that fit the schema may still break the import's rules (a year other than the path's, a value
        # out of range): those are refused with 400 by design, so a schema-valid body need not be accepted
        excluded.append(positive_data_acceptance)
    case.call_and_validate(headers={"Authorization": f"Bearer {api_key}"}, excluded_checks=excluded)


def test_the_schema_lists_every_endpoint_and_the_docs_page_serves_local_assets(client):
    document = client.get("/api/v1/schema/?format=json")
    assert document.status_code == 200
    paths = set(document.json()["paths"])
    assert {"/api/v1/calls/", "/api/v1/calls/{year}/", "/api/v1/publicity/", "/api/v1/applications/",
            "/api/v1/applications/{receipt_no}/", "/api/v1/support-lists/", "/api/v1/commitments/",
            "/api/v1/evaluation/{year}/indicators/", "/api/v1/evaluation/{year}/statistics/",
            "/api/v1/registry/"} == paths
    page = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in page and "cdn" not in page.lower() and "https://" not in page
