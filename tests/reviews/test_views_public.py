"""The public publicity pages (reviews/views/public.py)."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from reviews.models import Publicity
from tests.factories import UserFactory
from tests.factories.reviews import (
    published_publicity,
)

pytestmark = pytest.mark.django_db


def test_the_public_list_calls_a_closed_publicity_ended(client):
    publicity = published_publicity(UserFactory(role=Role.CITY))
    Publicity.objects.filter(pk=publicity.pk).update(status="closed", closed_at=timezone.now())
    body = client.get(reverse("publicity:index")).content.decode()
    badge = re.search(r'<span class="badge[^"]*">([^<]*)</span>', body)
    assert badge and badge.group(1) == "已结束"
    assert "结束时间" not in body
