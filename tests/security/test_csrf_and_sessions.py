"""CSRF on every POST, session fixation, logout that ends the session on the server, and injection through
sort and filter parameters on every list page."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from tests.factories.accounts import PASSWORD
from tests.helpers import login

from .matrixlib import observe  # noqa: F401 - same route table as the matrix
from .routes import route_kwargs, takes_object, url_patterns
from .test_permission_matrix import row_counts
from .world import build_world

pytestmark = pytest.mark.django_db


# The data interface authenticates by token only (api.authentication): a browser's session cookie signs nobody in
# there, so a forged cross-site POST has no session to ride on. Its token pages are ordinary session pages.
def token_only(name):
    return name.startswith("api:") and name not in {"api:tokens", "api:token_new", "api:token_revoke"}


def test_post_without_csrf_token_is_refused_everywhere():
    world = build_world()
    made = {}
    for role in (None, Role.ENTERPRISE, Role.CITY, Role.FINANCE_APPROVER):
        made[role] = Client(enforce_csrf_checks=True)
        if role is not None:
            login(made[role], world.users[role])
    before = row_counts()
    refused, accepted = 0, []
    for role, client in made.items():
        for name, pattern in url_patterns():
            if name == "core:healthz":
                continue
            url = reverse(name, kwargs=route_kwargs(name, pattern, world, "own"))
            response = client.post(url, {"status": "paid", "amount": "1", "username": "x", "password": "y"})
            if response.status_code == 403:
                refused += 1
            elif token_only(name) and response.status_code in (401, 405):
                refused += 1  # the data interface ignores the session cookie: without a token it is not signed in
            else:
                accepted.append(f"{role} POST {url} -> {response.status_code}")
    assert not accepted, "POST without a CSRF token was not refused:\n" + "\n".join(accepted)
    assert refused > 100
    assert row_counts() == before


def test_session_id_changes_at_login(user_for):
    user = user_for(Role.ENTERPRISE)
    client = Client()
    client.get(reverse("accounts:login"))
    client.cookies["sessionid"] = "attackerfixedsessionid0123456789ab"
    session = client.session
    session["planted"] = "x"
    session.save()
    fixed = session.session_key
    client.cookies["sessionid"] = fixed
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after and after != fixed
    assert not Session.objects.filter(session_key=fixed).exists()
    assert client.get(reverse("core:dashboard")).status_code == 200


def test_logout_ends_the_session_on_the_server(user_for):
    user = user_for(Role.ENTERPRISE)
    client = Client()
    assert client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD}).status_code == 302
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    # replaying the old cookie does not bring the user back
    replay = Client()
    replay.cookies["sessionid"] = key
    response = replay.get(reverse("core:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


HOSTILE_QUERIES = [
    "sort=id;DROP TABLE applications_application", "sort=enterprise__users__password", "sort=-password",
    "order=enterprise__users__password", "o=../../etc/passwd", "status=paid'--", "county=1 OR 1=1",
    "unknown_filter=1", "page=99999999999999999999", "page=-1", "amount_min=abc", "amount_max=1e400",
    "min_amount=NaN", "year=99999999999", "q=%27%22<script>", "county=99999999999999999999",
]


@pytest.mark.slow
def test_sort_and_filter_injection_on_list_pages():
    world = build_world()
    secret = world.foreign.enterprise.name
    failures = []
    for role in (Role.ENTERPRISE, Role.COUNTY, Role.CITY, Role.FINANCE_PREPARER):
        client = login(Client(), world.users[role])
        for name, pattern in url_patterns():
            if takes_object(pattern) and "year" not in pattern.pattern.converters:
                continue
            url = reverse(name, kwargs=route_kwargs(name, pattern, world, "own"))
            if client.get(url).status_code != 200:
                continue
            for query in HOSTILE_QUERIES:
                response = client.get(f"{url}?{query}")
                if response.status_code >= 500:
                    failures.append(f"{role} GET {url}?{query} -> {response.status_code}")
                elif role in (Role.ENTERPRISE, Role.COUNTY) and response.status_code == 200 \
                        and response.get("Content-Type", "").startswith("text/html") \
                        and secret in response.content.decode():
                    failures.append(f"{role} GET {url}?{query} shows the foreign enterprise")
    assert not failures, "\n".join(failures)


def test_nul_byte_in_search_is_not_a_server_error(client_for):
    client = client_for(Role.CITY)
    for url in (reverse("reviews:experts"), reverse("applications:list"), reverse("core:audit_log")):
        response = client.get(url + "?q=%00x")
        assert response.status_code == 400, url
        assert "不允许的字符" in response.content.decode()
    posted = client.post(reverse("reviews:experts"), {"q": "a\x00b"})
    assert posted.status_code == 400
