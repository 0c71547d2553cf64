"""Enterprise accounts: registration, company profile, colleagues, verification and deactivation by the city."""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.locking import locked_for_edit, save_versioned
from core.notifications import notify
from core.permissions import require

from ..models import BANK_FIELDS, PROFILE_FIELDS, Organisation, User
from ..roles import OrganisationKind, Role
from .bank_accounts import bank_change_request

# A change to one of these after verification needs the city bureau to verify again (payout safety).
SENSITIVE = ("name", "county")


def enterprise_register(*, data):
    """Create the enterprise and its first user from the registration form's cleaned data."""
    profile = {name: data[name] for name in (
        "name", "county", "industry", "is_above_scale", "legal_representative", "contact_person", "contact_phone",
        "address", "bank_account_name", "bank_name", "bank_account_no")}
    try:
        with transaction.atomic():
            org = Organisation.objects.create(kind=OrganisationKind.ENTERPRISE, credit_code=data["credit_code"],
                                              **profile)
            user = User(username=data["username"], first_name=data["full_name"], email=data["email"],
                        phone=data["phone"], role=Role.ENTERPRISE, organisation=org)
            user.set_password(data["password1"])
            user.save()
            audit_record(actor=user, action="enterprise.register", obj=org, data={"credit_code": org.credit_code})
    except IntegrityError:  # two registrations of one code at the same moment
        raise ValidationError(_("This unified social credit code is already registered."), code="duplicate")
    return org, user


def enterprise_update_profile(*, actor, org, expected_version=None, **fields):
    """Change the company profile from plain values of ``PROFILE_FIELDS`` (others, such as kind, credit code,
    verification or activity, are ignored). Raises StaleEdit when the profile changed after the page showed
    ``expected_version``, ValidationError for invalid values; both write nothing. A change of registration
    details (name, county) of a verified enterprise sends it back to the city for verification. A change of the
    bank account does not take effect here: it becomes a pending change that a second person verifies
    (``bank_accounts.bank_change_request``). Returns (org, reverify)."""
    require(actor, "accounts.edit_company", org)
    with transaction.atomic(durable=True):
        locked = locked_for_edit(org, expected_version)
        changed = [name for name in PROFILE_FIELDS if name in fields and getattr(locked, name) != fields[name]]
        for name in changed:
            setattr(locked, name, fields[name])
        locked.full_clean()
        bank = [name for name in changed if name in BANK_FIELDS]
        if bank:  # the account in force stays until a second person verifies the change
            requested = [getattr(locked, name) for name in BANK_FIELDS]
            locked.refresh_from_db(fields=bank)
            changed = [name for name in changed if name not in BANK_FIELDS]
            bank_change_request(actor=actor, org=locked, account_name=requested[0], bank_name=requested[1],
                                account_no=requested[2])
        save_versioned(locked, changed)  # a requested bank change too: a page opened before it is stale
        reverify = locked.is_verified and any(name in SENSITIVE for name in changed)
        if reverify:
            locked.is_verified, locked.verified_at, locked.verified_by = False, None, None
            locked.save(update_fields=["is_verified", "verified_at", "verified_by"])
        if changed or not bank:
            audit_record(actor=actor, action="enterprise.update_profile", obj=locked, data={"fields": changed})
    return locked, reverify


def colleague_add(*, actor, data, base_url):
    """Add a user to the actor's enterprise; the new user sets a password through an e-mailed link."""
    require(actor, "accounts.manage_company")
    with transaction.atomic():
        user = User(username=data["username"], first_name=data["full_name"], email=data["email"],
                    phone=data.get("phone", ""), role=Role.ENTERPRISE, organisation_id=actor.organisation_id)
        user.set_unusable_password()
        user.save()
        audit_record(actor=actor, action="enterprise.add_user", obj=user, data={"added_user": user.pk})
        link = base_url + reverse("accounts:password_reset_confirm", kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": default_token_generator.make_token(user)})
        with translation.override(settings.LANGUAGE_CODE):
            notify([user], subject=_("You have been added as a user of %(org)s") % {"org": actor.organisation},
                   body=_("%(who)s added you. Set your password with this link, then log in with the username "
                          "%(username)s:\n%(link)s") % {"who": actor, "username": user.username, "link": link},
                   link=link)
    return user


def colleague_deactivate(*, actor, user):
    require(actor, "accounts.manage_colleague", user)
    if user.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action="enterprise.deactivate_user", obj=user)
    return user


def enterprise_verify(*, actor, org, expected_version=None):
    """Verify the registration the officer checked: refused (StaleEdit) when the enterprise changed its profile
    after the officer opened the page, so nobody verifies a bank account they never saw."""
    require(actor, "accounts.verify_enterprises")
    with transaction.atomic():
        org = locked_for_edit(org, expected_version)
        org.is_verified, org.verified_at, org.verified_by = True, timezone.now(), actor
        save_versioned(org, ["is_verified", "verified_at", "verified_by"])
        audit_record(actor=actor, action="enterprise.verify", obj=org)
    return org


def enterprise_set_active(*, actor, org, active, reason="", expected_version=None):
    """Deactivate (its users can no longer log in) or reactivate an enterprise; reasons required to deactivate."""
    require(actor, "accounts.verify_enterprises")
    reason = (reason or "").strip()
    if not active and not reason:
        raise ValidationError(_("Give the reasons for deactivating the enterprise."))
    with transaction.atomic():
        org = locked_for_edit(org, expected_version)
        org.is_active = active
        save_versioned(org, ["is_active"])
        org.users.update(is_active=active)
        audit_record(actor=actor, action="enterprise.activate" if active else "enterprise.deactivate", obj=org,
                     note=reason)
    return org
