"""core.money: rounding, formatting and strict parsing of typed amounts."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from core.money import WanField, YuanField, format_exact, format_wan, format_yuan, parse_amount, to_wan, wan_to_yuan


def test_half_up_to_the_fen_of_wan():
    assert to_wan(Decimal("1000250")) == Decimal("100.03")
    assert to_wan(Decimal("1000249.99")) == Decimal("100.02")
    assert to_wan(None) is None


def test_formats():
    with translation.override("zh-hans"):
        assert format_wan(Decimal("1000250")) == "100.03"
        assert format_wan(Decimal("4501600"), unit=True) == "450.16 万元"
        assert format_wan(None) == "—"
        assert format_wan(None, unit=True) == "—"
        assert format_yuan(Decimal("4501600"), unit=True) == "4,501,600.00 元"
        assert format_exact(Decimal("4501600")) == "450.16 万元（4,501,600.00 元）"


@pytest.mark.parametrize("typed, expected", [
    ("1000", Decimal("1000")), ("1,000", Decimal("1000")), ("1,000,000.5", Decimal("1000000.5")),
    (" 12.34 ", Decimal("12.34")), ("0", Decimal("0")),
])
def test_parse_accepts_office_notation(typed, expected):
    assert parse_amount(typed) == expected


@pytest.mark.parametrize("typed, fragment", [
    ("100,00.5", "三位一组"), ("1e3", "科学计数法"), ("１００", "半角数字"), ("١٢", "半角数字"), ("²", "半角数字"),
    ("1.234", "2 位小数"), ("1..2", "一个小数点"), ("-5", "负数"), ("abc", "数字金额"), ("9" * 10_000, "过大"),
    ("1\x00", "数字金额"), ("", "数字金额"),
])
def test_parse_refuses_with_a_chinese_reason(typed, fragment):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        parse_amount(typed)
    assert fragment in " ".join(caught.value.messages)


def test_wan_field_cleans_to_yuan_and_keeps_six_decimals():
    field = WanField(required=False)
    assert field.clean("100.000001") == Decimal("1000000.01")
    assert field.clean("1,000") == Decimal("10000000.00")
    assert field.clean("") is None
    with pytest.raises(ValidationError):
        field.clean("1.0000001")
    assert field.prepare_value(Decimal("1000250.00")) == "100.025"


def test_yuan_field_zero_and_limits():
    field = YuanField(allow_zero=False)
    assert field.clean("125,000.50") == Decimal("125000.50")
    with pytest.raises(ValidationError):
        field.clean("0")
    with pytest.raises(ValidationError):
        field.clean("1000000000000")


@given(st.decimals(min_value=0, max_value=Decimal("999999999999.99"), places=2))
def test_format_then_parse_round_trips(amount):
    assert parse_amount(format_yuan(amount)) == amount
    assert to_wan(amount) == parse_amount(format_wan(amount))


def test_wan_to_yuan_is_exact_to_the_fen():
    assert wan_to_yuan(Decimal("100.025")) == Decimal("1000250.00")
    assert wan_to_yuan(None) is None


def test_amounts_in_messages_read_like_the_pages():
    from core.money import format_exact, format_wan

    assert format_wan(Decimal("4501600.00"), unit=True) == "450.16 万元"
    assert format_wan(Decimal("123456789012.00"), unit=True) == "12,345,678.90 万元"
    assert format_exact(Decimal("4501600.50")) == "450.16 万元（4,501,600.50 元）"
