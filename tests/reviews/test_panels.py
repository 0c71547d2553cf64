"""reviews/services/panels.py: forming a panel."""

import pytest
from django.utils import translation

from core.models import AuditLog
from reviews.services.panels import panel_create
from tests.factories.applications import category_with_rules

pytestmark = pytest.mark.django_db


def test_a_panel_without_a_name_is_named_in_chinese_whatever_the_users_language(city):
    category = category_with_rules()
    with translation.override("en"):  # a city user browsing in English
        panel = panel_create(actor=city, category=category)
    assert panel.name == f"{category.name}评审组"
    assert AuditLog.objects.filter(action="panel.created", actor=city).exists()
