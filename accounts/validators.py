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
