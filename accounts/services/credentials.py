"""Credentials: setting a password, enrolling and checking the second factor (TOTP).

The enrolment key is chosen before anything is stored (the page shows it as a QR code); the device is written
only when the user proves with a valid code that the authenticator app holds that key.
"""

import re

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from core.audit import audit_record

PASSWORD_ACTIONS = {"change": "auth.password_changed", "reset": "auth.password_reset"}


def password_set(*, actor, user, password, reason):
    """Give ``user`` the new ``password`` (checked by the password rules, messages in the user's language) and
    audit it as a change by the user (``reason`` "change") or a reset through the e-mailed link ("reset")."""
    if reason not in PASSWORD_ACTIONS:
        raise ValueError(reason)
    password_validation.validate_password(password, user)
    with transaction.atomic(durable=True):
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=actor, action=PASSWORD_ACTIONS[reason], obj=user)
    return user


KEY_PATTERN = re.compile(r"[0-9a-f]{40}")
TOKEN_PATTERN = re.compile(r"[0-9]{6}")


def totp_new_key():
    """A fresh secret for an authenticator that is not enrolled yet (stored by ``totp_enrol``)."""
    return default_key()


def totp_unsaved_device(*, user, key):
    """The device ``key`` will become once enrolled: what the enrolment page shows (QR code, secret). Not saved."""
    return TOTPDevice(user=user, name="default", key=key, confirmed=False)


def totp_confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def _wrong_code():
    return ValidationError(_("The code is wrong or has expired. Wait for a new code and try again."), code="token")


def _clean_token(token):
    token = str(token or "").strip()
    if not TOKEN_PATTERN.fullmatch(token):
        raise ValidationError(_("Enter the six digits shown in your authenticator app."), code="token")
    return token


def totp_enrol(*, actor, key, token):
    """Store the authenticator whose secret is ``key`` once ``token`` proves the app holds it. Returns the
    confirmed device. A wrong code stores nothing but the audit row of the refusal (ValidationError)."""
    token = _clean_token(token)
    key = str(key or "").strip().lower()
    if not KEY_PATTERN.fullmatch(key):
        raise ValidationError(_("The enrolment has expired. Reload the page and scan the new QR code."),
                              code="key")
    with transaction.atomic(durable=True):
        if TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).exists():
            raise ValidationError(_("An authenticator is already enrolled for this account. Enter its code."),
                                  code="enrolled")
        device = totp_unsaved_device(user=actor, key=key)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        if not totp.verify(int(token), device.tolerance):
            audit_record(actor=actor, action="auth.2fa_failed", obj=actor)
            ok = False
        else:
            TOTPDevice.objects.filter(user=actor, confirmed=False).delete()  # left by the former enrolment page
            device.last_t = totp.t()
            device.confirmed = True
            device.save()
            audit_record(actor=actor, action="auth.2fa_enrolled", obj=actor)
            audit_record(actor=actor, action="auth.2fa_verified", obj=actor)
            ok = True
    if not ok:
        raise _wrong_code()
    return device


def totp_rate_limited(*, actor):
    """Record a code refused unread because the user sent too many (the rate limit answers the page)."""
    audit_record(actor=actor, action="auth.2fa_failed", obj=actor, data={"throttled": True})


def totp_verify(*, actor, token):
    """Check ``token`` against the user's enrolled authenticator (throttled by django-otp). Returns the device;
    a wrong code raises ValidationError after its audit row (and the throttle's failure count) are stored."""
    token = _clean_token(token)
    with transaction.atomic(durable=True):
        device = TOTPDevice.objects.select_for_update().filter(user=actor, confirmed=True).first()
        if device is None:
            raise ValidationError(_("No authenticator is enrolled for this account yet. Reload the page."),
                                  code="no_device")
        allowed, _detail = device.verify_is_allowed()
        ok = bool(allowed and device.verify_token(token))
        audit_record(actor=actor, action="auth.2fa_verified" if ok else "auth.2fa_failed", obj=actor)
    if not ok:
        raise _wrong_code()
    return device
