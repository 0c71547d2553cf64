"""Settings of the processes the fault scenarios start (gunicorn, Celery worker and beat, seeding).

The test settings (fast hashing) with the real services from the environment: DATABASE_URL, REDIS_URL
(Celery is NOT eager here), MEDIA_ROOT; e-mail goes to the FAULT_MAILBOX file; the outbox sweep runs
every FAULT_SWEEP_SECONDS (beat's 60 s would make the scenarios slow).
"""

import os

from zhengzhou_grants.settings.test import *  # noqa: F403
from zhengzhou_grants.settings.test import INSTALLED_APPS, REDIS_URL

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = [*INSTALLED_APPS, "benchmarks.faults"]
if os.environ.get("MEDIA_ROOT"):
    MEDIA_ROOT = os.environ["MEDIA_ROOT"]
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
MAILERS = {"default": {"BACKEND": "benchmarks.faults.mailbox.EmailBackend"}}
CELERY_BEAT_SCHEDULE = {
    "send-pending-emails": {"task": "core.send_pending_emails",
                            "schedule": float(os.environ.get("FAULT_SWEEP_SECONDS", "60"))},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
