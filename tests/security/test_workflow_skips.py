"""Skipping workflow steps over HTTP: actions the transition tables do not allow from the current state, or not
for this role, are refused; nothing changes (status, version, amounts, county, enterprise) and no audit row is
written. Extra posted fields (status, amount, county, ...) are ignored."""

import uuid

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications.workflow import Status
from core.models import AuditLog
from tests.factories import county
from tests.factories import disbursements as fd
from tests.factories.applications import application_in, enterprise_user

pytestmark = pytest.mark.django_db

EXTRA = {"status": "paid", "amount": "99999999.00", "approved_amount": "99999999.00", "requested_amount": "1.00",
         "county": "1", "enterprise": "1", "receipt_no": "2021-XX-9999", "is_verified": "on", "role": "admin"}


def snapshot(app):
    app.refresh_from_db()
    return (app.status, app.version, app.requested_amount, app.county_id, app.enterprise_id, app.receipt_no)


@pytest.mark.parametrize(("role", "start", "action"), [
    (Role.CITY, Status.DRAFT, "qualify"),            # qualify a draft
    (Role.CITY, Status.SUBMITTED, "qualify"),        # skip county acceptance and forwarding
    (Role.COUNTY, Status.SUBMITTED, "qualify"),      # county doing the city's step
    (Role.ENTERPRISE, Status.FORWARDED, "city_accept"),  # enterprise accepting its own application
    (Role.COUNTY, Status.DRAFT, "accept"),           # accept a draft never submitted
])
def test_action_outside_the_table_is_refused(client_for, role, start, action):
    fd.ensure_counties()
    app = application_in(start, county=county("中原区")) if start != Status.DRAFT else application_in(start)
    user = enterprise_user(app) if role == Role.ENTERPRISE else role
    client = client_for(user) if role == Role.ENTERPRISE else client_for(role, county=app.county) \
        if role == Role.COUNTY else client_for(role)
    before, audits = snapshot(app), AuditLog.objects.count()
    response = client.post(reverse("applications:action", args=[app.pk]),
                           {"action": action, "note": "跳过", "version": app.version, **EXTRA})
    assert response.status_code in (302, 403, 404)
    assert snapshot(app) == before
    assert AuditLog.objects.count() == audits


def test_preparer_cannot_approve_the_batch_they_prepared(client_for):
    from disbursements.models import PaymentBatch
    from disbursements.services import batch_create, batch_submit

    fd.ensure_counties()
    prep = fd.preparer()
    batch = batch_create(actor=prep, commitments=[fd.commitment("5000.00")])
    batch_submit(actor=prep, batch=batch)
    batch.refresh_from_db()
    client = client_for(prep)  # the login writes its own audit row, before the count
    status, audits = batch.status, AuditLog.objects.count()
    response = client.post(reverse("disbursements:batch_action", args=[batch.pk, "approve"]),
                           {"idempotency_key": str(uuid.uuid4()), "reason": "", **EXTRA})
    assert response.status_code in (302, 403)
    assert PaymentBatch.objects.get(pk=batch.pk).status == status
    assert not batch.payments.exclude(status__in=["draft", "submitted", "pending", "prepared"]).exists() \
        or batch.payments.filter(approved_by=prep).count() == 0
    new = list(AuditLog.objects.order_by("pk")[audits:].values_list("action", "from_state", "to_state"))
    assert not new, new


def test_stale_version_is_refused_and_current_version_is_accepted(client_for):
    """Optimistic lock on applications: a second county officer acting on the version they loaded earlier is
    refused with a message; nothing is overwritten. The same action with the current version goes through."""
    fd.ensure_counties()
    app = application_in(Status.SUBMITTED, county=county("中原区"))
    client = client_for(Role.COUNTY, county=app.county)
    stale = app.version
    app.version += 1  # another officer changed it meanwhile
    app.save(update_fields=["version"])
    before, audits = snapshot(app), AuditLog.objects.count()
    response = client.post(reverse("applications:action", args=[app.pk]),
                           {"action": "accept", "note": "", "version": stale}, follow=True)
    assert snapshot(app) == before and AuditLog.objects.count() == audits
    assert "该申报已被他人修改" in response.content.decode()
    client.post(reverse("applications:action", args=[app.pk]), {"action": "accept", "note": "", "version": app.version})
    assert snapshot(app)[0] == Status.COUNTY_ACCEPTED
