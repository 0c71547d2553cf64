"""Rate limits for the forms anyone can send (registration, password reset, objections) and the 2FA step.

A fixed window per (purpose, client IP [, username]) counted in the shared cache (Redis in deployment, the
database cache in the embedded mode), so the count holds across gunicorn workers and restarts. The limits
live in ``settings.RATE_LIMITS`` as ``purpose: (attempts, window in seconds)``.

A view asks ``exceeded(purpose, request, username=...)`` once per attempt (it counts the attempt) and answers
a refusal with ``refuse(...)``: the page again with what was typed, a Chinese message and HTTP 429.
"""

import hashlib
import logging
import time

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.middleware import client_ip_from

logger = logging.getLogger(__name__)


def limit_for(purpose):
    """(attempts, window seconds) for ``purpose``; a purpose without a configured limit is a programming error."""
    attempts, window = settings.RATE_LIMITS[purpose]
    return int(attempts), int(window)


def _key(purpose, ip, username, window):
    who = f"{ip or 'unknown'}|{(username or '').strip().lower()}"
    digest = hashlib.sha256(who.encode()).hexdigest()[:32]  # no personal data in the cache's key names
    return f"ratelimit:{purpose}:{digest}:{int(time.time()) // window}"


def hit(purpose, *, ip, username=""):
    """Count one attempt; returns how many were counted in the current window (this one included)."""
    _attempts, window = limit_for(purpose)
    key = _key(purpose, ip, username, window)
    try:
        cache.add(key, 0, window + 1)
        return cache.incr(key)
    except ValueError:  # the entry expired between add and incr: this attempt opens a new window
        cache.set(key, 1, window + 1)
        return 1
    except Exception:  # the cache is down: fail open (the lockout of the login itself lives in the database)
        logger.warning("rate-limit cache unavailable for %s", purpose, exc_info=True)
        return 0


def exceeded(purpose, request, *, username=""):
    """Count this attempt from ``request``'s client; True when it is over the limit."""
    attempts, _window = limit_for(purpose)
    return hit(purpose, ip=client_ip_from(request), username=username) > attempts


def message(purpose):
    _attempts, window = limit_for(purpose)
    minutes = max(1, window // 60)
    return _("Too many attempts from your network. Please wait %(minutes)s minutes and try again, or contact the "
             "Municipal Bureau of Industry and Information Technology.") % {"minutes": minutes}


def typed(request, *, secret=("password", "password1", "password2", "token")):
    """What the visitor typed, as ``initial`` for an unbound form: the refused page keeps it without validating
    it again (validation would answer questions, e.g. whether a username exists, past the limit)."""
    return {name: value for name, value in request.POST.dict().items()
            if name not in secret and name != "csrfmiddlewaretoken"}


def refuse(request, purpose, template, context):
    """The page again with the refusal as an error message, HTTP 429 (``context`` carries the form)."""
    messages.error(request, message(purpose))
    logger.info("rate limit reached: %s from %s", purpose, client_ip_from(request))
    return render(request, template, context, status=429)
