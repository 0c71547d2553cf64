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
