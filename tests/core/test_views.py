"""The error pages (core.views.error_400/403/404/500 and the CSRF failure): Chinese, minimal, rendered without
context processors, revealing no URL patterns, traceback or settings. And the demo settings run with DEBUG off."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import path

from accounts.roles import Role
from core.views import error_400, error_403, error_404, error_500
from core.web import BadParameter
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SECRET_MARKERS = ["Traceback", "DATABASE", "postgres://", "SECRET_KEY", "urlpatterns", "URLconf", "Django tried",
                  "django.", "raise "]


def boom(request):
    raise RuntimeError("postgres://postgres:hunter2@10.0.0.1/zz secret detail")


urlpatterns = [path("boom/", boom)]
handler500 = "core.views.error_500"


def assert_reveals_nothing(body):
    for marker in SECRET_MARKERS:
        assert marker not in body, marker


@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_a_crashing_view_shows_the_chinese_500_without_traceback_or_settings():
    response = Client(raise_request_exception=False).get("/boom/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "服务器错误" in body and "hunter2" not in body
    assert_reveals_nothing(body)


def test_a_missing_page_for_an_enterprise_is_the_chinese_404(client_for):
    client = client_for(Role.ENTERPRISE)
    response = client.get("/no-such-page/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in body and "返回首页" in body
    assert_reveals_nothing(body)
    assert "applications/" not in body  # no list of URL patterns


def test_a_malformed_number_is_the_chinese_400_naming_the_field(client_for):
    client = client_for(Role.CITY)
    response = client.get("/disbursements/budget/", {"year": "２０２１"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "请求无效" in body and "不是有效的年度数值" in body
    assert_reveals_nothing(body)


def test_the_csrf_failure_is_the_chinese_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    body = response.content.decode()
    assert "无权" in body or "拒绝" in body
    assert "CSRF" not in body


@pytest.mark.parametrize("view, status, words", [
    (error_400, 400, "请求无效"), (error_403, 403, "403"),
    (error_404, 404, "页面不存在"), (error_500, 500, "服务器错误"),
])
def test_each_error_page_needs_no_context_processor(rf, view, status, words, django_assert_num_queries):
    request = rf.get("/x/")
    request.user = UserFactory.for_role(Role.CITY)
    with django_assert_num_queries(0):  # navigation and notification counts are not rendered
        response = view(request) if view is error_500 else view(request, Exception("internal detail"))
    assert response.status_code == status
    body = response.content.decode()
    assert words in body and "internal detail" not in body


def test_the_400_page_shows_only_our_own_message(rf):
    response = error_400(rf.get("/"), BadParameter("“²”不是有效的版本号数值。"))
    assert "不是有效的版本号数值" in response.content.decode()


def _local_setting(expression, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(DJANGO_SETTINGS_MODULE="zhengzhou_grants.settings.local", **env)
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_demo_runs_with_debug_off_unless_asked():
    assert _local_setting("settings.DEBUG") == "False"
    assert _local_setting("settings.DEBUG", DJANGO_DEBUG="1") == "True"
    hosts = _local_setting("sorted(settings.ALLOWED_HOSTS)", DJANGO_RUN_HOST="zz-demo.local")
    assert "'127.0.0.1'" in hosts and "'localhost'" in hosts and "'zz-demo.local'" in hosts
    assert "0.0.0.0" not in _local_setting("settings.ALLOWED_HOSTS", DJANGO_RUN_HOST="0.0.0.0")  # noqa: S104
    assert "whitenoise" in _local_setting("settings.STORAGES['staticfiles']['BACKEND']")
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in _local_setting("settings.MIDDLEWARE")


def test_make_setup_collects_the_static_files():
    makefile = (ROOT / "Makefile").read_text()
    setup = makefile.split("\nsetup:", 1)[1].split("\n\n", 1)[0]
    assert "collectstatic --noinput" in setup


def test_notifications_page_is_a_digest_per_item_and_day(client_for):
    from django.urls import reverse

    from core.models import Notification
    from core.notifications import notify
    from tests.factories import ApplicationFactory

    client = client_for(Role.CITY)
    user = client.user
    app = ApplicationFactory(project_name="数字化车间项目")
    notes = [notify([user], subject=f"通知{n}", obj=app, email=False)[0] for n in range(3)]
    other = notify([user], subject="另一件事", email=False)[0]
    stranger = notify([UserFactory(role=Role.CITY)], subject="别人的通知", obj=app, email=False)[0]

    page = client.get(reverse("core:notifications")).content.decode()
    assert "3 条关于「" in page and "数字化车间项目" in page and "3 条未读" in page
    assert "另一件事" in page and "别人的通知" not in page
    assert 'class="badge text-bg-warning">2<' in page  # two items with unread notifications, not four

    # mark the group read: only its own ids count, another user's id is ignored
    response = client.post(reverse("core:notifications_mark_read"),
                           {"ids": [n.pk for n in notes] + [stranger.pk], "next": "/notifications/?show=unread"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?show=unread"
    assert not Notification.objects.filter(pk__in=[n.pk for n in notes], read_at__isnull=True).exists()
    assert Notification.objects.get(pk=other.pk).read_at is None
    assert Notification.objects.get(pk=stranger.pk).read_at is None

    unread = client.get(reverse("core:notifications"), {"show": "unread"}).content.decode()
    assert "另一件事" in unread and "通知0" not in unread
    assert client.post(reverse("core:notifications_mark_read"), {"ids": ["1e3"]}).status_code == 400
    client.post(reverse("core:notifications_mark_read"))
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    assert "没有未读通知" in client.get(reverse("core:notifications"), {"show": "unread"}).content.decode()
