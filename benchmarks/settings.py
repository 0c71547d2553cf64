"""Benchmark settings: the test settings with production-like templates and a separate database.

The database comes from BENCH_DATABASE_URL, which run.py sets before Django starts: the variable as given, else
PostgreSQL on 127.0.0.1 when it answers (postgres://postgres@127.0.0.1:5432/zz_bench), else in-memory SQLite.
run.py creates a fresh test database from it and drops it at the end, so the demo's var/db.sqlite3 is never
touched.
"""

import os

import dj_database_url

from zhengzhou_grants.settings.test import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "benchmarks.urls"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("BENCH_DATABASE_URL") or "sqlite:///:memory:", conn_max_age=600)
}
LOGGING = {"version": 1, "disable_existing_loggers": True, "root": {"level": "ERROR", "handlers": []}}
CELERY_TASK_ALWAYS_EAGER = True
