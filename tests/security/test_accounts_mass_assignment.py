"""Mass assignment on the accounts forms: registration, company profile, colleagues, the city's verification.

Every post carries the form's real fields plus hostile extras (role, staff flags, another organisation, kind,
verification, activity, another credit code ...). The extras are ignored: the database holds exactly the intended
change and nothing else (a fresh read of every column of every record involved)."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from accounts.models import County, Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.validators import make_credit_code
from core.models import AuditLog
from tests.factories import ProfiledEnterpriseFactory, UserFactory
from tests.factories.applications import browser, changed_columns, db_row, enterprise_user, profile_post

pytestmark = pytest.mark.django_db
NEW_CODE = make_credit_code("91410102MA9XYW99K")
ESCALATED_ROLES = [Role.CITY, Role.COUNTY, Role.FINANCE_PREPARER, Role.FINANCE_APPROVER, Role.ADMIN, Role.AUDITOR,
                   Role.EXPERT, Role.OFFICIAL]


def hostile(victim, role=Role.ADMIN):
    """Fields no form of the accounts app has; each names a privilege or another organisation's record."""
    group = Group.objects.get_or_create(name="运维")[0]
    return {
        "role": role, "is_staff": "on", "is_superuser": "on", "is_active": "", "organisation": victim.pk,
        "organisation_id": victim.pk, "groups": group.pk, "user_permissions": Permission.objects.first().pk,
        "kind": OrganisationKind.CITY_BUREAU, "is_verified": "on", "verified_by": victim.users.first().pk,
        "verified_at": "2020-01-01 00:00", "created_at": "2000-01-01 00:00", "id": victim.pk, "pk": victim.pk,
        "credit_code": victim.credit_code, "date_joined": "2000-01-01", "last_login": "2000-01-01",
    }


@pytest.fixture
def victim():
    org = ProfiledEnterpriseFactory(county=County.objects.get(name="金水区"))
    enterprise_user(org)
    return org


