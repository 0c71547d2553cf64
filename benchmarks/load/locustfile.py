"""The deadline-day mix: enterprises working on their drafts, county and city staff reading lists and
applications, the public reading the call, people logging in; and the floor page, measured in the same run.

Fixtures (users, drafts, application ids, the demo city user's TOTP key) come from the JSON file named by
LOAD_FIXTURES, written by benchmarks/load/seed.py. Run by benchmarks/load/run.py (`make load`).
"""

import hashlib
import hmac
import itertools
import json
import os
import re
import struct
import time

from locust import HttpUser, between, task

FIXTURES = json.loads(open(os.environ["LOAD_FIXTURES"], encoding="utf-8").read())  # noqa: SIM115
PASSWORD = FIXTURES["password"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
_drafts = itertools.cycle(FIXTURES["drafts"])
# run.py puts nginx with deploy/nginx.conf in front, which sends the password check (POST /accounts/login/) to
# the login pool. Without nginx on the machine it names the login pool here instead: cookies are per host, not
# per port, so the CSRF cookie and the new session carry over between the two pools.
LOGIN_BASE = os.environ.get("LOAD_LOGIN_BASE", "")


def totp(hex_key, at=None, step=30, digits=6):
    """RFC 6238 code (what django-otp's TOTPDevice checks)."""
    counter = int((at or time.time()) // step)
    digest = hmac.new(bytes.fromhex(hex_key), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10 ** digits).zfill(digits)


class Browser(HttpUser):
    abstract = True

    def csrf(self, path, name):
        page = self.client.get(path, name=name)
        found = CSRF.search(page.text)
        return page, (found.group(1) if found else "")

    def login(self, username, name="login"):
        _page, token = self.csrf("/accounts/login/", name="login page")
        with self.client.post(f"{LOGIN_BASE}/accounts/login/", name=name, allow_redirects=False, catch_response=True,
                              data={"csrfmiddlewaretoken": token, "username": username,
                                    "password": PASSWORD}) as answer:
            if answer.status_code != 302:
                answer.failure(f"login of {username} refused: HTTP {answer.status_code}")
            return answer


class Enterprise(Browser):
    """An enterprise user on their own draft: lists, reads, saves the draft."""

    weight = 6
    wait_time = between(1, 3)

    def on_start(self):
        draft = next(_drafts)
        self.username, self.app, self.fields = draft["username"], draft["app"], draft["fields"]
        self.login(self.username)

    @task(3)
    def my_list(self):
        self.client.get("/applications/", name="enterprise list")

    @task(3)
    def my_detail(self):
        self.client.get(f"/applications/{self.app}/", name="enterprise detail")

    @task(2)
    def save_draft(self):
        page = self.client.get(f"/applications/{self.app}/edit/", name="enterprise draft form")
        token, version = CSRF.search(page.text), VERSION.search(page.text)
        if not (token and version):
            return
        data = {**self.fields, "csrfmiddlewaretoken": token.group(1), "version": version.group(1),
                "description": f"{self.fields.get('description', '')} 更新于{time.time():.0f}"}
        with self.client.post(f"/applications/{self.app}/edit/", data=data, name="enterprise draft save",
                              allow_redirects=False, catch_response=True) as answer:
            if answer.status_code != 302:
                answer.failure(f"draft not saved: HTTP {answer.status_code}")


class County(Browser):
    """County bureau staff (中原区): the county list, filtered and paged, and applications."""

    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        self.login("demo_county")

    @task(3)
    def county_list(self):
        self.client.get("/applications/", name="county list")

    @task(1)
    def county_list_filtered(self):
        self.client.get("/applications/?status=submitted&sort=-amount", name="county list filtered")

    @task(3)
    def county_detail(self):
        apps = FIXTURES["county_apps"]
        self.client.get(f"/applications/{apps[int(time.time() * 1000) % len(apps)]}/", name="county detail")

    @task(2)
    def floor(self):
        self.client.get("/bench/floor/", name="floor")


class City(Browser):
    """City bureau staff with the second factor: the city list and applications. One instance only:
    a TOTP code is accepted once per 30-second step."""

    fixed_count = 1
    wait_time = between(1, 3)

    def on_start(self):
        self.login("demo_city", name="login (city, password)")
        _page, token = self.csrf("/accounts/2fa/", name="2fa page")
        with self.client.post("/accounts/2fa/", name="login (city, 2fa)", allow_redirects=False, catch_response=True,
                              data={"csrfmiddlewaretoken": token,
                                    "token": totp(FIXTURES["city_totp_key"])}) as answer:
            if answer.status_code != 302:
                answer.failure(f"2FA refused: HTTP {answer.status_code}")

    @task(3)
    def city_list(self):
        self.client.get("/applications/", name="city list")

    @task(2)
    def city_detail(self):
        apps = FIXTURES["city_apps"]
        self.client.get(f"/applications/{apps[int(time.time() * 1000) % len(apps)]}/", name="city detail")


class Public(Browser):
    """Anyone: the open and past calls and a call's notice, and people logging in and out (about one
    login every 25 s per simulated visitor: with the enterprises' and staff's own logins at the start,
    several hundred logins an hour, a deadline-day peak)."""

    weight = 2
    wait_time = between(1, 3)

    @task(6)
    def calls(self):
        self.client.get("/public/", name="public calls")

    @task(6)
    def call(self):
        self.client.get(f"/public/calls/{FIXTURES['call_year']}/", name="public call page")

    @task(1)
    def login_logout(self):
        draft = next(_drafts)
        self.login(draft["username"])
        _page, token = self.csrf("/", name="dashboard")
        self.client.post("/accounts/logout/", data={"csrfmiddlewaretoken": token}, name="logout")
