"""Number formatting of indicator figures for pages, the PDF and the XLSX (money: core.money)."""

from decimal import ROUND_HALF_UP, Decimal

COUNT_UNITS = ("家", "个")  # indicators that count things: whole numbers print without decimals


def count(value):
    """A number of things: a whole number without decimals (Decimal('231.00') -> '231')."""
    if value is None:
        return "—"
    value = Decimal(value)
    return f"{value.quantize(Decimal('1')):f}" if value == value.to_integral_value() else number(value)


def number(value, unit=""):
    if value is None:
        return "—"
    value = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value == value.to_integral_value() and unit in COUNT_UNITS:
        value = value.quantize(Decimal("1"))
    return f"{value:f}{unit}"


def figure(value, unit=""):
    """A statistic as given, without padding zeros: Decimal('11.8000') -> '11.8'."""
    if value is None:
        return "—"
    text = f"{Decimal(value).normalize():f}"
    return f"{text}{unit}"
