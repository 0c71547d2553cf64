"""Scope matrix: each role × each view × own or foreign application. Foreign answers 404 (ids leak nothing)."""

import pytest
from django.urls import reverse

from accounts.models import County
from accounts.roles import CITYWIDE_ROLES, Role
from applications.models import Application
from applications.services import attachment_store
from applications.services.submission import snapshot
from applications.workflow import Status
from tests.factories import ProfiledEnterpriseFactory, UserFactory, application_in
from tests.factories.applications import enterprise_user, pdf_upload

pytestmark = pytest.mark.django_db

GET_VIEWS = ["detail", "pdf", "compare", "download"]
POST_VIEWS = ["action"]
ENTERPRISE_VIEWS = ["edit", "submit"]


def submitted_with_file(county_name):
    """A submitted application in ``county_name`` with one file and one frozen version."""
    enterprise = ProfiledEnterpriseFactory(county=County.objects.get(name=county_name))
    app = application_in(Status.DRAFT, enterprise=enterprise)
    owner = enterprise_user(app)
    material = app.category.materials.first()
    attachment = attachment_store(application=app, material=material, upload=pdf_upload(), actor=owner)
    app.status = Status.SUBMITTED
    app.receipt_no = f"{app.round.year}-X-{app.pk}"
    app.first_submitted_at = app.submitted_at = app.created_at
    app.save()
    app.versions.create(number=1, data=snapshot(app, [attachment]), submitted_at=app.created_at)
    app.attachment = attachment
    app.owner = owner
    return app


def url(view, app):
    if view == "download":
        return reverse("applications:download", args=[app.pk, app.attachment.pk])
    return reverse(f"applications:{view}", args=[app.pk])


def viewer(role, own):
    """A user of ``role`` for whom ``own`` is inside the scope (where the role has one)."""
    if role == Role.ENTERPRISE:
        return UserFactory(role=role, organisation=own.enterprise)
    if role == Role.COUNTY:
        return UserFactory(role=role, county=own.county)
    return UserFactory.for_role(role)


@pytest.fixture(autouse=True)
def _fast_pdf(monkeypatch):
    """Scope is what is tested here; the PDF itself is tested in test_pdf.py."""
    monkeypatch.setattr("applications.views.detail.application_pdf", lambda app, version: b"%PDF-1.4 scope")


@pytest.fixture
def pair():
    return submitted_with_file("中原区"), submitted_with_file("金水区")


SEES_ALL = sorted(CITYWIDE_ROLES)
SEES_NOTHING = [Role.EXPERT, Role.AUDITOR]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("view", GET_VIEWS + POST_VIEWS + ENTERPRISE_VIEWS)
def test_scope_matrix(role, view, pair, client_for):
    own, foreign = pair
    client = client_for(viewer(role, own))
    method = client.post if view in POST_VIEWS else client.get
    data = {"action": "accept", "version": 1, "note": ""} if view in POST_VIEWS else None

    foreign_response = method(url(view, foreign), data) if data else method(url(view, foreign))
    own_response = method(url(view, own), data) if data else method(url(view, own))

    if role in SEES_NOTHING:
        assert foreign_response.status_code == 404 and own_response.status_code == 404
    elif role in SEES_ALL:
        # city-wide roles have no foreign applications among submitted ones
        assert foreign_response.status_code != 404 or view in ENTERPRISE_VIEWS
        assert own_response.status_code != 404 or view in ENTERPRISE_VIEWS
    else:
        assert foreign_response.status_code == 404, (view, role)
        if view in ENTERPRISE_VIEWS and role != Role.ENTERPRISE:
            assert own_response.status_code == 404
        else:
            assert own_response.status_code in (200, 302), (view, role, own_response.status_code)
    # nothing changed through a refused or foreign request
    assert Application.objects.get(pk=foreign.pk).status == Status.SUBMITTED


@pytest.mark.parametrize("role", [r for r in Role if r != Role.ENTERPRISE])
def test_drafts_never_submitted_are_the_enterprises_alone(role, client_for):
    draft = application_in(Status.DRAFT)
    client = client_for(viewer(role, draft))
    assert client.get(reverse("applications:detail", args=[draft.pk])).status_code == 404
    listing = client.get(reverse("applications:list"))
    if role in SEES_NOTHING:
        assert listing.status_code == 403
    else:
        assert draft.pk not in {a["id"] for a in listing.context["page"]}


@pytest.mark.parametrize("role", list(Role))
def test_lists_show_only_the_scope(role, pair, client_for):
    own, foreign = pair
    client = client_for(viewer(role, own))
    response = client.get(reverse("applications:list"))
    if role in SEES_NOTHING:
        assert response.status_code == 403
        return
    shown = {a["id"] for a in response.context["page"]}
    assert own.pk in shown
    assert (foreign.pk in shown) == (role in SEES_ALL)


def test_county_cannot_act_on_another_county_even_by_guessing_the_id(pair, client_for):
    own, foreign = pair
    client = client_for(UserFactory(role=Role.COUNTY, county=own.county))
    response = client.post(reverse("applications:action", args=[foreign.pk]),
                           {"action": "accept", "version": foreign.version})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == Status.SUBMITTED
    # batch forwarding of a foreign id does nothing either
    foreign.status = Status.COUNTY_ACCEPTED
    foreign.save()
    client.post(reverse("applications:batch"), {"selected": [foreign.pk], f"rank_{foreign.pk}": 1, "opinion": "同意"})
    foreign.refresh_from_db()
    assert foreign.status == Status.COUNTY_ACCEPTED
