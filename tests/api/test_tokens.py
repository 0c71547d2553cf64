"""Interface tokens: issued by the administrator to a named system, shown once, stored hashed, revocable,
expiring; every call with a token is audited."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from api.models import ApiToken
from api.tokens import token_for_key, token_issue, token_revoke
from core.models import AuditLog
from core.workflow import TransitionNotAllowed
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def test_the_key_is_stored_only_as_a_hash_and_finds_its_token(issue):
    token, key = issue()
    row = ApiToken.objects.get(pk=token.pk)
    assert key.startswith(f"zzg_{row.prefix}.") and len(key) > 40
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert token_for_key(key) == token
    assert token_for_key(key + "x") is None
    assert token_for_key(key.replace(row.prefix, "00000000")) is None
    entry = AuditLog.objects.get(action="api.token_issue")
    assert key not in str(entry.data) and entry.data["system"] == "市财政局国库支付系统"


def test_expired_and_revoked_tokens_do_not_work(issue, admin_user, api):
    token, key = issue()
    assert api(key).get(reverse("api:applications")).status_code == 200
    token_revoke(actor=admin_user, token_id=token.pk)
    response = api(key).get(reverse("api:applications"))
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    with pytest.raises(ValidationError):
        token_revoke(actor=admin_user, token_id=token.pk)
    old, old_key = issue()
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api(old_key).get(reverse("api:applications")).status_code == 401


def test_only_the_administrator_issues_tokens_and_the_rules_hold(issue):
    city = UserFactory.for_role(Role.CITY)
    with pytest.raises(TransitionNotAllowed):
        token_issue(actor=city, system_name="x", expires_at=timezone.now() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        issue(days=-1)
    from accounts.models import County

    with pytest.raises(ValidationError):
        issue(county=County.objects.first(), statistics=True)
    with pytest.raises(ValidationError):
        issue(name="   ")


def test_every_call_with_a_token_is_audited_with_the_system_name(issue, api):
    token, key = issue(name="市财政局预算管理一体化系统")
    api(key).get(reverse("api:applications"))
    api(key).get(reverse("api:application", args=["2021-ZY-404"]))
    rows = list(AuditLog.objects.filter(action="api.call").order_by("id"))
    assert [(r.data["path"], r.data["status"]) for r in rows] == [
        (reverse("api:applications"), 200), (reverse("api:application", args=["2021-ZY-404"]), 404)]
    assert {r.actor_name for r in rows} == {"市财政局预算管理一体化系统"} and all(r.actor_id is None for r in rows)
    assert ApiToken.objects.get(pk=token.pk).last_used_at is not None


def test_token_pages_show_the_key_once_and_revoke(client_for, admin_user):
    client = client_for(admin_user)
    assert client.get(reverse("api:tokens")).status_code == 200
    expires = (timezone.localdate() + datetime.timedelta(days=90)).isoformat()
    response = client.post(reverse("api:token_new"), {"system_name": "市统计局数据交换平台", "county": "",
                                                       "can_push_statistics": "on", "expires_on": expires})
    assert response.status_code == 200
    key = response.context["key"]
    assert key in response.content.decode()
    listing = client.get(reverse("api:tokens")).content.decode()
    assert "市统计局数据交换平台" in listing and key not in listing and "全市" in listing
    token = ApiToken.objects.get()
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
    assert client.post(reverse("api:token_revoke", args=[token.pk + 999])).status_code == 404


def test_a_bad_token_form_keeps_what_was_typed(client_for, admin_user):
    client = client_for(admin_user)
    response = client.post(reverse("api:token_new"), {"system_name": "市统计局", "expires_on": "2020-01-01"})
    assert response.status_code == 200 and not ApiToken.objects.exists()
    page = response.content.decode()
    assert 'value="市统计局"' in page and "有效期" in page


@pytest.mark.parametrize("role", [Role.CITY, Role.COUNTY, Role.ENTERPRISE, Role.OFFICIAL])
def test_other_roles_cannot_open_the_token_pages(client_for, role):
    client = client_for(role)
    assert client.get(reverse("api:tokens")).status_code == 403
    assert client.post(reverse("api:token_new"), {"system_name": "x"}).status_code == 403
