"""The second-factor services: enrolment stores a device only for a proven key, verification is audited."""

import pytest
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.roles import Role
from accounts.services.credentials import totp_enrol, totp_new_key, totp_unsaved_device, totp_verify
from core.models import AuditLog
from tests.helpers import current_code, totp_device

pytestmark = pytest.mark.django_db


def test_enrol_stores_a_confirmed_device_for_a_valid_code(user_for):
    user = user_for(Role.CITY)
    key = totp_new_key()
    code = current_code(totp_unsaved_device(user=user, key=key))

    device = totp_enrol(actor=user, key=key, token=code)

    stored = TOTPDevice.objects.get(user=user)
    assert stored.pk == device.pk and stored.confirmed and stored.key == key
    assert AuditLog.objects.filter(action="auth.2fa_enrolled", actor=user).count() == 1


@pytest.mark.parametrize("token, message", [("12ab56", "6位数字"), ("", "6位数字")])
def test_enrol_refuses_a_malformed_code_in_chinese_and_writes_nothing(user_for, token, message):
    user = user_for(Role.CITY)
    with pytest.raises(ValidationError) as caught:
        totp_enrol(actor=user, key=totp_new_key(), token=token)
    assert message in caught.value.messages[0]
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not AuditLog.objects.filter(actor=user).exists()


def test_enrol_refuses_a_wrong_code_and_a_bad_key(user_for):
    user = user_for(Role.CITY)
    key = totp_new_key()
    wrong = f"{(int(current_code(totp_unsaved_device(user=user, key=key))) + 1) % 1_000_000:06d}"
    with pytest.raises(ValidationError) as caught:
        totp_enrol(actor=user, key=key, token=wrong)
    assert "验证码错误" in caught.value.messages[0]
    assert AuditLog.objects.filter(action="auth.2fa_failed", actor=user).count() == 1
    with pytest.raises(ValidationError) as caught:
        totp_enrol(actor=user, key="not-a-key", token="123456")
    assert "重新" in caught.value.messages[0]
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_enrol_refuses_a_second_authenticator(user_for):
    user = user_for(Role.CITY)
    totp_device(user)
    key = totp_new_key()
    with pytest.raises(ValidationError):
        totp_enrol(actor=user, key=key, token=current_code(totp_unsaved_device(user=user, key=key)))
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_verify_accepts_the_current_code_and_audits_refusals(user_for):
    user = user_for(Role.CITY)
    device = totp_device(user)
    code = current_code(device)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    with pytest.raises(ValidationError):
        totp_verify(actor=user, token=wrong)
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert AuditLog.objects.filter(action="auth.2fa_failed", actor=user).count() == 1

    device.throttling_failure_timestamp = None
    device.save()
    assert totp_verify(actor=user, token=code).pk == device.pk
    assert AuditLog.objects.filter(action="auth.2fa_verified", actor=user).count() == 1


def test_verify_without_an_authenticator_is_refused(user_for):
    user = user_for(Role.CITY)
    with pytest.raises(ValidationError) as caught:
        totp_verify(actor=user, token="123456")
    assert caught.value.code == "no_device"
    assert not AuditLog.objects.filter(actor=user).exists()


def test_password_set_stores_the_new_password_and_audits_it(user_for):
    from accounts.services.credentials import password_set

    user = user_for(Role.COUNTY)
    password_set(actor=user, user=user, password="Zz-New-Pass-2026", reason="change")
    user.refresh_from_db()
    assert user.check_password("Zz-New-Pass-2026")
    assert AuditLog.objects.filter(action="auth.password_changed", actor=user, object_id=str(user.pk)).count() == 1


@pytest.mark.parametrize("password", ["short", "1234567890123", "password123"])
def test_password_set_refuses_weak_passwords_in_chinese_and_writes_nothing(user_for, password):
    from accounts.services.credentials import password_set

    user = user_for(Role.COUNTY)
    before = user.password
    with pytest.raises(ValidationError) as caught:
        password_set(actor=user, user=user, password=password, reason="reset")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in " ".join(caught.value.messages))
    user.refresh_from_db()
    assert user.password == before
    assert not AuditLog.objects.exists()
