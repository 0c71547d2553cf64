"""Rate limits of the forms anyone can send (registration, password reset) and of the 2FA step; registration
does not tell a visitor whose username exists."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Organisation, User
from accounts.roles import Role
from core.models import AuditLog
from tests.accounts.test_enterprises import form_data
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD
from tests.helpers import current_code, totp_device

pytestmark = pytest.mark.django_db
REFUSED = "尝试次数过多"


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "register": (2, 3600), "password_reset": (2, 3600),
                            "two_factor": (3, 900)}


def test_registration_is_rate_limited_per_address_and_keeps_what_was_typed(client, limits):
    bad = form_data(password2="different-Pass-77")
    assert [client.post(reverse("accounts:register"), bad, REMOTE_ADDR="198.51.100.1").status_code
            for _ in range(2)] == [200, 200]
    refused = client.post(reverse("accounts:register"), form_data(), REMOTE_ADDR="198.51.100.1")
    assert refused.status_code == 429
    body = refused.content.decode()
    assert REFUSED in body and 'value="郑州新注册智能科技有限公司"' in body and "Zz-Strong-Pass-77" not in body
    assert not Organisation.objects.filter(name="郑州新注册智能科技有限公司").exists()
    # another address registers normally
    assert client.post(reverse("accounts:register"), form_data(), REMOTE_ADDR="198.51.100.2").status_code == 302


def test_a_taken_username_gets_a_neutral_message_with_a_free_suggestion(client):
    UserFactory(username="demo_admin", role=Role.ADMIN)
    response = client.post(reverse("accounts:register"), form_data(username="demo_admin"))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["username"])
    assert "已被使用" not in errors and "已存在" not in errors
    suggestion = errors.split("例如")[1].strip(" 。.")
    assert suggestion.startswith("demo_admin") and suggestion != "demo_admin"
    assert not User.objects.filter(username__iexact=suggestion).exists()
    assert client.post(reverse("accounts:register"), form_data(username=suggestion)).status_code == 302


def test_password_reset_is_rate_limited(client, limits):
    UserFactory(email="clerk@example.cn")
    answers = [client.post(reverse("accounts:password_reset"), {"email": "clerk@example.cn"},
                           REMOTE_ADDR="198.51.100.3") for _ in range(3)]
    assert [a.status_code for a in answers] == [302, 302, 429]
    assert len(mail.outbox) == 2
    assert REFUSED in answers[-1].content.decode() and "clerk@example.cn" in answers[-1].content.decode()


def test_the_two_factor_step_is_rate_limited_even_with_the_right_code(client, limits):
    user = UserFactory.for_role(Role.CITY)
    device = totp_device(user)
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    for _ in range(3):
        assert client.post(reverse("accounts:two_factor"), {"token": "000000"}).status_code == 200
    refused = client.post(reverse("accounts:two_factor"), {"token": current_code(device)})
    assert refused.status_code == 429 and REFUSED in refused.content.decode()
    assert client.get(reverse("core:dashboard")).status_code == 302  # still not past the second factor
    assert AuditLog.objects.filter(action="auth.2fa_failed", actor=user, data={"throttled": True}).exists()
