import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

CLASSES = (
    re.compile(r"[a-z]"),
    re.compile(r"[A-Z]"),
    re.compile(r"[0-9]"),
    re.compile(r"[^a-zA-Z0-9]"),
)


class CharacterClassValidator:
    """At least ``min_classes`` of: lower-case letters, upper-case letters, digits, other characters."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for pattern in CLASSES if pattern.search(password))
        if found < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return gettext(
            "Your password must contain at least %(n)d of these: lower-case letters, upper-case letters, "
            "digits, symbols."
        ) % {"n": self.min_classes}



# GB 32100-2015 统一社会信用代码: 18 characters from this alphabet, the last one a check character.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# What the start of a credit code can look like: up to 18 characters of its alphabet (the search box looks for a
# word among the credit codes only when it can start one, core.search)
CREDIT_CODE_PREFIX = re.compile(f"[{CREDIT_CODE_ALPHABET}]{{1,18}}")
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17):
    total = sum(CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first17, CREDIT_CODE_WEIGHTS, strict=True))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value):
    """Raise ValidationError (in the user's language) unless ``value`` is a valid 统一社会信用代码."""
    from django.utils.translation import gettext as _

    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(_("A unified social credit code has exactly 18 characters."), code="length")
    bad = sorted({ch for ch in code if ch not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _("The code contains characters that are not allowed: %(chars)s (I, O, Z, S and V are never used).")
            % {"chars": " ".join(bad)},
            code="characters",
        )
    if not code[2:8].isdigit():
        raise ValidationError(_("Characters 3 to 8 must be the six-digit administrative division code."),
                              code="division")
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(_("The check character does not match: please check the code for typing errors."),
                              code="checksum")
    return code


def make_credit_code(body17):
    """Append the check character (for demo data and tests)."""
    return body17 + credit_code_check_char(body17)


# Mainland phone numbers: a mobile (1[3-9] + 9 digits, optionally after +86), or a landline with its area code
# (0 + 2-3 digits, dash optional, 7-8 digits, e.g. 0371-12345678 or (0371)12345678) and an optional extension
# (-123, 转123, ext 123, #123).
MOBILE_RE = re.compile(r"(?:\+?86-?)?1[3-9]\d{9}")
LANDLINE_RE = re.compile(r"(?:\(0\d{2,3}\)|0\d{2,3}-?)\d{7,8}(?:(?:-|转|ext\.?|x|#)\d{1,6})?", re.IGNORECASE)
PHONE_SPACES = str.maketrans("", "", " \u00a0\u3000")
PHONE_WIDTH = str.maketrans("０１２３４５６７８９－（）＋＃", "0123456789-()+#")


def validate_phone(value):
    """Raise ValidationError (in the user's language) unless ``value`` is a mainland mobile or a landline
    with its area code; returns the number without spaces (full-width digits made half-width). Empty passes:
    whether a number is required is the field's business."""
    from django.utils.translation import gettext as _

    number = (value or "").translate(PHONE_WIDTH).translate(PHONE_SPACES)
    if number and not (MOBILE_RE.fullmatch(number) or LANDLINE_RE.fullmatch(number)):
        raise ValidationError(
            _("Enter a valid phone number: an 11-digit mobile number, or a landline with its area code such as "
              "0371-12345678."),
            code="phone")
    return number
