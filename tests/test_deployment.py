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
    # the password check has its own gunicorn pool and the proxy routes POST /accounts/login/ to it
    assert services["web-login"]["command"][:2] == services["web"]["command"][:2]
    assert services["web-login"]["environment"] == services["web"]["environment"]
    assert "./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro" in services["proxy"]["volumes"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "server web-login:8000;" in nginx and "server web:8000;" in nginx
    assert "location = /accounts/login/" in nginx and "POST    web_login;" in nginx
    assert "X-Forwarded-Proto $http_x_forwarded_proto" in nginx
    assert services["worker"]["command"][:4] == ["celery", "-A", "zhengzhou_grants", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "zhengzhou_grants", "beat"]
    for name in ("web", "web-login", "worker", "beat"):
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


def test_embedded_mode_queues_tasks_on_a_local_broker_without_redis():
    """Without REDIS_URL the same Celery code path runs: tasks go to a worker over kombu's SQLAlchemy transport on a
    local SQLite file (make run starts that worker), not eagerly inside the request."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "DATABASE_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "zhengzhou_grants.settings.local"
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_TASK_ALWAYS_EAGER, settings.DATABASES['default']['ENGINE'], "
        "settings.CELERY_BROKER_URL.split(':')[0])"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["False", "django.db.backends.sqlite3", "sqla+sqlite"], result.stderr


def test_beat_schedule_names_registered_tasks():
    from zhengzhou_grants.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]


def _upstream(name):
    """A tiny HTTP server on a free port answering '<name> <method> <X-Forwarded-Proto>' (an upstream stand-in)."""
    import http.server
    import threading

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            body = f"{name} {self.command} {self.headers.get('X-Forwarded-Proto', '-')}".encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_the_proxy_sends_the_password_check_to_its_own_pool(tmp_path):
    """deploy/nginx.conf, run by a real nginx with the upstreams pointed at two stand-ins: POST /accounts/login/
    goes to web-login, everything else (the login page itself included) to web; X-Forwarded-Proto passes."""
    import socket
    import time
    import urllib.error
    import urllib.request

    from benchmarks.load.proxy import nginx_binary, write_config
    from tests.conftest import missing

    nginx = nginx_binary()
    if not nginx:
        missing("nginx (scripts/system_deps.sh installs nginx-light)")
    pages, login = _upstream("pages"), _upstream("login")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = write_config(tmp_path, listen=port, pages=pages.server_port, login=login.server_port)
    server = subprocess.Popen([nginx, "-c", config], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        def ask(path, method="GET"):
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                             data=b"username=x" if method == "POST" else None,
                                             headers={"X-Forwarded-Proto": "https"})
            for _ in range(50):
                try:
                    with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 - loopback only
                        return answer.read().decode()
                except (ConnectionError, urllib.error.URLError):
                    time.sleep(0.1)
            raise AssertionError("nginx did not answer")

        assert ask("/accounts/login/", "POST") == "login POST https"
        assert ask("/accounts/login/") == "pages GET https"
        assert ask("/applications/", "POST") == "pages POST https"
        assert ask("/accounts/login/extra", "POST") == "pages POST https"
    finally:
        server.terminate()
        server.wait(10)
        pages.shutdown()
        login.shutdown()
