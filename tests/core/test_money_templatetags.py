"""The ``money`` template library: every filter is core.money's formatter (half-up 万元, '—' when unknown)."""

from decimal import Decimal

from django.template import engines
from django.utils import translation

from core.money import format_percent

TEMPLATE = ("{% load money %}{{ a|wan }}|{{ a|wan_unit }}|{{ none|wan }}|{{ none|wan_unit }}|{{ a|yuan }}|"
            "{{ a|yuan_unit }}|{{ a|exact }}|{{ rate|percent }}|{{ none|percent }}")


def render(**context):
    return engines["django"].from_string(TEMPLATE).render(context)


def test_filters_render_core_money():
    with translation.override("zh-hans"):
        out = render(a=Decimal("1000250.00"), none=None, rate=Decimal("0.08965"))
    assert out.split("|") == ["100.03", "100.03 万元", "—", "—", "1,000,250.00", "1,000,250.00 元",
                              "100.03 万元（1,000,250.00 元）", "8.97%", "—"]


def test_english_pages_use_the_core_msgids():
    with translation.override("en"):
        assert render(a=Decimal("1860000"), none=None, rate=Decimal("0.1")).split("|")[1] == "186.00 10k yuan"


def test_percent_is_half_up():
    assert format_percent(Decimal("0.12345")) == "12.35%" and format_percent("") == "—"
