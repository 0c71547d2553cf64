"""core.pdf: the URL fetcher serves the app's static files and nothing else."""

import base64

import pytest

from core.pdf import DEFAULT_BASE_URL, RefusedURL, StaticOnlyFetcher, render_pdf

PNG_1PX = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")).decode()


@pytest.fixture
def fetcher():
    return StaticOnlyFetcher()


def test_static_files_are_served(fetcher):
    response = fetcher(f"{DEFAULT_BASE_URL}static/css/app.css")
    assert response.content_type == "text/css"
    assert b"--brand" in response.read()
    svg = fetcher(f"{DEFAULT_BASE_URL}static/img/favicon.svg")
    assert svg.content_type == "image/svg+xml"


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "FILE:///etc/passwd",
    "http://127.0.0.1:8000/static/css/app.css",
    "https://example.com/x.png",
    "ftp://example.com/x.png",
    "https://static.pdf.invalid.example.com/static/css/app.css",
    f"{DEFAULT_BASE_URL}static/../../../etc/passwd",
    f"{DEFAULT_BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
    f"{DEFAULT_BASE_URL}static//etc/passwd",
    f"{DEFAULT_BASE_URL}etc/passwd",
    f"{DEFAULT_BASE_URL}static/js/app.js",  # not a type a PDF needs
    f"{DEFAULT_BASE_URL}static/css/no-such-file.css",
    "data:text/html;base64,PHNjcmlwdD4=",
    "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
    "data:image/png,notbase64",
    "data:image/png;base64," + "A" * 400_000,
    "javascript:alert(1)",
])
def test_everything_else_is_refused(fetcher, url):
    with pytest.raises(RefusedURL):
        fetcher(url)


def test_small_data_images_are_allowed(fetcher):
    response = fetcher(f"data:image/png;base64,{PNG_1PX}")
    assert response.content_type == "image/png" and response.read().startswith(b"\x89PNG")


def test_rendering_asks_the_fetcher_only_for_what_the_html_references(monkeypatch):
    asked = []
    original = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    pdf = render_pdf('<html><head><link rel="stylesheet" href="/static/css/app.css"></head><body>'
                     '<p>正文</p><img src="file:///etc/passwd"><img src="https://example.com/a.png"></body></html>')
    assert pdf.startswith(b"%PDF")
    assert f"{DEFAULT_BASE_URL}static/css/app.css" in asked
    # refused, never read: the fetcher raised for them and nothing was embedded
    assert b"root:" not in pdf
