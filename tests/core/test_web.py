"""core.web: the one parser for numbers and ids from a request, and the one check of redirect targets."""

import pytest
from django import forms
from django.test import RequestFactory

from core.web import DB_INT_MAX, BadParameter, StrictIntegerField, int_list, int_param, parse_int, safe_next


@pytest.mark.parametrize("value, expected", [
    ("0", 0), ("7", 7), ("2021", 2021), (str(DB_INT_MAX), DB_INT_MAX),
    ("²", None), ("１", None), ("١", None), ("1e3", None), ("-1", None), ("", None), (" 1", None), ("1\n", None),
    ("1\x00", None), ("9" * 10_000, None), (str(DB_INT_MAX + 1), None), ("+1", None), ("1.0", None), (None, None),
    (7, None),
])
def test_parse_int_takes_bounded_ascii_digits_only(value, expected):
    assert parse_int(value) == expected


def test_parse_int_bounds():
    assert parse_int("-5", min=-10) == -5
    assert parse_int("5", min=6) is None
    assert parse_int("2100", min=1900, max=2099) is None


def test_int_param_default_and_refusal_in_chinese():
    assert int_param(None, default=3) == 3
    assert int_param("", default=3) == 3
    assert int_param("12") == 12
    with pytest.raises(BadParameter) as excinfo:
        int_param("²", name="版本号")
    assert "不是有效的" in str(excinfo.value) and "版本号" in str(excinfo.value)


def test_int_list_refuses_the_whole_list_for_one_bad_id():
    assert int_list(["1", "", "22"]) == [1, 22]
    with pytest.raises(BadParameter):
        int_list(["1", "１"])
    with pytest.raises(BadParameter):
        int_list(["0"])  # ids start at 1


@pytest.mark.parametrize("value, ok", [("3", True), ("１", False), ("²", False), ("1e3", False), ("9" * 30, False)])
def test_strict_integer_field(value, ok):
    class F(forms.Form):
        n = StrictIntegerField(min_value=0)

    form = F({"n": value})
    assert form.is_valid() is ok
    if ok:
        assert form.cleaned_data["n"] == int(value)


@pytest.mark.parametrize("target, secure, expected", [
    ("/applications/?page=2", False, "/applications/?page=2"),
    ("https://evil.example/", False, "FALLBACK"),
    ("//evil.example/", False, "FALLBACK"),
    ("/\\evil.example/", False, "FALLBACK"),
    ("javascript:alert(1)", False, "FALLBACK"),
    ("http://testserver/dashboard/", False, "http://testserver/dashboard/"),
    ("http://testserver/dashboard/", True, "FALLBACK"),  # no downgrade from HTTPS
    ("https://testserver/dashboard/", True, "https://testserver/dashboard/"),
    ("", False, "FALLBACK"),
])
def test_safe_next(target, secure, expected):
    request = RequestFactory().get("/", {"next": target}, secure=secure)
    assert safe_next(request, "FALLBACK") == expected


def test_safe_next_prefers_the_posted_target():
    request = RequestFactory().post("/?next=/from-get/", {"next": "/from-post/"})
    assert safe_next(request, "/") == "/from-post/"
