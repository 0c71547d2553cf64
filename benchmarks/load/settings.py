"""Settings of the gunicorn under load: the deployment stack (real password hashing, DEBUG off) on
PostgreSQL and Redis from the environment, plus the floor page of benchmarks/urls.py so that the floor is
measured in the same run. HTTPS redirects and secure cookies are left off: this is plain HTTP on loopback."""

import os

from zhengzhou_grants.settings.base import *  # noqa: F403
from zhengzhou_grants.settings.base import BASE_DIR

DEBUG = False
ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "var" / "load-media"))
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
