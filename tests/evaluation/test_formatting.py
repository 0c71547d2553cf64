"""evaluation.formatting: counts print as whole numbers, money in 万元 with separators."""

from decimal import Decimal as D

from core.money import format_wan as wan


def test_counts_print_as_whole_numbers_and_money_in_wan():
    from evaluation.formatting import count

    assert count(D("231.00")) == "231" and count(2) == "2" and count(D("2.5")) == "2.50"
    assert wan(D("514130000.00")) == "51,413.00" and wan(D("550817699.56")) == "55,081.77"
    assert wan(D("1234.5")) == "0.12" and wan(None) == "—"
