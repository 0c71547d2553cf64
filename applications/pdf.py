"""The PDF of a submitted version (WeasyPrint). User text is escaped by the template engine, and the
URL fetcher serves only the platform's own static files: nothing from the network or the file system."""

import datetime
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone

from .compare import version_rows

STATIC_PREFIX = "static:/"
MIME = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg"}


def static_path(url):
    """``static:/img/x.svg`` -> the file's path among the app's static files; FetchRefused for anything else."""
    if not isinstance(url, str) or not url.startswith(STATIC_PREFIX):
        raise FetchRefused(f"refused to fetch {str(url)[:80]!r}")
    relative = urlparse(url).path.lstrip("/")
    if not relative or ".." in Path(relative).parts:
        raise FetchRefused("refused path")
    found = finders.find(relative)
    if not found:
        raise FetchRefused(f"no static file {relative!r}")
    return Path(found)


class FetchRefused(ValueError):
    pass


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Serves only the platform's static files; http(s), file:, data: ... are all refused."""

        def fetch(self, url, headers=None):
            path = static_path(url)
            return URLFetcherResponse(url, path.read_bytes(),
                                      {"Content-Type": MIME.get(path.suffix, "application/octet-stream")})

    return StaticOnlyFetcher()


def render_pdf(html):
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=_fetcher()).write_pdf()


def frozen_datetime(value):
    """A time frozen in a version as ISO text (older versions too) -> an aware datetime in Asia/Shanghai,
    which the template prints as a Chinese date-time. Text that is not a time is returned as it is."""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def application_pdf(application, version):
    data = version.data
    html = render_to_string("applications/pdf/application.html", {
        "application": application,
        "version": version,
        "data": data,
        "rows": [row for row in version_rows(data) if not row[0].startswith("file.")],
        "files": data.get("attachments", []),
        "declaration_accepted_at": frozen_datetime(data.get("declaration_accepted_at")),
        "generated_at": timezone.localtime(),
        "platform_name": settings.PLATFORM_NAME,
    })
    return render_pdf(html)
