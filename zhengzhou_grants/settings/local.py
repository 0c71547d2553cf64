"""Embedded demo mode: SQLite, eager tasks, files on local disk.

DEBUG is off unless DJANGO_DEBUG=1: the demo is what testers and users see, so a 404 is the Chinese page,
not Django's list of URL patterns, and a 500 shows no traceback or environment. Static files are served by
WhiteNoise from STATIC_ROOT (`make setup` runs collectstatic), or from the source folders when DEBUG is on.
"""

from .base import *  # noqa: F403
from .base import env, env_bool, env_list

DEBUG = env_bool("DJANGO_DEBUG", False)

# The hosts the demo server answers for: loopback, plus the address `make run` binds when it is a name or a
# concrete address (DJANGO_RUN_HOST; a wildcard bind needs DJANGO_ALLOWED_HOSTS).
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
_run_host = env("DJANGO_RUN_HOST", "")
if _run_host.strip("0.:") and _run_host not in ALLOWED_HOSTS:  # not a wildcard bind (0.0.0.0, ::)
    ALLOWED_HOSTS.append(_run_host)

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}  # noqa: F405
# Without a collectstatic (a fresh checkout run with DJANGO_DEBUG=1) WhiteNoise looks in the source folders.
WHITENOISE_USE_FINDERS = DEBUG
