import datetime

import pytest
from django.utils import timezone

from accounts.models import County
from accounts.roles import Role
from tests.factories.accounts import UserFactory


@pytest.fixture
def admin_user(db):
    return UserFactory.for_role(Role.ADMIN)


@pytest.fixture
def issue(admin_user):
    """issue(county=None, statistics=False, days=30) -> (token row, key)"""
    from api.tokens import token_issue

    def make(*, county=None, statistics=False, registry=False, days=30, name="市财政局国库支付系统"):
        return token_issue(actor=admin_user, system_name=name, county=county, can_push_statistics=statistics,
                           can_push_registry=registry,
                           expires_at=timezone.now() + datetime.timedelta(days=days))

    return make


@pytest.fixture
def api(client):
    """api(key) -> a function get/post with the token header."""

    class Caller:
        def __init__(self, key=None, language=None):
            self.headers = {}
            if key:
                self.headers["Authorization"] = f"Bearer {key}"
            if language:
                self.headers["Accept-Language"] = language

        def get(self, url, **params):
            return client.get(url, params, headers=self.headers)

        def post(self, url, payload, **headers):
            return client.post(url, payload, content_type="application/json", headers={**self.headers, **headers})

    return Caller


@pytest.fixture
def two_counties(db):
    return County.objects.get(name="中原区"), County.objects.get(name="金水区")
