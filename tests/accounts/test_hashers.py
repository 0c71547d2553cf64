"""Argon2id is the password hasher (OWASP minimum parameters); PBKDF2 hashes are upgraded at the next login.
These tests use the real hasher list of the settings, not the test settings' fast one."""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher, identify_hasher
from django.urls import reverse

from accounts.hashers import OwaspArgon2PasswordHasher
from accounts.roles import Role
from tests.factories.accounts import PASSWORD
from zhengzhou_grants.settings import base

pytestmark = pytest.mark.django_db


@pytest.fixture
def real_hashers(settings):
    settings.PASSWORD_HASHERS = base.PASSWORD_HASHERS
    return settings


def test_argon2id_first_with_owasp_parameters_and_pbkdf2_second():
    assert base.PASSWORD_HASHERS[0] == "accounts.hashers.OwaspArgon2PasswordHasher"
    assert base.PASSWORD_HASHERS[1] == "django.contrib.auth.hashers.PBKDF2PasswordHasher"
    hasher = OwaspArgon2PasswordHasher()
    encoded = hasher.encode("Zz-Demo-2021", hasher.salt())
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert hasher.verify("Zz-Demo-2021", encoded) and not hasher.verify("Zz-Demo-2022", encoded)
    # OWASP: at least 19 MiB, 2 passes, 1 lane
    assert hasher.memory_cost >= 19 * 1024 and hasher.time_cost >= 2 and hasher.parallelism >= 1
    assert django_settings.PASSWORD_HASHERS != base.PASSWORD_HASHERS  # the suite itself hashes fast


def test_a_pbkdf2_hash_is_upgraded_to_argon2id_at_login(client, user_for, real_hashers):
    user = user_for(Role.ENTERPRISE)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "oldsalt0123456", iterations=1000)
    user.save(update_fields=["password"])
    assert identify_hasher(user.password).algorithm == "pbkdf2_sha256"

    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password(PASSWORD)


def test_new_passwords_are_hashed_with_argon2id(user_for, real_hashers):
    user = user_for(Role.EXPERT)
    user.set_password("Neues-Passw0rt-2027")
    user.save()
    assert identify_hasher(user.password).algorithm == "argon2"
    assert "argon2id" in user.password
