"""core.uploads: a request over UPLOAD_MAX_BYTES is refused while it comes in — by its declared length before the
body is read, by the streamed size at the chunk that passes the limit — with a Chinese page and HTTP 413."""

import io

import pytest
from django.conf import settings as live
from django.core.handlers.wsgi import WSGIRequest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from core.uploads import ENVELOPE_BYTES, LimitedUploadHandler, UploadTooLarge

pytestmark = pytest.mark.django_db


class CountingStream(io.BytesIO):
    """A request body that remembers how much of it was read."""

    def read(self, size=-1):
        data = super().read(size)
        self.consumed = getattr(self, "consumed", 0) + len(data)
        return data

    def readline(self, size=-1):
        data = super().readline(size)
        self.consumed = getattr(self, "consumed", 0) + len(data)
        return data


def multipart_request(body, declared=None):
    stream = CountingStream(body)
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": "/", "SERVER_NAME": "testserver", "SERVER_PORT": "80",
        "CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(declared if declared is not None else len(body)),
        "wsgi.input": stream, "wsgi.url_scheme": "http",
    }
    return WSGIRequest(environ), stream


def file_body(size):
    return encode_multipart(BOUNDARY, {"note": "x", "file": _named(b"%PDF-1.4\n" + b"%" * size)})


def _named(data):
    handle = io.BytesIO(data)
    handle.name = "big.pdf"
    return handle


def test_the_handler_comes_first_in_both_modes():
    from zhengzhou_grants.settings import base

    assert base.FILE_UPLOAD_HANDLERS[0] == "core.uploads.LimitedUploadHandler"
    assert live.FILE_UPLOAD_HANDLERS == base.FILE_UPLOAD_HANDLERS


def test_a_declared_length_over_the_limit_is_refused_before_reading(settings):
    settings.UPLOAD_MAX_BYTES = 4096
    body = file_body(64 * 1024)
    request, stream = multipart_request(body, declared=4096 + ENVELOPE_BYTES + 1)
    with pytest.raises(UploadTooLarge):
        request.POST  # noqa: B018 - parsing is what is tested
    assert getattr(stream, "consumed", 0) == 0


def test_a_streamed_file_over_the_limit_stops_at_that_chunk(settings):
    settings.UPLOAD_MAX_BYTES = 128 * 1024
    body = file_body(1024 * 1024)  # the declared length is within the envelope: only the streamed size tells
    request, stream = multipart_request(body)
    with pytest.raises(UploadTooLarge):
        request.FILES  # noqa: B018
    assert stream.consumed < 512 * 1024 < len(body)


def test_a_file_within_the_limit_passes_untouched(settings):
    settings.UPLOAD_MAX_BYTES = 256 * 1024
    request, _stream = multipart_request(file_body(100 * 1024))
    assert request.FILES["file"].size == len(b"%PDF-1.4\n") + 100 * 1024 and request.POST["note"] == "x"


def test_an_oversize_post_gets_a_chinese_413_page_not_a_500(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client = Client(raise_request_exception=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "file": _named(b"%PDF-1.4\n" + b"%" * 4096)})
    assert response.status_code == 413
    body = response.content.decode().replace("\xa0", " ")
    assert "文件过大" in body and "1.0 KB" in body


def test_the_handler_counts_per_file():
    handler = LimitedUploadHandler()
    handler.new_file("file", "a.pdf", "application/pdf", 10)
    assert handler.receive_data_chunk(b"abc", 0) == b"abc"
    assert handler.file_complete(3) is None

