"""An enterprise user's browser, reduced to what the scenarios do: log in, open the submission page,
submit. Retries on a dropped connection or a 5xx, the way a person presses the button again."""

import re
import time

import requests

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


class Transient(Exception):
    """The server dropped the request or answered 5xx: try again."""


class Enterprise:
    def __init__(self, base_url, username, password, *, timeout=15):
        self.base, self.username, self.password, self.timeout = base_url, username, password, timeout
        self.http = requests.Session()
        self.logged_in = False

    def _call(self, method, path, **kwargs):
        try:
            response = self.http.request(method, self.base + path, timeout=self.timeout, allow_redirects=False,
                                         **kwargs)
        except TRANSIENT as exc:
            raise Transient(f"{method} {path}: {exc.__class__.__name__}") from exc
        # 400: Django answers SessionInterrupted when saving the session fails because the database
        # went away after the view ran (the session is saved after the view); nothing was half-saved, try again.
        if response.status_code >= 500 or response.status_code == 400:
            raise Transient(f"{method} {path}: HTTP {response.status_code}")
        return response

    def login(self):
        page = self._call("GET", "/accounts/login/")
        token = CSRF.search(page.text).group(1)
        answer = self._call("POST", "/accounts/login/", data={
            "csrfmiddlewaretoken": token, "username": self.username, "password": self.password})
        if answer.status_code != 302:
            raise AssertionError(f"login of {self.username} refused: HTTP {answer.status_code}")
        self.logged_in = True

    def submit_once(self, app_id):
        """One attempt: 'submitted' (this request did it) or 'already' (an earlier attempt had)."""
        if not self.logged_in:
            self.login()
        path = f"/applications/{app_id}/submit/"
        page = self._call("GET", path)
        if page.status_code == 302:
            if "/accounts/login/" in page.headers["Location"]:
                self.logged_in = False
                raise Transient("session lost")
            return "already"  # the view sends a submitted application to its detail page
        if page.status_code != 200:
            raise AssertionError(f"GET {path}: HTTP {page.status_code}")
        answer = self._call("POST", path, data={
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1), "declaration": "on",
            "version": VERSION.search(page.text).group(1)})
        if answer.status_code == 302 and answer.headers["Location"].endswith(f"/applications/{app_id}/"):
            return "submitted"
        raise AssertionError(f"POST {path}: HTTP {answer.status_code} {answer.text[:300]}")

    def submit(self, app_id, *, attempts=40, deadline=None, pause=0.1, max_pause=1.0):
        """Submit with retries, waiting a little longer after each failure (as a person would);
        returns (outcome, transient failures seen)."""
        failures = []
        for _ in range(attempts):
            if deadline is not None and time.monotonic() > deadline:
                break
            t0 = time.monotonic()
            try:
                return self.submit_once(app_id), failures
            except Transient as exc:
                failures.append(f"{exc} after {time.monotonic() - t0:.1f} s")
                time.sleep(pause)
                pause = min(pause * 2, max_pause)
        return "gave up", failures