def registration(**overrides):
    data = {
        "credit_code": NEW_CODE, "name": "郑州新注册科技有限公司", "county": County.objects.get(name="中原区").pk,
        "industry": "equipment", "legal_representative": "赵六", "contact_person": "钱七",
        "contact_phone": "13800000000", "address": "郑州市中原区测试路8号",
        "bank_account_name": "郑州新注册科技有限公司",
        "bank_name": "中国银行郑州分行", "bank_account_no": "2500000000001", "username": "newfirm", "full_name": "钱七",
        "email": "qian@example.cn", "phone": "13800000000", "password1": "Zz-Strong-Pass-77",
        "password2": "Zz-Strong-Pass-77",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", [Role.ADMIN, Role.CITY, Role.FINANCE_APPROVER])
def test_registration_ignores_role_staff_flags_and_another_organisation(client, victim, role):
    before = db_row(victim)
    extras = {k: v for k, v in hostile(victim, role).items() if k != "credit_code"}
    response = client.post(reverse("accounts:register"), {**extras, **registration()})
    assert response.status_code == 302
    user = User.objects.get(username="newfirm")
    org = Organisation.objects.get(credit_code=NEW_CODE)
    assert (user.role, user.is_staff, user.is_superuser, user.is_active) == (Role.ENTERPRISE, False, False, True)
    assert user.organisation_id == org.pk != victim.pk and user.county_id is None
    assert not user.groups.exists() and not user.user_permissions.exists()
    assert (org.kind, org.is_verified, org.verified_by_id, org.verified_at, org.is_active, org.version) == (
        OrganisationKind.ENTERPRISE, False, None, None, True, 1)
    assert org.county.name == "中原区"
    assert db_row(victim) == before and victim.users.count() == 1


@pytest.mark.parametrize("code", ["same", "lower_spaced"])
def test_registration_with_another_enterprises_credit_code_is_refused(client, victim, code):
    posted = victim.credit_code if code == "same" else f"  {victim.credit_code.lower()} "
    before, users, audits = db_row(victim), User.objects.count(), AuditLog.objects.count()
    response = client.post(reverse("accounts:register"), registration(credit_code=posted))
    assert response.status_code == 200
    assert "已注册" in " ".join(response.context["form"].errors["credit_code"])
    assert response.context["form"]["name"].value() == "郑州新注册科技有限公司"  # what was typed is kept
    assert db_row(victim) == before and User.objects.count() == users and AuditLog.objects.count() == audits
    assert not Organisation.objects.filter(name="郑州新注册科技有限公司").exists()


def test_a_logged_in_user_cannot_register_a_second_enterprise(client_for, victim):
    client = client_for(enterprise_user(victim))
    response = client.post(reverse("accounts:register"), registration())
    assert response.status_code == 302
    assert not Organisation.objects.filter(credit_code=NEW_CODE).exists()


@pytest.mark.parametrize("verified", [True, False])
def test_company_profile_writes_only_the_profile_fields(client_for, victim, verified):
    org = ProfiledEnterpriseFactory(is_verified=verified)
    me = enterprise_user(org)
    before, victim_before = db_row(org), db_row(victim)
    response = client_for(me).post(reverse("accounts:company"),
                                   {**hostile(victim), **profile_post(org, contact_person="新联系人")})
    assert response.status_code == 302
    assert changed_columns(before, org) == {"contact_person", "version"}  # not kind, code, verification, activity
    org.refresh_from_db()
    assert org.contact_person == "新联系人" and org.version == before["version"] + 1
    assert db_row(victim) == victim_before
    me.refresh_from_db()
    assert (me.role, me.is_staff, me.is_superuser, me.organisation_id) == (Role.ENTERPRISE, False, False, org.pk)


def test_company_profile_bank_change_waits_for_verification_and_changes_nothing_else(client_for, victim):
    org = ProfiledEnterpriseFactory(is_verified=True, verified_at=timezone.now())
    before = db_row(org)
    client_for(enterprise_user(org)).post(reverse("accounts:company"),
                                          {**hostile(victim), **profile_post(org, bank_account_no="6222000011112222")})
    assert changed_columns(before, org) == {"version"}  # the account in force stays until a second person verifies
    change = org.bank_changes.get()
    assert (change.status, change.new_account_no, change.decided_by) == ("pending", "6222000011112222", None)


@pytest.mark.parametrize("role", ESCALATED_ROLES)
def test_a_colleague_is_always_an_enterprise_user_of_the_adders_enterprise(client_for, victim, role):
    org = ProfiledEnterpriseFactory()
    me = enterprise_user(org)
    victim_before, victim_users = db_row(victim), set(victim.users.values_list("pk", flat=True))
    extras = {**hostile(victim, role), "county": County.objects.get(name="金水区").pk}
    response = client_for(me).post(reverse("accounts:colleagues"), {
        **extras, "username": "colleague9", "full_name": "孙八", "email": "sun@example.cn", "phone": ""})
    assert response.status_code == 302
    user = User.objects.get(username="colleague9")
    assert (user.role, user.organisation_id, user.county_id) == (Role.ENTERPRISE, org.pk, None)
    assert (user.is_staff, user.is_superuser, user.is_active) == (False, False, True)
    assert not user.groups.exists() and not user.user_permissions.exists() and not user.has_usable_password()
    assert db_row(victim) == victim_before and set(victim.users.values_list("pk", flat=True)) == victim_users


def test_city_verification_changes_only_the_verification(client_for, victim):
    org = ProfiledEnterpriseFactory(is_verified=False)
    enterprise_user(org)
    before = db_row(org)
    client = client_for(Role.CITY)
    client.post(reverse("accounts:enterprise_action", args=[org.pk, "verify"]), {
        **hostile(victim), "version": org.version, "bank_account_no": "6222999999999999", "name": "改名公司",
        "county": County.objects.get(name="金水区").pk})
    assert changed_columns(before, org) == {"is_verified", "verified_at", "verified_by_id", "version"}
    org.refresh_from_db()
    assert org.verified_by == client.user and org.bank_account_no == before["bank_account_no"]


def test_colleague_deactivation_of_a_user_of_another_enterprise_by_posted_organisation_is_404(client_for, victim):
    target = victim.users.get()
    me = enterprise_user(ProfiledEnterpriseFactory())
    response = client_for(me).post(reverse("accounts:colleague_deactivate", args=[target.pk]),
                                   {"organisation": victim.pk, "organisation_id": victim.pk})
    assert response.status_code == 404
    target.refresh_from_db()
    assert target.is_active


def test_a_county_user_cannot_post_the_company_profile(client_for, victim):
    before = db_row(victim)
    response = client_for(UserFactory.for_role(Role.COUNTY)).post(
        reverse("accounts:company"), {**profile_post(victim, contact_person="县区改的"), "organisation": victim.pk})
    assert response.status_code == 403
    assert db_row(victim) == before


def test_password_change_writes_only_the_password(victim):
    me = enterprise_user(ProfiledEnterpriseFactory())
    me.set_password("Old-Passw0rd-xyz")
    me.save()
    client = browser(me)
    before = db_row(me)
    response = client.post(reverse("accounts:password_change"), {
        **hostile(victim), "old_password": "Old-Passw0rd-xyz", "new_password1": "Zz-New-Strong-88",
        "new_password2": "Zz-New-Strong-88", "username": "renamed", "email": "x@evil.example"})
    assert response.status_code == 302
    assert changed_columns(before, me) == {"password"}
    me.refresh_from_db()
    assert me.check_password("Zz-New-Strong-88")


def test_password_reset_confirm_writes_only_the_password(client, victim):
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    me = enterprise_user(ProfiledEnterpriseFactory())
    before = db_row(me)
    url = reverse("accounts:password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(me.pk)), "token": default_token_generator.make_token(me)})
    target = client.get(url)["Location"]  # Django swaps the token for a session marker first
    response = client.post(target, {**hostile(victim), "new_password1": "Zz-New-Strong-88",
                                     "new_password2": "Zz-New-Strong-88", "username": "renamed"})
    assert response.status_code == 302
    assert changed_columns(before, me) <= {"password", "last_login"}
    me.refresh_from_db()
    assert (me.role, me.is_staff, me.is_superuser, me.organisation_id, me.username) == (
        Role.ENTERPRISE, False, False, before["organisation_id"], before["username"])
