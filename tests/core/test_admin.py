import pytest

from accounts.roles import Role

pytestmark = pytest.mark.django_db

READ_ONLY = ["core/auditlog", "applications/application", "disbursements/payment", "evaluation/evaluationyear"]


@pytest.mark.parametrize("model", READ_ONLY)
def test_records_changed_only_by_services_are_read_only_in_the_admin(client_for, user_for, model):
    client = client_for(user_for(Role.ADMIN, is_staff=True, is_superuser=True))
    assert client.get(f"/admin/{model}/").status_code == 200
    assert client.get(f"/admin/{model}/add/").status_code == 403


def test_admin_index_names_the_third_party_apps_in_chinese(client_for, user_for):
    client = client_for(user_for(Role.ADMIN, is_staff=True, is_superuser=True))
    client.cookies["django_language"] = "zh-hans"
    html = client.get("/admin/").content.decode()
    for chinese in ("登录保护", "双因素认证设备", "登录尝试", "登录日志"):
        assert chinese in html, chinese
    for english in (">Axes<", ">Otp_Totp<", "Access attempts", "Access logs"):
        assert english not in html, english
