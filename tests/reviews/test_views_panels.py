"""The panel pages (reviews/views/panels.py): the review overview offers only buttons the role may use."""

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories.applications import category_with_rules
from tests.factories.reviews import (
    logged_in,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.CITY, Role.OFFICIAL, Role.ADMIN])
def test_every_button_of_the_review_overview_opens_for_the_role(role):
    category = category_with_rules()
    client = logged_in(role=role)
    body = client.get(reverse("reviews:round", args=[category.round_id])).content.decode()
    bar = body[body.index('<div class="d-flex flex-wrap gap-2 mb-3">'):]
    bar = bar[:bar.index("</div>")]
    links = re.findall(r'href="([^"]+)"', bar)
    assert len(links) == 5
    for url in links:
        assert client.get(url).status_code == 200, (role, url)
    audit_links = [u for u in links if "/audits/" in u]
    expected = (reverse("reviews:audit_assign", args=[category.round_id]) if role == Role.CITY
                else reverse("reviews:audit_list"))
    assert audit_links == [expected]
