import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.factories import UserFactory


@pytest.mark.parametrize(
    "password",
    ["Zhengzhou-2021", "abc123ABC!!", "gongxinju#2021x", "GONGXINJU2021x"],
)
def test_good_passwords_pass(password):
    validate_password(password)


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab1!xyz", "password_too_short"),  # 7 characters
        ("abcdefghijk", "password_too_simple"),  # one class
        ("abcdefgh1234", "password_too_simple"),  # two classes
        ("1234567890", "password_entirely_numeric"),
        ("password123", "password_too_common"),
    ],
)
def test_weak_passwords_fail(password, code):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)
    assert code in [e.code for e in excinfo.value.error_list]


@pytest.mark.django_db
def test_password_like_the_username_fails():
    user = UserFactory(username="zhangsanfeng", first_name="zhangsanfeng")
    with pytest.raises(ValidationError):
        validate_password("Zhangsanfeng1", user)
