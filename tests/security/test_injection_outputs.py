"""User text in pages and exports: the XSS payload is escaped in the application pages, and values starting with
= + - @ tab or CR are plain text cells in the application exports (never formulas)."""


import pytest
from django.urls import reverse

from accounts.roles import Role
from applications.workflow import Status
from tests.factories import county
from tests.factories import disbursements as fd
from tests.factories.applications import application_in, enterprise_user
from tests.helpers import xlsx_cells

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script><img src=x onerror=alert(1)>"
FORMULAS = ["=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def test_xss_payload_is_escaped_in_application_pages(client_for):
    fd.ensure_counties()
    app = application_in(Status.SUBMITTED, county=county("中原区"), project_name=XSS, description=XSS,
                         expected_outcomes=XSS)
    pages = [(client_for(enterprise_user(app)), "applications:detail"),
             (client_for(Role.COUNTY, county=app.county), "applications:detail")]
    for client, name in pages:
        response = client.get(reverse(name, args=[app.pk]))
        text = response.content.decode()
        assert response.status_code == 200
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert "<script>alert(1)" not in text and "<img src=x onerror" not in text
    listing = client_for(Role.CITY).get(reverse("applications:list")).content.decode()
    assert "<script>alert(1)" not in listing


@pytest.mark.parametrize("name", ["applications:export", "applications:summary"])
def test_formula_values_are_text_cells_in_application_exports(client_for, name):
    fd.ensure_counties()
    for value in FORMULAS:
        application_in(Status.SUBMITTED, county=county("中原区"), project_name=f"{value}项目")
    response = client_for(Role.CITY).get(reverse(name))
    assert response.status_code == 200
    cells = xlsx_cells(response)
    hostile = [c for c in cells if isinstance(c.value, str) and "项目" in c.value
               and c.value.lstrip("'").lstrip()[:1] in "=+-@"]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert not formulas, f"formula cells in {name}: {formulas}"
    if name == "applications:export":
        assert len(hostile) >= len(FORMULAS)
