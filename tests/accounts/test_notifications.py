"""Who hears of an enterprise account (accounts/notifications.py): the city of a registration and of changed
bank or registration details (in its queue, no e-mail each), the enterprise's users of verification and
deactivation (with the reasons) — in Chinese, nobody else."""

import pytest

from accounts.roles import Role
from accounts.services.enterprises import enterprise_set_active, enterprise_update_profile, enterprise_verify
from core.models import Notification
from tests.factories import ProfiledEnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    org = ProfiledEnterpriseFactory(is_verified=True)
    return {"org": org, "clerks": [UserFactory(role=Role.ENTERPRISE, organisation=org) for _ in range(2)],
            "stranger": UserFactory(role=Role.ENTERPRISE, organisation=ProfiledEnterpriseFactory()),
            "city": [UserFactory(role=Role.CITY) for _ in range(2)], "county": UserFactory(role=Role.COUNTY)}


def test_a_changed_bank_account_goes_to_the_verifiers_queue(people):
    org, clerk = people["org"], people["clerks"][0]
    enterprise_update_profile(actor=clerk, org=org, expected_version=org.version, contact_person="孙八")
    assert not Notification.objects.exists()  # nothing to verify again
    org.refresh_from_db()
    enterprise_update_profile(actor=clerk, org=org, expected_version=org.version, bank_account_no="6222000099998888")
    # a bank account is changed only after a second person verified it: the request goes to the city (and to the
    # enterprise's county bureau), never straight into the profile
    told = Notification.objects.filter(kind="enterprise.bank_change_request")
    assert sorted(n.recipient_id for n in told) == sorted(u.pk for u in people["city"])
    note = told.first()
    assert note.subject == f"待核实的银行账户变更：{org.name}"
    assert "6222000099998888" in note.body and "bank_account_no" not in note.body
    assert not Notification.objects.filter(kind="enterprise.update_profile").exists()


def test_verification_and_deactivation_reach_the_enterprise_users_only(people):
    org, city = people["org"], people["city"][0]
    org.is_verified = False
    org.save(update_fields=["is_verified"])
    enterprise_verify(actor=city, org=org, expected_version=org.version)
    org.refresh_from_db()
    enterprise_set_active(actor=city, org=org, active=False, reason="营业执照已吊销", expected_version=org.version)
    for clerk in people["clerks"]:
        notes = list(Notification.objects.filter(recipient=clerk).order_by("id"))
        assert [n.kind for n in notes] == ["enterprise.verify", "enterprise.deactivate"]
        assert all(n.email_wanted for n in notes)
        assert "营业执照已吊销" in notes[1].body
    assert not Notification.objects.filter(recipient__in=[people["stranger"], people["county"], *people["city"]])
