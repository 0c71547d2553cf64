"""An e-mail backend that appends every message as one JSON line to the file FAULT_MAILBOX.

Several processes (killed and restarted workers) write to the same file, so each line is written with
one O_APPEND write. FAULT_MAIL_DELAY=<seconds> waits before each delivery, which gives a scenario time
to kill a worker in the middle of the outbox task. FAULT_MAIL_REFUSE=<address,...> makes the "server"
refuse those recipients, as an SMTP server refuses a mailbox that does not exist.
"""

import json
import os
import smtplib
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, messages):
        path = os.environ["FAULT_MAILBOX"]
        delay = float(os.environ.get("FAULT_MAIL_DELAY") or 0)
        refused = {a.strip() for a in os.environ.get("FAULT_MAIL_REFUSE", "").split(",") if a.strip()}
        count = 0
        for message in messages:
            if delay:
                time.sleep(delay)
            bad = {address: (550, b"5.1.1 mailbox unavailable") for address in message.to if address in refused}
            if bad:
                raise smtplib.SMTPRecipientsRefused(bad)
            line = json.dumps({"to": list(message.to), "subject": str(message.subject), "pid": os.getpid(),
                               "at": time.time()}, ensure_ascii=False) + "\n"
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, line.encode())
            finally:
                os.close(fd)
            count += 1
        return count


def read(path):
    """The delivered messages, one dict per line (an absent file is an empty mailbox)."""
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
