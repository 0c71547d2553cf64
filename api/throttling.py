"""Rate limits of the data interface, counted in the shared cache (core.ratelimit) so that every gunicorn worker
and instance counts together: per token when one is given, per client address otherwise."""

from rest_framework.throttling import BaseThrottle

from core.middleware import client_ip_from
from core.ratelimit import hit, limit_for


class SharedCacheThrottle(BaseThrottle):
    def allow_request(self, request, view):
        token = getattr(request, "auth", None)
        purpose = "api" if token is not None else "api_public"
        self.window = limit_for(purpose)[1]
        who = token.prefix if token is not None else ""
        return hit(purpose, ip="" if token is not None else client_ip_from(request), username=who) \
            <= limit_for(purpose)[0]

    def wait(self):
        return self.window
