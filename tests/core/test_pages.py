import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.audit import audit_record
from core.models import AuditLog

pytestmark = pytest.mark.django_db


def test_csp_header_forbids_inline_scripts(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    body = response.content.decode()
    # no inline <script> blocks and no inline event handlers in the layout
    assert "<script>" not in body
    assert " onclick=" not in body and " onchange=" not in body


def test_security_headers(client):
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_404_page_is_chinese(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_403_page_is_chinese(client_for):
    client = client_for(Role.ENTERPRISE)
    response = client.get(reverse("core:audit_log"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()


def test_vendored_assets_no_cdn(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in body
    assert "/static/vendor/htmx/htmx.min.js" in body
    # every address the page loads from is the platform's own (the CSRF token and the CSP nonce are random text,
    # in which the letters "cdn" may stand by chance)
    addresses = re.findall(r'(?:src|href)="([^"]*)"', body)
    assert addresses and not [a for a in addresses if "cdn" in a.lower() or a.startswith(("http:", "https:", "//"))]


def test_navigation_depends_on_role(client_for):
    city = client_for(Role.CITY).get(reverse("core:dashboard")).content.decode()
    assert reverse("core:audit_log") in city


def test_enterprise_navigation_has_no_audit_log(client_for):
    body = client_for(Role.ENTERPRISE).get(reverse("core:dashboard")).content.decode()
    assert reverse("core:audit_log") not in body


def test_city_dashboard_shows_its_queue_not_platform_totals(client_for):
    response = client_for(Role.CITY).get(reverse("core:dashboard"))
    board = response.context["board"]
    assert "待核验企业" in {str(item.label) for item in board.queue}
    assert "县（市、区）数量" not in response.content.decode()


def test_audit_log_filters(client_for):
    client = client_for(Role.CITY)
    audit_record(actor=client.user, action="call.publish", note="first")
    audit_record(actor=client.user, action="call.unpublish", note="second")
    page = client.get(reverse("core:audit_log"), {"action": "call.publish"})
    actions = [entry.action for entry in page.context["page"]]
    assert actions == ["call.publish"]  # the chosen action, not every code containing it


def test_audit_log_is_append_only(client_for):
    entry = audit_record(actor=None, action="demo.immutable")
    entry.note = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        AuditLog.objects.filter(pk=entry.pk).update(note="changed")
    with pytest.raises(PermissionError):
        entry.delete()


def test_audit_log_rejects_raw_update_on_postgres(postgres):
    from django.db import DatabaseError, connection, transaction

    entry = audit_record(actor=None, action="demo.raw")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditlog SET note = 'x' WHERE id = %s", [entry.pk])


def test_audit_records_the_client_ip(client_for):
    client = client_for(Role.ENTERPRISE)
    client.post(reverse("accounts:logout"), REMOTE_ADDR="192.0.2.44")
    assert AuditLog.objects.get(action="auth.logout").ip == "192.0.2.44"


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_audit_log_shows_readable_actions(client_for):
    client = client_for(Role.CITY)
    audit_record(actor=client.user, action="auth.login", obj=client.user)
    body = client.get(reverse("core:audit_log")).content.decode()
    assert "登录" in body and "auth.login" in body


def test_no_navigation_before_the_second_factor(client, user_for):
    user = user_for(Role.CITY)
    client.force_login(user)
    page = client.get(reverse("accounts:two_factor"))
    assert page.status_code == 200
    assert page.context["nav_items"] == []


@pytest.mark.django_db(transaction=True)
def test_counties_survive_a_transactional_flush_first():
    from accounts.models import County

    County.objects.filter(name="郑东新区").delete()
    assert County.objects.count() == 15


@pytest.mark.django_db(transaction=True)
def test_counties_survive_a_transactional_flush_then():
    # runs after the test above flushed the tables: post_migrate put the 16 units back
    from accounts.models import County

    assert County.objects.count() == 16
    assert County.objects.get(name="中原区").abbreviation == "ZY"


def test_only_the_administrator_has_the_system_administration_entry(client_for, user_for):
    admin = client_for(Role.ADMIN, is_staff=True).get(reverse("core:dashboard")).content.decode()
    assert f'href="{reverse("admin:index")}"' in admin and "系统管理" in admin
    # the admin site lets in staff accounts only: an administrator account without it gets no entry either
    plain = client_for(user_for(Role.ADMIN)).get(reverse("core:dashboard")).content.decode()
    assert f'href="{reverse("admin:index")}"' not in plain
    city = client_for(Role.CITY).get(reverse("core:dashboard")).content.decode()
    assert f'href="{reverse("admin:index")}"' not in city
