"""One undeliverable address must not hold up everyone else's e-mail (nothing lost)."""

import pytest

from core.models import Notification
from core.notifications import notify
from core.tasks import send_pending_emails
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing_mailbox(settings, tmp_path, monkeypatch):
    """The file mailbox of the fault scenarios, refusing one address like an SMTP server would."""
    box = tmp_path / "mailbox.jsonl"
    monkeypatch.setenv("FAULT_MAILBOX", str(box))
    monkeypatch.setenv("FAULT_MAIL_REFUSE", "gone@example.cn")
    settings.MAILERS = {"default": {"BACKEND": "benchmarks.faults.mailbox.EmailBackend"}}
    return box


def test_a_refused_address_does_not_block_the_other_emails(refusing_mailbox):
    from benchmarks.faults import mailbox

    users = [UserFactory(email=address) for address in ("a@example.cn", "gone@example.cn", "c@example.cn")]
    notify(users, subject="申报已受理", email=True)
    for _sweep in range(6):  # beat's sweeps, one a minute
        try:
            send_pending_emails()
        except Exception:  # noqa: BLE001, S110 - a sweep may fail; the next one runs anyway
            pass
    delivered = sorted(address for message in mailbox.read(refusing_mailbox) for address in message["to"])
    assert delivered == ["a@example.cn", "c@example.cn"]
    refused = Notification.objects.get(recipient__email="gone@example.cn")
    assert refused.emailed_at is None and refused.email_attempts == 5
