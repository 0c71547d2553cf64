"""Phone numbers are checked (registration, company profile, adding a company user) with a clear Chinese message
and the typed text kept; the 2FA code's length message is plain Chinese."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import County, Organisation, User
from accounts.roles import Role
from accounts.validators import make_credit_code, validate_phone
from core.models import AuditLog
from tests.factories import ProfiledEnterpriseFactory, UserFactory
from tests.factories.applications import profile_post
from tests.helpers import totp_device

pytestmark = pytest.mark.django_db
PHONE_ERROR = "请输入正确的电话号码"
BAD_PHONES = ["abc", "123", "1380013800", "23800138000", "12800138000", "0371-123", "371-12345678",
              "138001380001", "0371-12345678-", "电话13800138000"]


@pytest.mark.parametrize(("typed", "kept"), [
    ("13800138000", "13800138000"), ("19912345678", "19912345678"), ("+86 138 0013 8000", "+8613800138000"),
    ("0371-12345678", "0371-12345678"), ("037112345678", "037112345678"), ("010-1234567", "010-1234567"),
    ("0371-12345678-801", "0371-12345678-801"), ("0371-12345678转801", "0371-12345678转801"),
    ("(0371)68886666", "(0371)68886666"), ("０３７１－１２３４５６７８", "0371-12345678"), ("", ""),
])
def test_valid_numbers(typed, kept):
    assert validate_phone(typed) == kept


@pytest.mark.parametrize("typed", BAD_PHONES)
def test_invalid_numbers(typed):
    with pytest.raises(ValidationError) as excinfo:
        validate_phone(typed)
    assert excinfo.value.code == "phone"


def registration(**overrides):
    data = {
        "credit_code": make_credit_code("91410102MA9XYW34K"), "name": "郑州电话校验科技有限公司",
        "county": County.objects.get(name="中原区").pk, "industry": "equipment", "legal_representative": "赵六",
        "contact_person": "钱七", "contact_phone": "0371-68886666", "address": "郑州市中原区测试路8号",
        "bank_account_name": "郑州电话校验科技有限公司", "bank_name": "中国银行郑州分行",
        "bank_account_no": "2500000000002", "username": "phonefirm", "full_name": "钱七", "email": "q@example.cn",
        "phone": "13800000000", "password1": "Zz-Strong-Pass-77", "password2": "Zz-Strong-Pass-77",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("field", ["phone", "contact_phone"])
@pytest.mark.parametrize("typed", ["abc", "123"])
def test_registration_refuses_bad_phones_and_keeps_the_input(client, field, typed):
    response = client.post(reverse("accounts:register"), registration(**{field: typed}))
    assert response.status_code == 200
    assert PHONE_ERROR in " ".join(response.context["form"].errors[field])
    body = response.content.decode()
    assert PHONE_ERROR in body and f'value="{typed}"' in body and 'value="郑州电话校验科技有限公司"' in body
    assert not Organisation.objects.filter(name="郑州电话校验科技有限公司").exists()
    assert not User.objects.filter(username="phonefirm").exists()


def test_registration_accepts_a_mobile_and_a_landline(client):
    response = client.post(reverse("accounts:register"), registration(phone="138 0000 0000",
                                                                       contact_phone="0371-68886666-12"))
    assert response.status_code == 302
    assert User.objects.get(username="phonefirm").phone == "13800000000"
    assert Organisation.objects.get(name="郑州电话校验科技有限公司").contact_phone == "0371-68886666-12"


def test_company_profile_refuses_a_bad_phone_and_changes_nothing(client_for):
    org = ProfiledEnterpriseFactory(contact_phone="0371-68886666")
    client = client_for(UserFactory(role=Role.ENTERPRISE, organisation=org))
    version, audits = org.version, AuditLog.objects.count()
    response = client.post(reverse("accounts:company"), profile_post(org, contact_phone="abc", address="新地址"))
    assert response.status_code == 200
    body = response.content.decode()
    assert PHONE_ERROR in body and 'value="abc"' in body and "新地址" in body
    org.refresh_from_db()
    assert (org.contact_phone, org.version, AuditLog.objects.count()) == ("0371-68886666", version, audits)
    response = client.post(reverse("accounts:company"), profile_post(org, contact_phone="13912345678"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.contact_phone == "13912345678"


def test_adding_a_company_user_refuses_a_bad_phone(client_for):
    org = ProfiledEnterpriseFactory()
    client = client_for(UserFactory(role=Role.ENTERPRISE, organisation=org))
    data = {"username": "colleague2", "full_name": "孙八", "email": "sun@example.cn", "phone": "123"}
    response = client.post(reverse("accounts:colleagues"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert PHONE_ERROR in body and 'value="123"' in body and 'value="colleague2"' in body
    assert not User.objects.filter(username="colleague2").exists()
    assert client.post(reverse("accounts:colleagues"), {**data, "phone": "0371-12345678"}).status_code == 302
    assert User.objects.get(username="colleague2").phone == "0371-12345678"


@pytest.mark.parametrize("typed", ["12ab", "1234", "1234567"])
def test_two_factor_code_of_the_wrong_length_gets_a_plain_message(client, typed):
    user = UserFactory(role=Role.CITY)
    totp_device(user)
    client.force_login(user)
    response = client.post(reverse("accounts:two_factor"), {"token": typed})
    assert response.status_code == 200
    body = response.content.decode()
    assert "请输入 6 位数字验证码。" in body
    assert "确保该变量" not in body and "字符数" not in body
    assert f'value="{typed}"' in body or typed == "1234567"  # the form keeps what was typed
