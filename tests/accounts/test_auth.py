import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.roles import TWO_FACTOR_ROLES, Role
from core.models import AuditLog
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.helpers import current_code, totp_device

pytestmark = pytest.mark.django_db
LOGIN = reverse("accounts:login")
DASHBOARD = reverse("core:dashboard")


def post_login(client, username, password=PASSWORD, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_logs_in_and_lands_on_its_dashboard(client, user_for, role):
    user = user_for(role)
    response = post_login(client, user.username)
    assert response.status_code == 302
    if role in TWO_FACTOR_ROLES:
        assert response.url == DASHBOARD
        # the dashboard is not reachable before the second factor
        assert client.get(DASHBOARD).url == reverse("accounts:two_factor")
        device = totp_device(user)
        response = client.post(reverse("accounts:two_factor"), {"token": current_code(device)})
        assert response.status_code == 302
    page = client.get(DASHBOARD)
    assert page.status_code == 200
    assert page.context["user"] == user
    assert user.get_role_display() in page.content.decode()
    assert AuditLog.objects.filter(action="auth.login", actor=user).exists()


def test_login_page_is_chinese_by_default_even_for_english_browsers(client):
    page = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    body = page.content.decode()
    assert "登录" in body
    assert "郑州市制造业高质量发展专项资金管理平台" in body
    assert page["Content-Language"] == "zh-hans"


def test_language_switch_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert "Log in" in client.get(LOGIN).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": LOGIN})
    assert "登录" in client.get(LOGIN).content.decode()


def test_wrong_password_is_refused_in_chinese_and_audited(client):
    user = UserFactory()
    response = post_login(client, user.username, "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert AuditLog.objects.filter(action="auth.login_failed", object_id=str(user.pk)).count() == 1


def test_lockout_after_five_failures_but_not_for_the_victim_elsewhere(client, django_user_model):
    victim = UserFactory()
    for _ in range(5):
        post_login(client, victim.username, "bad-guess-123", ip="203.0.113.9")
    # the attacker's address is locked out, even with the right password
    locked = post_login(client, victim.username, PASSWORD, ip="203.0.113.9")
    assert locked.status_code == 429
    assert "登录已暂时锁定" in locked.content.decode()
    assert AuditLog.objects.filter(action="auth.locked_out").exists()
    # the real user, from their own network, still logs in
    own = post_login(client, victim.username, PASSWORD, ip="198.51.100.7")
    assert own.status_code == 302
    assert client.get(DASHBOARD).status_code == 200


def test_four_failures_do_not_lock(client):
    user = UserFactory()
    for _ in range(4):
        post_login(client, user.username, "bad-guess-123", ip="203.0.113.10")
    assert post_login(client, user.username, PASSWORD, ip="203.0.113.10").status_code == 302


def test_new_session_id_at_login(client):
    user = UserFactory()
    client.get(LOGIN)
    client.session["probe"] = 1
    before = client.session.session_key
    post_login(client, user.username)
    after = client.session.session_key
    assert after and after != before


def test_idle_timeout_of_thirty_minutes(client):
    user = UserFactory()
    post_login(client, user.username)
    assert client.get(DASHBOARD).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)
    # simulate 31 idle minutes: the session has expired and the user must log in again
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(minutes=1))
    response = client.get(DASHBOARD)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_activity_pushes_the_idle_timeout_at_most_once_a_minute(client, monkeypatch):
    user = UserFactory()
    post_login(client, user.username)
    key = client.session.session_key
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.filter(pk=key).update(expire_date=soon)
    client.get(DASHBOARD)  # within the minute of the login's save: nothing written
    assert Session.objects.get(pk=key).expire_date == soon
    statements = [q["sql"] for q in _page_statements(client)]
    assert not any(sql.startswith("UPDATE") and "django_session" in sql for sql in statements)
    # a minute later the same page pushes the expiry to thirty minutes from now
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    client.get(DASHBOARD)
    assert Session.objects.get(pk=key).expire_date > timezone.now() + timedelta(minutes=29)


def _page_statements(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(DASHBOARD).status_code == 200
    return ctx.captured_queries


def test_logout_is_post_only_and_ends_the_session(client):
    user = UserFactory()
    post_login(client, user.username)
    key = client.session.session_key
    assert client.get(reverse("accounts:logout")).status_code == 405
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(pk=key).exists()
    assert AuditLog.objects.filter(action="auth.logout", actor=user).exists()


@pytest.mark.parametrize("role", sorted(TWO_FACTOR_ROLES))
def test_privileged_roles_need_two_factor_and_wrong_codes_fail(client, user_for, role):
    user = user_for(role)
    device = totp_device(user)
    post_login(client, user.username)
    for url in (DASHBOARD, reverse("core:audit_log"), "/admin/"):
        assert client.get(url).url == reverse("accounts:two_factor")
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
    response = client.post(reverse("accounts:two_factor"), {"token": wrong})
    assert response.status_code == 200
    assert "验证码错误" in response.content.decode()
    assert AuditLog.objects.filter(action="auth.2fa_failed", actor=user).exists()


def test_first_login_enrols_an_authenticator(client, user_for):
    user = user_for(Role.CITY)
    post_login(client, user.username)
    page = client.get(reverse("accounts:two_factor"))
    assert "data:image/svg+xml;base64," in page.content.decode()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    assert not TOTPDevice.objects.filter(user=user).exists()  # showing the QR code stores nothing
    device = TOTPDevice(key=client.session["totp_pending_key"])
    response = client.post(reverse("accounts:two_factor"), {"token": current_code(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(DASHBOARD).status_code == 200
    assert AuditLog.objects.filter(action="auth.2fa_enrolled", actor=user).exists()


def test_enterprise_users_do_not_need_two_factor(client, user_for):
    user = user_for(Role.ENTERPRISE)
    post_login(client, user.username)
    assert client.get(DASHBOARD).status_code == 200


def test_password_reset_by_email(client):
    user = UserFactory(email="clerk@example.cn")
    client.post(reverse("accounts:password_reset"), {"email": "clerk@example.cn"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/password/reset/" in line)
    path = link[link.index("/accounts/"):]
    form_page = client.get(path, follow=True)
    set_url = form_page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "Nieuw-Wachtw00rd", "new_password2": "Nieuw-Wachtw00rd"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nieuw-Wachtw00rd")
    assert AuditLog.objects.filter(action="auth.password_reset", actor=user).exists()


def test_password_change_keeps_input_on_error_and_is_audited(client):
    user = UserFactory()
    post_login(client, user.username)
    url = reverse("accounts:password_change")
    bad = client.post(url, {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"})
    assert bad.status_code == 200
    assert "此密码太短" in bad.content.decode()
    new = "Gr33n-Factory!"
    good = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert good.status_code == 302
    assert AuditLog.objects.filter(action="auth.password_changed", actor=user).exists()
    assert client.get(DASHBOARD).status_code == 200  # the session survives its own password change
