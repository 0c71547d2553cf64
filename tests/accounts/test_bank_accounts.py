"""Bank-account changes: the enterprise requests, a county user of its county or a city user verifies (four eyes),
the old account stays in force until then; audited and notified both ways; the staff queue and its scope."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import BankAccountChange, Organisation
from accounts.roles import Role
from accounts.selectors import pending_bank_change
from accounts.services.bank_accounts import bank_change_approve, bank_change_reject
from accounts.services.enterprises import enterprise_update_profile
from core.models import AuditLog, Notification
from core.workflow import TransitionNotAllowed
from tests.factories import UserFactory
from tests.factories.accounts import county
from tests.factories.applications import ProfiledEnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return ProfiledEnterpriseFactory(county=county("中原区"))


@pytest.fixture
def clerk(org):
    return UserFactory(role=Role.ENTERPRISE, organisation=org)


def request_change(org, clerk, **values):
    org = Organisation.objects.get(pk=org.pk)
    enterprise_update_profile(actor=clerk, org=org, expected_version=org.version,
                              **{"bank_account_no": "6228480000001111", **values})
    return pending_bank_change(org)


def test_a_change_waits_for_verification_and_tells_the_verifiers(org, clerk):
    own_county = UserFactory(role=Role.COUNTY, county=county("中原区"))
    other_county = UserFactory(role=Role.COUNTY, county=county("金水区"))
    city = UserFactory(role=Role.CITY)
    old = org.bank_account_no
    change = request_change(org, clerk)
    assert (change.old_account_no, change.new_account_no, change.requested_by) == (old, "6228480000001111", clerk)
    assert Organisation.objects.get(pk=org.pk).bank_account_no == old
    told = set(Notification.objects.filter(kind="enterprise.bank_change_request").values_list("recipient", flat=True))
    assert told == {own_county.pk, city.pk} and other_county.pk not in told
    # a newer request replaces the waiting one
    newer = request_change(org, clerk, bank_account_no="6228480000002222")
    change.refresh_from_db()
    assert change.status == "withdrawn" and newer.status == "pending"
    assert BankAccountChange.objects.filter(organisation=org, status="pending").count() == 1


def test_county_of_the_enterprise_verifies_and_the_new_account_takes_effect(org, clerk):
    change = request_change(org, clerk)
    with pytest.raises(PermissionDenied):  # another county's staff
        bank_change_approve(actor=UserFactory(role=Role.COUNTY, county=county("金水区")), change=change)
    with pytest.raises(PermissionDenied):  # the enterprise itself
        bank_change_approve(actor=clerk, change=change)
    verifier = UserFactory(role=Role.COUNTY, county=county("中原区"))
    bank_change_approve(actor=verifier, change=change, reason="已核对开户许可证")
    org.refresh_from_db()
    change.refresh_from_db()
    assert org.bank_account_no == "6228480000001111" and change.status == "approved"
    assert change.decided_by == verifier and change.decided_at <= timezone.now()
    entry = AuditLog.objects.get(action="enterprise.bank_change_approve")
    assert entry.data["requested_by_user"] == clerk.pk and entry.data["new_account_no"] == "6228480000001111"
    assert entry.note == "已核对开户许可证"
    note = Notification.objects.get(recipient=clerk, kind="enterprise.bank_change_approve")
    assert "6228480000001111" in note.body
    with pytest.raises(TransitionNotAllowed):  # decided once
        bank_change_reject(actor=UserFactory(role=Role.CITY), change=change, reason="重复")


def test_a_rejection_needs_its_reason_and_tells_the_enterprise(org, clerk):
    change = request_change(org, clerk)
    city = UserFactory(role=Role.CITY)
    with pytest.raises(ValidationError):
        bank_change_reject(actor=city, change=change, reason="  ")
    bank_change_reject(actor=city, change=change, reason="户名与营业执照不一致")
    org.refresh_from_db()
    assert org.bank_account_no != "6228480000001111"
    note = Notification.objects.get(recipient=clerk, kind="enterprise.bank_change_reject")
    assert "户名与营业执照不一致" in note.body and "企业信息" in note.body


def test_the_database_refuses_a_change_verified_by_its_requester(org, clerk):
    change = request_change(org, clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        BankAccountChange.objects.filter(pk=change.pk).update(status="approved", decided_by=clerk,
                                                              decided_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        BankAccountChange.objects.filter(pk=change.pk).update(status="approved")


def test_the_queue_shows_the_users_own_scope_and_404s_foreign_changes(org, clerk, client_for):
    change = request_change(org, clerk)
    foreign = ProfiledEnterpriseFactory(county=county("金水区"))
    foreign_change = request_change(foreign, UserFactory(role=Role.ENTERPRISE, organisation=foreign),
                                    bank_account_no="6228480000009999")
    client = client_for(UserFactory(role=Role.COUNTY, county=county("中原区")))
    page = client.get(reverse("accounts:bank_changes")).content.decode()
    assert org.name in page and "6228480000001111" in page and foreign.name not in page
    assert client.get(reverse("accounts:bank_change", args=[foreign_change.pk])).status_code == 404
    assert client.post(reverse("accounts:bank_change", args=[foreign_change.pk]),
                       {"decision": "approve"}).status_code == 404
    # a rejection without reason: the form again with the error, nothing changed
    refused = client.post(reverse("accounts:bank_change", args=[change.pk]), {"decision": "reject", "reason": ""})
    assert refused.status_code == 400 and "理由" in refused.content.decode()
    assert BankAccountChange.objects.get(pk=change.pk).status == "pending"
    done = client.post(reverse("accounts:bank_change", args=[change.pk]), {"decision": "approve", "reason": ""})
    assert done.status_code == 302 and BankAccountChange.objects.get(pk=change.pk).status == "approved"
    city_page = client_for(UserFactory(role=Role.CITY)).get(reverse("accounts:bank_changes")).content.decode()
    assert foreign.name in city_page
    enterprise = client_for(clerk)
    assert enterprise.get(reverse("accounts:bank_changes")).status_code == 403
    assert enterprise.get(reverse("accounts:bank_change", args=[change.pk])).status_code == 403


@pytest.mark.parametrize(("role", "shown"), [(Role.COUNTY, True), (Role.CITY, True), (Role.ENTERPRISE, False),
                                             (Role.FINANCE_PREPARER, False)])
def test_the_navigation_offers_the_queue_to_county_and_city_only(role, shown):
    from core.navigation import items_for

    user = UserFactory.for_role(role)
    names = [item["url_name"] for item in items_for(user)]
    assert ("accounts:bank_changes" in names) == shown, names
