"""Strings Django itself shows that its own Chinese catalogue lacks, and the language switcher's names."""

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation

from applications.models import Application
from tests.helpers import gettext_inside_fstrings

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


def test_the_scanner_finds_a_gettext_call_inside_an_fstring():
    assert gettext_inside_fstrings('x = f"{_(\'Hello\')} world"\n') == [(1, "_")]
    assert gettext_inside_fstrings('hello = _("Hello")\nx = f"{hello} world"\n') == []


def test_no_gettext_call_hides_inside_an_fstring():
    from pathlib import Path

    from django.conf import settings

    offenders = []
    for app in ("accounts", "applications", "core", "disbursements", "evaluation", "reviews", "zhengzhou_grants"):
        for path in sorted((Path(settings.BASE_DIR) / app).rglob("*.py")):
            for line, name in gettext_inside_fstrings(path.read_text(encoding="utf-8")):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{line} {name}(...)")
    assert not offenders, "gettext inside f-strings (makemessages misses them):\n" + "\n".join(offenders)


def test_brackets_around_file_details_follow_the_language():
    from django.template import Context, Template

    template = Template('{% load i18n %}{% blocktranslate with a="PDF" b="0.2 KB" %}({{ a }}, {{ b }})'
                        '{% endblocktranslate %}')
    with translation.override("zh-hans"):
        assert template.render(Context()) == "（PDF，0.2 KB）"
    with translation.override("en"):
        assert template.render(Context()) == "(PDF, 0.2 KB)"


def test_the_award_sentence_on_the_public_call_page_ends_in_the_page_language(client):
    from tests.factories.applications import category_with_rules

    category = category_with_rules()  # its call is published and open
    url = reverse("public:call", args=[category.round.year])
    for language, start, end in (("en", "Award:", "."), ("zh-hans", "奖补", "。")):
        client.cookies["django_language"] = language
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        sentence = html[html.index(start):].split("</li>", 1)[0]  # the award rule's line of the category
        assert sentence.endswith(end), (language, sentence)
