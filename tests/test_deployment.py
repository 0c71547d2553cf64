import os
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def test_check_deploy_is_clean_under_production_settings():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},  # set for Playwright only
        "DJANGO_SETTINGS_MODULE": "zhengzhou_grants.settings.production",
        "DJANGO_SECRET_KEY": "k" * 10 + "Zq8#vT2$wLp9!mRx4@bN7^cJ5&hF3*gD6(sA1)eY0_uI",
        "DJANGO_ALLOWED_HOSTS": "grants.example.gov.cn",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env["DJANGO_SETTINGS_MODULE"] = "zhengzhou_grants.settings.production"
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_docker_compose_matches_the_settings():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "db", "redis"} <= set(services)
    for name in ("db", "redis", "web", "worker"):
        assert "healthcheck" in services[name], name
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "zhengzhou_grants", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "zhengzhou_grants", "beat"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "zhengzhou_grants.settings.production"
        # the variables the settings read
        assert env["DATABASE_URL"].startswith("postgres://") and "@db:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379")
        assert "DJANGO_SECRET_KEY" in env
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"
    assert "pgdata" in compose["volumes"] and "media" in compose["volumes"]
    # the celery app named in the commands exists and reads the same settings namespace
    from zhengzhou_grants.celery import app

    assert app.main == "zhengzhou_grants"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements.txt" in dockerfile and "collectstatic" in dockerfile


def test_settings_modes():
    # tests run on whatever DATABASE_URL says; without it the default is SQLite
    import dj_database_url

    assert dj_database_url.parse("sqlite:////tmp/x.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_embedded_mode_runs_tasks_eagerly_without_redis():
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "zhengzhou_grants.settings.local"
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.DATABASES['default']['ENGINE'])"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["True", "django.db.backends.sqlite3"], result.stderr


def test_beat_schedule_names_registered_tasks():
    from zhengzhou_grants.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]
