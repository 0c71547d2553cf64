"""Money: the one place for yuan <-> 万元, rounding, formatting and the parsing of typed amounts.

Amounts are stored as ``Decimal`` yuan with 2 places (fen), never float. Pages, PDFs, XLSX files and
messages show them in 万元 with 2 decimals, rounded half-up (1,000,250 元 -> 100.03 万元 everywhere).

Typed amounts are parsed strictly: ASCII digits, at most one decimal point, thousands separators only in
groups of three (``,``, or what a Chinese input method or a copied figure puts there: ``，`` and spaces).
Exponents (``1e3``), full-width or other Unicode digits (``１００``, ``١``),
misplaced commas (``100,00.5``) and more decimals than the unit allows are refused with a message the user
can act on; nothing is guessed.
"""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)
# 12 digits of yuan before the point fit every DecimalField(max_digits=14, decimal_places=2) of the models.
MAX_YUAN = Decimal("999999999999.99")
YUAN_PLACES = 2
WAN_PLACES = 6  # 6 decimals of 万元 are exact to the fen

_SEPARATORS = ",\uff0c \u00a0\u3000"  # comma, full-width comma, space, no-break space, ideographic space
_AMOUNT = re.compile(r"(?P<sign>-?)(?P<int>[0-9]{1,3}(?:[" + _SEPARATORS + r"][0-9]{3})+|[0-9]+)"
                     r"(?:\.(?P<frac>[0-9]+))?")
_NO_SEPARATORS = str.maketrans("", "", _SEPARATORS)
_MAX_TYPED = 40  # characters: longer input is refused before any parsing


def _decimal(value):
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        raise TypeError("money is never a float")
    return Decimal(str(value))


def round_cent(amount):
    """Half-up to the fen (2 places)."""
    return _decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def to_wan(yuan):
    """Yuan -> 万元 as a Decimal with 2 places, half-up; None stays None."""
    if yuan is None or yuan == "":
        return None
    return (_decimal(yuan) / TEN_THOUSAND).quantize(CENT, rounding=ROUND_HALF_UP)


def wan_to_yuan(wan):
    """万元 -> yuan, exact to the fen (half-up); None stays None."""
    if wan is None or wan == "":
        return None
    return round_cent(_decimal(wan) * TEN_THOUSAND)


def format_wan(yuan, *, unit=False, empty="—"):
    """Yuan -> '1,234.56' (万元, 2 decimals, thousands separators); with ``unit`` '1,234.56 万元'.

    ``empty`` is what an unknown amount shows (never '— 万元')."""
    try:
        amount = to_wan(yuan)
    except (InvalidOperation, TypeError, ValueError):
        return empty
    if amount is None:
        return empty
    text = f"{amount:,.2f}"
    return gettext("%(amount)s 10k yuan") % {"amount": text} if unit else text


def format_yuan(yuan, *, unit=False, empty="—"):
    """Yuan -> '4,501,600.00'; with ``unit`` '4,501,600.00 元'."""
    if yuan is None or yuan == "":
        return empty
    try:
        text = f"{round_cent(yuan):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return empty
    return gettext("%(amount)s yuan") % {"amount": text} if unit else text


def format_exact(yuan, *, empty="—"):
    """Yuan -> '450.16 万元（4,501,600.00 元）': 万元 first, then the exact yuan where a fen matters (bank
    statements, a bank return file, the yuan typed in a form)."""
    if yuan is None or yuan == "":
        return empty
    return gettext("%(wan)s 10k yuan (%(yuan)s yuan)") % {"wan": format_wan(yuan), "yuan": format_yuan(yuan)}


def format_percent(rate, *, empty="—"):
    """A fraction -> per cent with 2 decimals, half-up: Decimal('0.08965') -> '8.97%'."""
    if rate is None or rate == "":
        return empty
    try:
        return f"{round_cent(_decimal(rate) * 100)}%"
    except (InvalidOperation, TypeError, ValueError):
        return empty


