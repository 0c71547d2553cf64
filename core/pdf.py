"""HTML to PDF with WeasyPrint, reaching nothing but the platform's own static files.

    from core.pdf import render_pdf
    pdf_bytes = render_pdf(html)

Relative and root-relative URLs (``{% static %}`` gives ``/static/...``) resolve against a fixed
pseudo-origin that never exists on a network; the fetcher serves those paths from the staticfiles
finders and refuses everything else: file://, http(s)://, ftp:// and other schemes, path traversal, and
data: URLs except small PNG/JPEG/GIF images. Fonts come from the system (fontconfig), e.g.
``font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif``; WeasyPrint embeds the subsets.
"""

import base64
import binascii
import logging
import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders

# WeasyPrint reports every rendering step at INFO (already while importing); keep the logs for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML  # noqa: E402
from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

ORIGIN = "https://static.pdf.invalid"  # .invalid is reserved (RFC 2606): it never resolves
DEFAULT_BASE_URL = f"{ORIGIN}/"
STATIC_TYPES = {".css", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".woff", ".woff2", ".ttf", ".otf"}
DATA_IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif"}
MAX_DATA_BYTES = 256 * 1024
MAX_STATIC_BYTES = 5 * 1024 * 1024


class RefusedURL(ValueError):
    """The PDF may not load this URL. WeasyPrint logs it and leaves the resource out."""


class StaticOnlyFetcher(URLFetcher):
    def __init__(self):
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)

    def fetch(self, url, headers=None):
        if url[:5].lower() == "data:":
            return self._data(url)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}".lower() == ORIGIN:
            return self._static(url, parts.path)
        raise RefusedURL(f"PDF rendering may not fetch {url[:100]!r}")

    def _static(self, url, path):
        prefix = urlsplit(settings.STATIC_URL).path or "/static/"
        path = unquote(path)
        if not path.startswith(prefix) or "\\" in path or "\x00" in path:
            raise RefusedURL(f"Not a static file: {url[:100]!r}")
        relative = path[len(prefix):]
        normal = posixpath.normpath(relative)
        if normal != relative or normal.startswith(("/", "..")) or "/../" in f"/{normal}/":
            raise RefusedURL(f"Not a static file: {url[:100]!r}")
        if posixpath.splitext(normal)[1].lower() not in STATIC_TYPES:
            raise RefusedURL(f"Static file type not allowed: {url[:100]!r}")
        found = finders.find(normal)
        if not found:
            raise RefusedURL(f"No such static file: {url[:100]!r}")
        with open(found, "rb") as handle:
            body = handle.read(MAX_STATIC_BYTES + 1)
        if len(body) > MAX_STATIC_BYTES:
            raise RefusedURL(f"Static file too large: {url[:100]!r}")
        mime = mimetypes.guess_type(normal)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": mime})

    def _data(self, url):
        header, _comma, payload = url[5:].partition(",")
        params = header.split(";")
        mime = params[0].strip().lower()
        if mime not in DATA_IMAGE_TYPES or "base64" not in [p.strip().lower() for p in params[1:]]:
            raise RefusedURL("Only small base64 PNG, JPEG or GIF data: URLs are allowed")
        if len(payload) > MAX_DATA_BYTES * 4 // 3 + 4:
            raise RefusedURL("data: image too large")
        try:
            body = base64.b64decode(unquote(payload), validate=True)
        except (binascii.Error, ValueError):
            raise RefusedURL("Malformed data: URL")
        return URLFetcherResponse("data:", body, {"Content-Type": mime})


def render_pdf(html: str, *, base_url=None) -> bytes:
    """Render ``html`` (already escaped by the template engine) to PDF bytes."""
    return HTML(string=html, base_url=base_url or DEFAULT_BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()
