"""Test helpers shared by every test directory: logging in (test client and browser) with the second factor where
the role needs it, reading what a page, a PDF or an XLSX file shows, files under MEDIA_ROOT, the gettext scanner."""

import os
import shutil
import subprocess
from urllib.parse import urlsplit, urlunsplit

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device(user):
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    return device


def current_code(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def browser_login(browser, base, user, *, password=None, width=1366):
    """Log ``user`` in through the login page in a new Playwright context (downloads accepted, data-confirm prompts
    answered), passing 2FA when the role requires it; the page waits on the dashboard."""
    import re

    from tests.factories.accounts import PASSWORD

    context = browser.new_context(accept_downloads=True, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # data-confirm prompts
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(password or PASSWORD)
    page.get_by_role("button", name="登录").click()
    if user.requires_two_factor:
        page.wait_for_url(re.compile(r"/accounts/2fa/"))
        page.locator("input[name=token]").fill(current_code(totp_device(user)))
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{base}/dashboard/")
    return page


def login(client, user):
    """Log ``user`` in on the Django test client, passing 2FA when the role requires it."""
    client.force_login(user)
    if user.requires_two_factor:
        device = totp_device(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def input_value(body, name):
    """The value="" of the <input name=...> in the page's HTML ("" when it has none); the input must be there."""
    import re

    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    assert match, name
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) is not installed")


def pdf_text(content, *, layout=False):
    """The text of a PDF (bytes) as pdftotext reads it; ``layout`` keeps table columns side by side."""
    command = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(command, input=content, capture_output=True, check=True, timeout=60).stdout.decode()


def response_bytes(response):
    """The body of a response, streamed or not."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def xlsx_book(content):
    """The workbook of an XLSX file: bytes or a response (streamed or not)."""
    import io

    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(content if isinstance(content, bytes) else response_bytes(content)))


def xlsx_cells(content, *, filled=False):
    """Every cell of every sheet of an XLSX file (bytes or a response); ``filled`` leaves out the empty ones."""
    return [cell for sheet in xlsx_book(content).worksheets for row in sheet.iter_rows() for cell in row
            if not filled or cell.value is not None]


def media_files(settings):
    """Every file stored under MEDIA_ROOT (relative paths)."""
    from pathlib import Path

    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}


def gettext_inside_fstrings(source):
    """(line, name) of every gettext call written inside an f-string: xgettext (makemessages) does not look
    there, so such a text never reaches the catalogue and shows in English."""
    import io
    import tokenize

    found, depth, previous = [], 0, None
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.FSTRING_START:
            depth += 1
        elif token.type == tokenize.FSTRING_END:
            depth -= 1
        elif depth and token.type == tokenize.OP and token.string == "(" and previous is not None \
                and previous.type == tokenize.NAME and previous.string in GETTEXT_NAMES:
            found.append((previous.start[0], previous.string))
        previous = token
    return found


def redis_db(url, db=None):
    """``url`` on Redis database ``db`` (default: the URL's own) minus the index of this pytest-xdist worker:
    the suite runs in parallel processes (``make test``) and each must have its own databases, else one
    process's Celery worker would take the tasks of another, whose test database it cannot see. Worker gw0 and
    a run without xdist use ``db`` itself."""
    parts = urlsplit(url)
    db = int((parts.path or "/0").strip("/") or 0) if db is None else db
    index = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    if index > db:
        pytest.fail(f"Redis has no database {db} - {index} for pytest-xdist worker gw{index}: use fewer workers")
    return urlunsplit((parts.scheme, parts.netloc, f"/{db - index}", parts.query, ""))


def fresh_celery_connections(app):
    """Forget the Celery app's pooled broker connections and its result backend, so that ``.delay()`` publishes to
    the broker now configured (a test that points the app at another broker calls it before and after)."""
    from kombu import pools

    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()  # kombu's registry of producer pools per broker, which would hand out the closed pool again