def parse_amount(text, *, places=YUAN_PLACES, allow_negative=False, max_value=None):
    """Parse a typed amount strictly; returns a Decimal with the digits typed (not yet converted).

    Raises ``ValidationError`` with a message for the user when the text is not an amount as written in a
    Chinese office: ASCII digits, optional thousands separators in groups of three, one decimal point, at most
    ``places`` decimals."""
    if isinstance(text, Decimal):
        text = format(text, "f")
    elif isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    elif not isinstance(text, str):
        raise ValidationError(_("Enter the amount as a number, e.g. 1,000.50."), code="invalid")
    text = text.strip()
    if len(text) > _MAX_TYPED:
        raise ValidationError(_("The amount is too large."), code="too_large")
    match = _AMOUNT.fullmatch(text)
    if not match:
        raise ValidationError(_invalid_reason(text), code="invalid")
    if match["sign"] and not allow_negative:
        raise ValidationError(_("The amount cannot be negative."), code="negative")
    frac = match["frac"] or ""
    if len(frac) > places:
        raise ValidationError(
            _("Amounts have at most %(places)d decimal places.") % {"places": places}, code="decimals")
    amount = Decimal(f"{match['sign']}{match['int'].translate(_NO_SEPARATORS)}.{frac or '0'}")
    if max_value is not None and abs(amount) > max_value:
        raise ValidationError(_("The amount is too large."), code="too_large")
    return amount


def _invalid_reason(text):
    if any(ch.isdigit() and not ("0" <= ch <= "9") for ch in text):
        return _("Type the amount with ordinary digits 0-9 (no full-width or other digits).")
    if "e" in text.lower():
        return _("Type the amount in full, without an exponent such as 1e3.")
    if any(ch in _SEPARATORS for ch in text):
        return _("Thousands separators group exactly three digits, e.g. 1,000,000.50.")
    if text.count(".") > 1:
        return _("An amount has at most one decimal point.")
    return _("Enter the amount as a number, e.g. 1,000.50.")


class _AmountField(forms.Field):
    """A typed amount cleaned to yuan (Decimal, 2 places) with the strict parser above."""

    places = YUAN_PLACES

    def __init__(self, *, min_value=Decimal(0), allow_zero=True, **kwargs):
        self.min_value = min_value
        self.allow_zero = allow_zero
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def to_yuan(self, typed):
        return round_cent(typed)

    def clean(self, value):
        if self.disabled:  # Django cleans a disabled field's initial value: the stored amount, already in yuan
            return None if value in self.empty_values else round_cent(value)
        return super().clean(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        typed = parse_amount(value, places=self.places, allow_negative=self.min_value is None or self.min_value < 0)
        yuan = self.to_yuan(typed)
        if abs(yuan) > MAX_YUAN:
            raise ValidationError(_("The amount is too large."), code="too_large")
        return yuan

    def validate(self, value):
        super().validate(value)
        if value is None:
            return
        if self.min_value is not None and value < self.min_value:
            raise ValidationError(_("The amount cannot be negative."), code="negative")
        if not self.allow_zero and value == 0:
            raise ValidationError(_("The amount must be greater than zero."), code="zero")

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (None if initial in self.empty_values else _decimal(initial))
        except (ValidationError, InvalidOperation, TypeError):
            return True


class YuanField(_AmountField):
    """An amount typed in yuan (at most 2 decimals), cleaned to yuan."""

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(round_cent(value), "f")
        return value


class WanField(_AmountField):
    """An amount typed in 万元 (at most 6 decimals, exact to the fen), cleaned to yuan. Initial values are yuan."""

    places = WAN_PLACES

    def to_yuan(self, typed):
        return wan_to_yuan(typed)

    def prepare_value(self, value):
        if isinstance(value, Decimal):  # initial data comes in yuan
            text = format((value / TEN_THOUSAND).normalize(), "f")
            return text
        return value
