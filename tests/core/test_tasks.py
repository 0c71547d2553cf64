"""The daily digest e-mail (core.tasks.send_daily_digest): one Chinese e-mail per user for the queue
notifications not e-mailed one by one and still unread, each notification in one digest at most."""

import pytest
from django.core import mail

from accounts.roles import Role
from core.models import Notification
from core.notifications import notify
from core.tasks import send_daily_digest, send_pending_emails
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_one_digest_per_user_with_the_unread_queue_notifications():
    city, county = UserFactory(role=Role.CITY, email="city@example.cn"), UserFactory(role=Role.COUNTY, email="")
    app = ApplicationFactory()
    notify([city], subject="中原区推荐上报：项目甲", obj=app, kind="application.forward", email=False)
    notify([city], subject="申请复审：项目甲", obj=app, kind="application.request_re_review", email=False)
    read = notify([city], subject="审计已提交：项目甲", obj=app, kind="application.submit_audit", email=False)[0]
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    notify([county], subject="新提交的申报：项目甲", obj=app, email=False)  # no address: marked, not sent

    assert send_pending_emails() == 0  # the per-item outbox leaves them alone
    assert send_daily_digest() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["city@example.cn"]
    assert message.subject == "平台上有 2 条新通知"
    assert "中原区推荐上报：项目甲" in message.body and "申请复审：项目甲" in message.body
    assert "审计已提交" not in message.body  # already read in-app
    assert "/notifications/" in message.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()

    assert send_daily_digest() == 0  # a second run (or a retried task) sends nothing again
    assert len(mail.outbox) == 1
