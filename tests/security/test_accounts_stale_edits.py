"""Stale edits on the company profile: several users of one enterprise edit it, and the city verifies or
deactivates it. The second save made from an outdated page is refused with the Chinese message; nothing is
overwritten, no audit row is written, and what the user typed is still in the form."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditLog
from tests.factories import ProfiledEnterpriseFactory
from tests.factories.applications import browser, db_row, enterprise_user, profile_post

pytestmark = pytest.mark.django_db
STALE = "此记录在您打开后已被他人修改"


@pytest.fixture
def company():
    org = ProfiledEnterpriseFactory(is_verified=False)
    org.first, org.second = enterprise_user(org), enterprise_user(org)
    return org


def test_the_second_colleagues_stale_profile_save_is_refused(company):
    first, client = browser(company.first), browser(company.second)
    opened = profile_post(company)  # both open the form at the same version
    assert first.post(reverse("accounts:company"), {**opened, "contact_person": "先保存的人"}).status_code == 302
    before, audits = db_row(company), AuditLog.objects.count()
    response = client.post(reverse("accounts:company"), {**opened, "contact_person": "后保存的人",
                                                         "address": "后填写的地址"})
    assert response.status_code == 200
    body = response.content.decode()
    assert STALE in body
    assert 'value="后保存的人"' in body and 'value="后填写的地址"' in body  # what was typed is kept
    assert db_row(company) == before and AuditLog.objects.count() == audits
    # after a reload (the current version) the save goes through
    company.refresh_from_db()
    fresh = client.post(reverse("accounts:company"), profile_post(company, contact_person="后保存的人"))
    assert fresh.status_code == 302
    company.refresh_from_db()
    assert company.contact_person == "后保存的人" and company.version == before["version"] + 1


@pytest.mark.parametrize("version", [None, "", "abc", "-1"])
def test_a_profile_post_without_a_valid_version_is_refused(client_for, company, version):
    data = profile_post(company, contact_person="没有版本")
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    before = db_row(company)
    response = client_for(company.first).post(reverse("accounts:company"), data)
    assert response.status_code == 200
    assert db_row(company) == before


@pytest.mark.parametrize("action", ["verify", "deactivate"])
def test_the_city_cannot_act_on_a_profile_changed_after_it_opened_the_page(company, action):
    opened_version = company.version
    city, enterprise = browser(Role.CITY), browser(company.first)
    # the enterprise changes its bank account while the officer checks the old one
    enterprise.post(reverse("accounts:company"), profile_post(company, bank_account_no="6222111122223333"))
    before, audits = db_row(company), AuditLog.objects.count()
    response = city.post(reverse("accounts:enterprise_action", args=[company.pk, action]),
                         {"version": opened_version, "reason": "营业执照已吊销"}, follow=True)
    assert STALE in response.content.decode()
    assert db_row(company) == before and AuditLog.objects.count() == audits
    company.refresh_from_db()
    assert not company.is_verified and company.is_active
    assert company.users.filter(is_active=True).count() == 2
    # with the version of the page they see now, the officer's action goes through
    city.post(reverse("accounts:enterprise_action", args=[company.pk, action]),
              {"version": company.version, "reason": "营业执照已吊销"})
    company.refresh_from_db()
    assert company.is_verified if action == "verify" else not company.is_active


def test_verification_bumps_the_version_so_an_open_profile_form_is_stale(company):
    opened = profile_post(company)
    enterprise = browser(company.first)
    browser(Role.CITY).post(reverse("accounts:enterprise_action", args=[company.pk, "verify"]),
                               {"version": company.version})
    company.refresh_from_db()
    assert company.is_verified
    before = db_row(company)
    response = enterprise.post(reverse("accounts:company"), {**opened, "bank_account_no": "1"})
    assert response.status_code == 200 and STALE in response.content.decode()
    assert db_row(company) == before
