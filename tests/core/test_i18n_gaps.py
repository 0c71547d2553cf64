"""Strings Django itself shows that its own Chinese catalogue lacks, and the language switcher's names."""

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from applications.models import Application

pytestmark = pytest.mark.django_db


class _ChoiceForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["county"]


def test_the_empty_choice_of_model_selects_is_chinese():
    with translation.override("zh-hans"):
        html = str(_ChoiceForm()["county"])
        assert "— 请选择 —" in html and "Select an option" not in html
    with translation.override("en"):
        assert "- Select an option -" in str(_ChoiceForm()["county"])


def test_language_switcher_names_each_language_in_itself(client):
    for language in ("zh-hans", "en"):
        client.cookies["django_language"] = language
        html = client.get(reverse("core:home"), follow=True).content.decode()
        assert '<option value="en" lang="en"' in html
        assert ">English</option>" in html and ">简体中文</option>" in html
        assert "英语" not in html
