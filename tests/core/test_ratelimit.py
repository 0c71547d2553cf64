"""core.ratelimit: a fixed window per purpose and client in the shared cache; refusals are Chinese, HTTP 429."""

from types import SimpleNamespace

import pytest

from core import ratelimit

pytestmark = pytest.mark.django_db


def test_the_window_counts_per_purpose_ip_and_username(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": (2, 60), "two_factor": (2, 60)}
    assert [ratelimit.hit("register", ip="10.1.1.1") for _ in range(3)] == [1, 2, 3]
    assert ratelimit.hit("register", ip="10.1.1.2") == 1  # another address has its own count
    assert ratelimit.hit("two_factor", ip="10.1.1.1") == 1  # another purpose too
    assert ratelimit.hit("two_factor", ip="10.1.1.1", username="Alice") == 1
    assert ratelimit.hit("two_factor", ip="10.1.1.1", username="alice") == 2  # usernames ignore case


def test_a_new_window_starts_afresh(settings, monkeypatch):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": (1, 60)}
    now = [1_000_020.0]
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now[0]))  # this module's clock only
    assert ratelimit.hit("register", ip="10.2.2.2") == 1
    assert ratelimit.hit("register", ip="10.2.2.2") == 2
    now[0] += 60
    assert ratelimit.hit("register", ip="10.2.2.2") == 1


def test_the_cache_is_shared_never_per_process():
    from django.conf import settings as live

    from zhengzhou_grants.settings import base

    backend = base.CACHES["default"]["BACKEND"]
    assert backend in {"django.core.cache.backends.redis.RedisCache", "django.core.cache.backends.db.DatabaseCache"}
    assert "locmem" not in live.CACHES["default"]["BACKEND"]


def test_the_cache_table_exists_after_migrate():
    from django.db import connection

    assert "core_cache" in connection.introspection.table_names()


def test_a_cache_outage_does_not_lock_everybody_out(monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(ratelimit.cache, "add", down)
    assert ratelimit.hit("register", ip="10.3.3.3") == 0


def test_the_message_is_chinese_with_the_wait(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "objection": (1, 3600)}
    text = ratelimit.message("objection")
    assert "尝试次数过多" in text and "60" in text


@pytest.mark.integration
def test_two_gunicorn_workers_share_one_count_in_redis(postgres, redis_url, tmp_path):
    """Concurrent registration attempts spread over two sync workers: exactly the limit gets through, because
    the count lives in Redis (a per-process counter would let each worker take the limit)."""
    import re
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    import requests
    from django.db import connection

    from benchmarks.faults.harness import Gunicorn, Lab, django_env, free_port

    s = connection.settings_dict
    db_url = f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    limit, attempts = 4, 12
    env = django_env("zhengzhou_grants.settings.local", DATABASE_URL=db_url, REDIS_URL=redis_url,
                     DJANGO_DEBUG="0", CACHE_KEY_PREFIX=f"t{uuid.uuid4().hex}",
                     RATE_LIMIT_REGISTER=f"{limit}/600", GUNICORN_CMD_ARGS="--access-logformat '%(p)s %(s)s %(m)s'")
    with Lab(tmp_path / "lab") as lab:
        server = lab.add(Gunicorn(free_port(), env=env, log_dir=lab.dir, workers=2)).start()
        url = f"{server.base_url}/accounts/register/"
        first = requests.get(url, timeout=10)
        assert first.status_code == 200, server.log_tail()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', first.text).group(1)

        def attempt(i):
            return requests.post(url, data={"csrfmiddlewaretoken": token, "username": f"probe{i}"},
                                 cookies=first.cookies, headers={"Referer": url}, timeout=20).status_code

        with ThreadPoolExecutor(max_workers=6) as pool:
            codes = list(pool.map(attempt, range(attempts)))
        log = server.log_path.read_text()
    assert sorted(codes) == [200] * limit + [429] * (attempts - limit), (codes, log[-2000:])
    posts = [line.split() for line in log.splitlines() if line.endswith(" POST")]
    assert len(posts) == attempts
    assert len({pid for pid, _status, _method in posts}) == 2, log[-2000:]  # both workers answered
