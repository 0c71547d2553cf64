"""Shared fixtures. With REQUIRE_SERVICES=1 (CI) a missing PostgreSQL, Redis or Chromium fails the
run instead of skipping the tests that need it."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from accounts.roles import Role
from tests.factories import UserFactory
from tests.helpers import login, redis_db

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
CHROMIUM = next((p for p in ("/usr/lib/chromium/chromium", "/usr/bin/chromium") if os.path.exists(p)), None)


def missing(reason):
    if REQUIRE_SERVICES:
        pytest.fail(f"Required service missing: {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_sessionstart(session):
    if REQUIRE_SERVICES and settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        raise pytest.UsageError("REQUIRE_SERVICES=1 but DATABASE_URL does not point at PostgreSQL")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """The longest tests first (marked ``slow``, and the browser tests): run in parallel processes
    (``make test``), the suite then ends with short tests on every process instead of one long test on one.
    Runs before pytest-django's own (stable) sort, which then keeps the transactional tests after the others."""
    items.sort(key=lambda item: not (item.get_closest_marker("slow") or item.get_closest_marker("e2e")))


def pytest_collection_finish(session):
    """In a pytest-xdist process with ``--dist loadgroup`` the tests of an ``xdist_group`` carry the group in their
    id (``…::test_x@demo``): that is how xdist sends a group to one process. A pytest that no longer lets xdist
    rename them (pytest 9.2 with pytest-xdist 3.8) would silently run a group's tests in parallel: the servers of
    tests/faults at once, the demo seeded once per test. Refuse to run instead."""
    if getattr(session.config.option, "loadgroup", False):
        lost = [item.nodeid for item in session.items
                if item.get_closest_marker("xdist_group") and "@" not in item.nodeid]
        if lost:
            raise pytest.UsageError(f"pytest-xdist's groups are not applied (e.g. {lost[0]}): check the versions "
                                    "of pytest and pytest-xdist in requirements-dev.txt")


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo (``seed_demo``, about a minute and a half) seeded once for the tests of a module, in a
    transaction rolled back after its last test; each test runs in a savepoint inside it (as Django's
    ``setUpTestData``). Returns the time the seeding started. Put tests that share it in one module."""
    from django.core.management import call_command
    from django.test import TestCase, override_settings
    from django.utils import timezone

    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
        try:
            started = timezone.now()
            with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")):
                call_command("seed_demo", verbosity=0)
            yield started
        finally:
            TestCase._rollback_atomics(atomics)


@pytest.fixture
def postgres(db):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        missing("PostgreSQL (set DATABASE_URL)")


@pytest.fixture(scope="session")
def redis_url():
    """REDIS_URL, on this test process's own Redis database (``redis_db``)."""
    import redis

    url = os.environ.get("REDIS_URL")
    if not url:
        missing("Redis (set REDIS_URL)")
    url = redis_db(url)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.exceptions.RedisError as exc:
        missing(f"Redis at {url}: {exc}")
    return url


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Every test that uses the database starts with an empty shared cache (rate-limit counts, cached menus):
    rows a transactional or browser test left in the cache table would otherwise count for the next test."""
    if "_django_db_helper" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
        from django.core.cache import cache

        from core.paging import forget_counts

        cache.clear()
        forget_counts()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def user_for(db):
    """user_for(role) -> a saved user of that role with an organisation or county as the role needs."""
    return UserFactory.for_role


@pytest.fixture
def client_for(client, user_for):
    """client_for(role or user) -> a test client logged in (2FA passed where required)."""

    def make(role_or_user, **kwargs):
        user = role_or_user if hasattr(role_or_user, "pk") else user_for(role_or_user, **kwargs)
        login(client, user)
        client.user = user
        return client

    return make


@pytest.fixture
def all_roles():
    return list(Role)


# --- Playwright with Debian's Chromium (playwright install cannot download browsers here) ---


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if CHROMIUM is None or not shutil.which(CHROMIUM):
        missing("Chromium (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    }


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
