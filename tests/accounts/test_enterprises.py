"""Enterprise registration (credit-code check digit, duplicates), company profile, colleagues, city verification."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import County, Organisation, User
from accounts.roles import Role
from accounts.validators import make_credit_code
from core.models import AuditLog, Notification
from tests.factories import EnterpriseFactory, ProfiledEnterpriseFactory, UserFactory

pytestmark = pytest.mark.django_db
REGISTER = reverse("accounts:register")
VALID = make_credit_code("91410102MA9XYW12K")


def form_data(**overrides):
    data = {
        "credit_code": VALID, "name": "郑州新注册智能科技有限公司", "county": County.objects.get(name="中原区").pk,
        "industry": "equipment", "is_above_scale": "on", "legal_representative": "赵六", "contact_person": "钱七",
        "contact_phone": "13800000000", "address": "郑州市中原区测试路8号",
        "bank_account_name": "郑州新注册智能科技有限公司",
        "bank_name": "中国银行郑州分行", "bank_account_no": "2500000000001", "username": "newfirm",
        "full_name": "钱七", "email": "qian@example.cn", "phone": "13800000000",
        "password1": "Zz-Strong-Pass-77", "password2": "Zz-Strong-Pass-77",
    }
    data.update(overrides)
    return data


def test_registration_creates_the_enterprise_and_its_first_user_and_logs_in(client):
    response = client.post(REGISTER, form_data(credit_code=" " + VALID.lower() + " "))
    assert response.status_code == 302 and response.url == reverse("accounts:company")
    org = Organisation.objects.get(credit_code=VALID)
    assert (org.kind, org.is_verified, org.is_above_scale, org.county.name) == ("enterprise", False, True, "中原区")
    user = User.objects.get(username="newfirm")
    assert (user.role, user.organisation) == (Role.ENTERPRISE, org)
    assert client.get(reverse("accounts:company")).status_code == 200
    assert AuditLog.objects.filter(action="enterprise.register", object_id=str(org.pk)).exists()


@pytest.mark.parametrize(("code", "message"), [
    (VALID[:17] + ("0" if VALID[17] != "0" else "1"), "校验码不正确"),  # wrong check character
    (VALID[:17], "应为18位"),  # too short
    (VALID + "1", "应为18位"),  # too long
    (VALID[:10] + "I" + VALID[11:], "不允许的字符"),  # a letter never used
])
def test_registration_refuses_invalid_credit_codes(client, code, message):
    response = client.post(REGISTER, form_data(credit_code=code))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["credit_code"])
    assert message in errors
    assert not Organisation.objects.filter(name="郑州新注册智能科技有限公司").exists()
    assert response.context["form"]["name"].value() == "郑州新注册智能科技有限公司"  # what was typed is kept


def test_duplicate_credit_code_is_refused_with_a_clear_message(client):
    EnterpriseFactory(credit_code=VALID)
    response = client.post(REGISTER, form_data())
    assert response.status_code == 200
    assert "已注册" in " ".join(response.context["form"].errors["credit_code"])
    assert not User.objects.filter(username="newfirm").exists()


def test_password_rules_apply_to_registration(client):
    response = client.post(REGISTER, form_data(password1="short", password2="short"))
    assert response.status_code == 200 and "password1" in response.context["form"].errors
    assert not Organisation.objects.filter(credit_code=VALID).exists()


def test_division_mismatch_is_a_hint_not_a_refusal(client):
    code = make_credit_code("91410105MA9XYW12K")  # 金水区 code, registered in 中原区
    response = client.post(REGISTER, form_data(credit_code=code), follow=True)
    assert Organisation.objects.get(credit_code=code).division_mismatch
    assert "410105" in response.content.decode()


def test_changing_the_bank_account_waits_for_a_second_person(client_for):
    org = ProfiledEnterpriseFactory(is_verified=True)
    old = org.bank_account_no
    client = client_for(UserFactory(role=Role.ENTERPRISE, organisation=org))
    data = {name: getattr(org, name) for name in ("name", "industry", "legal_representative", "contact_person",
                                                 "contact_phone", "address", "bank_account_name", "bank_name")}
    data.update(county=org.county_id, is_above_scale="on", bank_account_no="9999000011112222", version=org.version)
    response = client.post(reverse("accounts:company"), data)
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.bank_account_no == old and org.is_verified  # the account in force stays until verified
    change = org.bank_changes.get()
    assert (change.status, change.old_account_no, change.new_account_no) == ("pending", old, "9999000011112222")
    page = client.get(reverse("accounts:company")).content.decode()
    assert "9999000011112222" in page and "核实" in page


def test_colleague_added_gets_a_set_password_link(client_for, django_capture_on_commit_callbacks):
    org = ProfiledEnterpriseFactory()
    first = UserFactory(role=Role.ENTERPRISE, organisation=org)
    client = client_for(first)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:colleagues"), {"username": "colleague1", "full_name": "孙八",
                                                                 "email": "sun@example.cn", "phone": ""})
    assert response.status_code == 302
    colleague = User.objects.get(username="colleague1")
    assert colleague.organisation == org and not colleague.has_usable_password()
    note = Notification.objects.get(recipient=colleague)
    assert "/accounts/password/reset/" in note.body
    assert any("colleague1" in m.body for m in mail.outbox)
    # and the first user can deactivate the colleague, not themselves
    client.post(reverse("accounts:colleague_deactivate", args=[colleague.pk]))
    colleague.refresh_from_db()
    assert not colleague.is_active
    client.post(reverse("accounts:colleague_deactivate", args=[first.pk]))
    first.refresh_from_db()
    assert first.is_active


def test_colleagues_of_another_enterprise_answer_404(client_for):
    other = UserFactory(role=Role.ENTERPRISE, organisation=ProfiledEnterpriseFactory())
    client = client_for(UserFactory(role=Role.ENTERPRISE, organisation=ProfiledEnterpriseFactory()))
    assert client.post(reverse("accounts:colleague_deactivate", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_city_verifies_deactivates_and_reactivates_an_enterprise(client_for):
    org = ProfiledEnterpriseFactory(is_verified=False)
    member = UserFactory(role=Role.ENTERPRISE, organisation=org)
    client = client_for(Role.CITY)
    client.post(reverse("accounts:enterprise_action", args=[org.pk, "verify"]), {"version": org.version})
    org.refresh_from_db()
    assert org.is_verified and org.verified_by == client.user
    # deactivation needs reasons
    client.post(reverse("accounts:enterprise_action", args=[org.pk, "deactivate"]),
                {"reason": "", "version": org.version})
    org.refresh_from_db()
    assert org.is_active
    client.post(reverse("accounts:enterprise_action", args=[org.pk, "deactivate"]),
                {"reason": "营业执照已吊销", "version": org.version})
    org.refresh_from_db()
    member.refresh_from_db()
    assert not org.is_active and not member.is_active
    assert AuditLog.objects.filter(action="enterprise.deactivate", note="营业执照已吊销").exists()
    org.refresh_from_db()
    client.post(reverse("accounts:enterprise_action", args=[org.pk, "reactivate"]), {"version": org.version})
    member.refresh_from_db()
    assert member.is_active


def test_county_sees_its_enterprises_but_cannot_verify(client_for):
    mine = ProfiledEnterpriseFactory(county=County.objects.get(name="中原区"), is_verified=False)
    other = ProfiledEnterpriseFactory(county=County.objects.get(name="金水区"))
    client = client_for(Role.COUNTY)  # 中原区
    listed = [org.pk for org in client.get(reverse("accounts:enterprises")).context["page"]]
    assert mine.pk in listed and other.pk not in listed
    assert client.get(reverse("accounts:enterprise", args=[other.pk])).status_code == 404
    assert client.post(reverse("accounts:enterprise_action", args=[mine.pk, "verify"]),
                       {"version": mine.version}).status_code == 403
    mine.refresh_from_db()
    assert not mine.is_verified


def test_enterprise_users_cannot_list_enterprises(client_for):
    assert client_for(Role.ENTERPRISE).get(reverse("accounts:enterprises")).status_code == 403


def test_profile_service_takes_plain_values_and_turns_bank_changes_into_a_pending_change():
    from accounts.services.enterprises import enterprise_update_profile

    org = ProfiledEnterpriseFactory(is_verified=True)
    clerk = UserFactory(role=Role.ENTERPRISE, organisation=org)
    version = org.version
    updated, reverify = enterprise_update_profile(actor=clerk, org=org, expected_version=version,
                                                  bank_account_no="6222000099998888", credit_code="ignored",
                                                  is_verified=True)
    org.refresh_from_db()
    assert not reverify and org.is_verified and org.bank_account_no != "6222000099998888"
    assert org.credit_code != "ignored" and updated.pk == org.pk
    entry = AuditLog.objects.get(action="enterprise.bank_change_request")
    assert entry.data["new_account_no"] == "6222000099998888" and entry.actor == clerk
    updated, reverify = enterprise_update_profile(actor=clerk, org=org, expected_version=org.version, name="新名称")
    org.refresh_from_db()
    assert reverify and not org.is_verified and org.version == version + 2
    assert AuditLog.objects.get(action="enterprise.update_profile").data == {"fields": ["name"]}


def test_profile_service_refuses_bad_values_and_stale_pages_writing_nothing():
    from django.core.exceptions import ValidationError

    from accounts.services.enterprises import enterprise_update_profile
    from core.locking import StaleEdit

    org = ProfiledEnterpriseFactory()
    clerk = UserFactory(role=Role.ENTERPRISE, organisation=org)
    before = (org.name, org.version)
    with pytest.raises(ValidationError) as caught:
        enterprise_update_profile(actor=clerk, org=org, expected_version=org.version, name="",
                                  industry="no-such-industry")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in " ".join(caught.value.messages))
    with pytest.raises(StaleEdit):
        enterprise_update_profile(actor=clerk, org=org, expected_version=org.version - 1, name="过期的名称")
    org.refresh_from_db()
    assert (org.name, org.version) == before
    assert not AuditLog.objects.filter(action="enterprise.update_profile").exists()
