"""Settings of the instances the scale-out test starts: the fault settings with the deployment's shared cache,
Redis (REDIS_URL), as in production, instead of the test settings' database cache."""

import os

from benchmarks.faults.settings import *  # noqa: F403
from benchmarks.faults.settings import REDIS_URL

CACHES = {"default": {
    "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
    "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "zz"),
    "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
}}
