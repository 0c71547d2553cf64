"""Running the GET matrix: one client per role, answers classified."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from tests.helpers import login

from .routes import route_kwargs, takes_object, url_patterns

ANON = "anonymous"
ROLES = [ANON, *[r.value for r in Role]]


def classify(response):
    code = response.status_code
    if code in (301, 302):
        location = response.headers.get("Location", "")
        if str(settings.LOGIN_URL) in location or "/accounts/login/" in location:
            return "login"
        return "302"
    return str(code)


def clients(world):
    made = {ANON: Client()}
    for role in Role:
        client = Client()
        login(client, world.users[role])
        made[role.value] = client
    return made


def observe(world, roles=ROLES, made=None):
    """{(name, side, role): answer class} for GET on every route."""
    made = made or clients(world)
    seen = {}
    for name, pattern in url_patterns():
        sides = ("own", "foreign") if takes_object(pattern) else ("-",)
        for side in sides:
            url = reverse(name, kwargs=route_kwargs(name, pattern, world, side if side != "-" else "own"))
            for role in roles:
                seen[(name, side, role)] = classify(made[role].get(url))
    return seen
