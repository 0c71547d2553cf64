"""Issuing, checking and revoking interface tokens (the services of the api app)."""

import hashlib
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from core.audit import audit_record
from core.permissions import require

from .models import ApiToken

PREFIX = "zzg_"


def _digest(key):
    return hashlib.sha256(key.encode()).hexdigest()


def token_issue(*, actor, system_name, county=None, can_push_statistics=False, can_push_registry=False,
                expires_at):
    """A new token; returns (token row, the key in clear). The key is never stored and cannot be shown again."""
    require(actor, "api.manage_tokens")
    system_name = (system_name or "").strip()
    if not system_name:
        raise ValidationError(_("Name the external system."))
    if expires_at <= timezone.now():
        raise ValidationError(_("The expiry date must be in the future."))
    if can_push_statistics and county is not None:
        raise ValidationError(_("Only a token for the whole city may send statistics figures."))
    if can_push_registry and county is not None:
        raise ValidationError(_("Only a token for the whole city may send the enterprise registry."))
    prefix = secrets.token_hex(4)
    key = f"{PREFIX}{prefix}.{secrets.token_urlsafe(32)}"
    with transaction.atomic(durable=True):
        token = ApiToken.objects.create(system_name=system_name[:100], county=county, prefix=prefix,
                                        can_push_statistics=can_push_statistics,
                                        can_push_registry=can_push_registry, key_hash=_digest(key),
                                        expires_at=expires_at, created_by=actor)
        audit_record(actor=actor, action="api.token_issue", obj=token,
                     data={"system": token.system_name, "county": county.name if county else "",
                           "statistics": can_push_statistics,
                           "registry": can_push_registry, "expires": expires_at.date().isoformat(),
                           "tech_prefix": prefix})
    return token, key


def token_revoke(*, actor, token_id):
    require(actor, "api.manage_tokens")
    with transaction.atomic(durable=True):
        token = ApiToken.objects.select_for_update().get(pk=token_id)
        if token.revoked_at is not None:
            raise ValidationError(_("This token was already revoked."))
        token.revoked_at, token.revoked_by = timezone.now(), actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, action="api.token_revoke", obj=token,
                     data={"system": token.system_name, "tech_prefix": token.prefix})
    return token


def token_for_key(key):
    """The active token with this key, or None (unknown, wrong, expired or revoked look the same)."""
    if not key.startswith(PREFIX) or "." not in key or len(key) > 200:
        return None
    prefix = key[len(PREFIX):].split(".", 1)[0]
    token = ApiToken.objects.select_related("county").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.key_hash, _digest(key)) or not token.is_active:
        return None
    return token


def token_touch(token):
    """Record the time of use, at most once a minute (a read API must not write on every call)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def principal_for(token):
    """The user the selectors scope by: an unsaved county or city staff user standing for the system. It never
    logs in and is never saved; the platform's scope rules apply to it exactly as to a person of that role."""
    if token.county_id:
        principal = User(username=f"api:{token.prefix}", role=Role.COUNTY, county=token.county)
    else:
        principal = User(username=f"api:{token.prefix}", role=Role.CITY)
    principal.api_token = token
    return principal
