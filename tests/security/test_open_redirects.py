"""Redirect targets chosen by the caller (``next``) stay on this site: login, second factor, logout, the language
switch and the review pages that send the user back where the form was. All of them go through core.web.safe_next
(the language switch is Django's set_language, which applies the same check)."""

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.helpers import current_code, login, totp_device

pytestmark = pytest.mark.django_db
EVIL = ["https://evil.example/", "//evil.example/", "/\\evil.example/", "http:evil.example", "javascript:alert(1)",
        "https://evil.example@testserver/"]
DASHBOARD = reverse("core:dashboard")


@pytest.mark.parametrize("target", EVIL)
def test_the_second_factor_ignores_a_foreign_next(client, target):
    user = UserFactory.for_role(Role.CITY)
    client.force_login(user)
    device = totp_device(user)
    response = client.post(f"{reverse('accounts:two_factor')}?next={target}", {"token": current_code(device)})
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200  # the second factor itself was accepted


def test_the_second_factor_follows_a_local_next(client):
    user = UserFactory.for_role(Role.CITY)
    client.force_login(user)
    device = totp_device(user)
    response = client.post(f"{reverse('accounts:two_factor')}?next=/applications/?page=2",
                           {"token": current_code(device)})
    assert response["Location"] == "/applications/?page=2"


@pytest.mark.parametrize("target", EVIL)
def test_login_ignores_a_foreign_next(client, target):
    user = UserFactory.for_role(Role.ENTERPRISE)
    response = client.post(f"{reverse('accounts:login')}?next={target}",
                           {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == DASHBOARD
    page = client.get(f"{reverse('accounts:login')}?next={target}")  # already signed in: forwarded, not away
    assert page["Location"] == DASHBOARD


def test_login_follows_a_local_next(client):
    user = UserFactory.for_role(Role.ENTERPRISE)
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD,
                                                       "next": "/applications/"})
    assert response["Location"] == "/applications/"


@pytest.mark.parametrize("target", EVIL)
def test_logout_ignores_a_foreign_next(client, target):
    login(client, UserFactory.for_role(Role.ENTERPRISE))
    response = client.post(reverse("accounts:logout"), {"next": target})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_logout_follows_a_local_next(client):
    login(client, UserFactory.for_role(Role.ENTERPRISE))
    response = client.post(reverse("accounts:logout"), {"next": "/public/"})
    assert response["Location"] == "/public/"


@pytest.mark.parametrize("target", EVIL)
def test_the_language_switch_ignores_a_foreign_next(client, target):
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.cookies["django_language"].value == "en"


def test_the_language_switch_follows_a_local_next(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/public/"})
    assert response["Location"] == "/public/"


def _posted(data, secure=False):
    request = RequestFactory().post("/reviews/x/", data, secure=secure)
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


@pytest.mark.parametrize("target", EVIL)
def test_review_pages_send_back_only_to_this_site(target):
    from reviews.views.common import back

    assert back(_posted({"next": target}), "reviews:my_assignments")["Location"] == reverse("reviews:my_assignments")
    assert back(_posted({"next": "/reviews/panels/3/"}), "reviews:my_assignments")["Location"] == "/reviews/panels/3/"
    assert back(_posted({"next": "http://testserver/x/"}, secure=True), "reviews:home")["Location"] == \
        reverse("reviews:home")  # no downgrade from HTTPS


@pytest.mark.parametrize("typed", ["²²²²²²", "１２３４５６", "١٢٣٤٥٦"])
def test_the_second_factor_refuses_non_ascii_digits_in_chinese(client, typed):
    user = UserFactory.for_role(Role.CITY)
    client.force_login(user)
    totp_device(user)
    response = client.post(reverse("accounts:two_factor"), {"token": typed})
    assert response.status_code == 200
    assert "身份验证器" in response.content.decode()
    assert client.get(DASHBOARD)["Location"] == reverse("accounts:two_factor")
