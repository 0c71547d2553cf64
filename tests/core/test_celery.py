"""Round trips through a real Celery worker on the real Redis."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from core.models import Notification
from core.notifications import notify
from core.tasks import send_pending_emails
from tests.factories import UserFactory
from tests.helpers import fresh_celery_connections
from zhengzhou_grants.celery import app, ping


@pytest.fixture
def celery_worker(redis_url):
    previous = {key: app.conf[key] for key in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    fresh_celery_connections(app)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
            yield worker
    finally:
        app.conf.update(**previous)
        fresh_celery_connections(app)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_task_round_trip_through_a_real_worker(celery_worker):
    result = ping.delay("你好")
    assert result.get(timeout=20) == {"pong": "你好"}


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_notification_email_goes_out_through_the_worker_once(celery_worker):
    user = UserFactory(email="qiye@example.cn")
    from django.db import transaction

    with transaction.atomic():
        notify([user], subject="申报已受理", body="您的申报已被县区受理。")
    result = send_pending_emails.delay()
    result.get(timeout=20)
    row = Notification.objects.get(recipient=user)
    assert row.emailed_at is not None
    # running the sender again sends nothing twice
    assert send_pending_emails.delay().get(timeout=20) == 0
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


@pytest.mark.django_db
def test_outbox_survives_a_broker_outage(settings, monkeypatch, django_capture_on_commit_callbacks):
    """If the broker is down at commit, the notification waits in the outbox and goes out later."""
    user = UserFactory(email="qiye2@example.cn")

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(send_pending_emails, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        notify([user], subject="申报已受理")
    row = Notification.objects.get(recipient=user)
    assert row.emailed_at is None
    assert send_pending_emails() == 1  # the beat sweep once the broker is back
    row.refresh_from_db()
    assert row.emailed_at is not None
    assert [m.to for m in mail.outbox] == [["qiye2@example.cn"]]
