"""Fixtures of the applications tests."""

import pytest

from accounts.roles import Role
from tests.factories import ApplicationFactory, UserFactory
from tests.factories.applications import enterprise_user


@pytest.fixture
def draft():
    """A complete draft; ``draft.user`` is a user of its enterprise."""
    app = ApplicationFactory()
    app.user = enterprise_user(app)
    return app


@pytest.fixture
def actors():
    """actors(application) -> {role: a user of that role, in the application's scope where scope applies}."""

    def make(application):
        result = {}
        for role in Role:
            if role == Role.ENTERPRISE:
                result[role] = enterprise_user(application)
            elif role == Role.COUNTY:
                result[role] = UserFactory(role=role, county=application.county)
            else:
                result[role] = UserFactory.for_role(role)
        return result

    return make


@pytest.fixture(autouse=True)
def _fresh_menus():
    """The list filter menus are cached per process: start every test without them."""
    from applications.selectors import clear_filter_menus

    clear_filter_menus()
    yield
    clear_filter_menus()

