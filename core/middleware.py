"""Keeps the client IP of the current request where the audit helper can read it."""

import contextvars
import time

_client_ip = contextvars.ContextVar("client_ip", default=None)


def current_ip():
    return _client_ip.get()


def client_ip_from(request):
    # Behind the reverse proxy set REMOTE_ADDR correctly (gunicorn --forwarded-allow-ips);
    # X-Forwarded-For is not trusted here because a client can forge it.
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _client_ip.set(client_ip_from(request))
        try:
            return self.get_response(request)
        finally:
            _client_ip.reset(token)


class SessionRefreshMiddleware:
    """The idle timeout (SESSION_COOKIE_AGE after the last request) without a write on every request: a
    session's expiry is pushed forward when the request changed the session anyway, or when the last push is
    ``REFRESH_SECONDS`` old or more. An idle session then ends between SESSION_COOKIE_AGE - REFRESH_SECONDS and
    SESSION_COOKIE_AGE after the last request, and a page read within the minute after another writes nothing.
    Listed right after SessionMiddleware, whose response step saves what this one marked."""

    REFRESH_SECONDS = 60
    KEY = "_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def mark(cls, session):
        """Record a push of the expiry now (the session is being saved anyway: a login)."""
        session[cls.KEY] = int(time.time())

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        if session.modified or int(time.time()) - session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
            self.mark(session)  # saved with its new expiry by SessionMiddleware
        return response


class LanguageMiddleware:
    """Chinese first: the language is zh-hans unless the user chose another with the language switch.

    Unlike Django's LocaleMiddleware it ignores the browser's Accept-Language, so an official with an
    English browser still gets the Chinese UI until they switch.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        available = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.headers.get("Vary", "")
        if "Cookie" not in patch_vary:
            response.headers["Vary"] = f"{patch_vary}, Cookie".strip(", ")
        return response


class RejectNulBytesMiddleware:
    """A NUL character in a query or form value is never legitimate and PostgreSQL cannot store or search
    it: answer 400 with a clear message instead of failing deep inside a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.http import HttpResponseBadRequest
        from django.utils.translation import gettext as _

        query = request.META.get("QUERY_STRING", "")
        posted = request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded", "multipart/form-data")
        if "\x00" in query or "%00" in query or (
            posted and any("\x00" in value for _key, values in request.POST.lists() for value in values)
        ):
            message = _("The request contains a character that is not allowed.")
            if request.path.startswith(settings.API_PATH_PREFIX):
                from django.http import JsonResponse

                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user and on every download, so
    that dashboards, the company page (bank account), attachments and exports stay out of shared and browser
    caches. Pages for anonymous visitors (public calls, publicity) keep their caching, downloads excepted."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        try:
            signed_in = user is not None and user.is_authenticated
        except Exception:  # noqa: BLE001 - the user could not be loaded (database down): treat as private
            signed_in = True
        download = response.has_header("Content-Disposition") or getattr(response, "streaming", False)
        # the data interface signs its callers in by token, which the session middleware never sees
        from django.conf import settings

        interface = request.path.startswith(settings.API_PATH_PREFIX)
        if signed_in or download or interface:
            from django.utils.cache import patch_cache_control

            response.headers.pop("Cache-Control", None)
            patch_cache_control(response, private=True, no_store=True)
        return response
