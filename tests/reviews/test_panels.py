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


def test_a_panel_named_in_english_by_default_is_renamed_in_chinese_by_the_migration(city):
    from importlib import import_module

    from django.apps import apps

    from reviews.models import Panel

    migration = import_module("reviews.migrations.0005_clock_dates")
    english = panel_create(actor=city, category=category_with_rules(), name="")
    Panel.objects.filter(pk=english.pk).update(name=f"{english.category.name} panel")
    chosen = panel_create(actor=city, category=category_with_rules(), name="Robotics panel")
    migration.chinese_default_panel_names(apps, None)
    assert Panel.objects.get(pk=english.pk).name == f"{english.category.name}评审组"
    assert Panel.objects.get(pk=chosen.pk).name == "Robotics panel"  # a name somebody chose stays
