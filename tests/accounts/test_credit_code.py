import pytest
from django.core.exceptions import ValidationError

from accounts.validators import make_credit_code, validate_credit_code


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "911100001000044477"])
def test_real_codes_are_valid(code):
    assert validate_credit_code(code) == code


def test_lower_case_and_spaces_are_normalised():
    assert validate_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("91350100M000100Y44", "checksum"),
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y433", "length"),
        ("91350100M0001O0Y43", "characters"),  # letter O is never used
        ("9135010AM000100Y43", "division"),
    ],
)
def test_invalid_codes(code, error):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(code)
    assert excinfo.value.code == error


def test_make_credit_code_produces_valid_codes():
    for body in ("91410102MA44XJ8G1", "12410100000000000", "52410105MJ0000000"):
        assert validate_credit_code(make_credit_code(body))
