"""Demo organisations and one user per role. Idempotent: running it again changes nothing."""

import binascii

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import County, Organisation, User
from .roles import TWO_FACTOR_ROLES, OrganisationKind, Role
from .validators import make_credit_code

DEMO_PASSWORD = "Zz-Demo-2021"

# username, role, display name, organisation key, county name (for county staff)
DEMO_USERS = [
    ("demo_enterprise", Role.ENTERPRISE, "王经理（企业）", "enterprise", None),
    ("demo_county", Role.COUNTY, "李科长（中原区工信局）", "county:中原区", "中原区"),
    ("demo_city", Role.CITY, "张处长（市工信局）", "city", None),
    ("demo_expert", Role.EXPERT, "刘教授（评审专家）", None, None),
    ("demo_auditor", Role.AUDITOR, "陈审计师（第三方审计）", "auditor", None),
    ("demo_fin_prep", Role.FINANCE_PREPARER, "赵会计（市财政局·经办）", "finance", None),
    ("demo_fin_appr", Role.FINANCE_APPROVER, "孙科长（市财政局·审核）", "finance", None),
    ("demo_official", Role.OFFICIAL, "周局长（领导）", "city", None),
    ("demo_admin", Role.ADMIN, "系统管理员", "city", None),
]


def demo_totp_key(username):
    """A fixed 20-byte key per demo user, so the demo's 2FA codes can be computed (manage.py demo_totp)."""
    return binascii.hexlify(f"zzgrants-demo-{username}".encode()[:20].ljust(20, b"0")).decode()


@transaction.atomic
def seed(stdout=None):
    orgs = {
        "city": Organisation.objects.get_or_create(kind=OrganisationKind.CITY_BUREAU, name="郑州市工业和信息化局")[0],
        "finance": Organisation.objects.get_or_create(kind=OrganisationKind.FINANCE_BUREAU, name="郑州市财政局")[0],
        "auditor": Organisation.objects.get_or_create(
            kind=OrganisationKind.AUDITOR, name="河南中审联合会计师事务所（示例）",
            defaults={"credit_code": make_credit_code("91410100MA44QK2L3")},
        )[0],
        "provider": Organisation.objects.get_or_create(
            kind=OrganisationKind.SOLUTION_PROVIDER, name="郑州智造系统解决方案有限公司（示例）"
        )[0],
    }
    for county in County.objects.all():
        orgs[f"county:{county.name}"] = Organisation.objects.get_or_create(
            kind=OrganisationKind.COUNTY_BUREAU, name=f"{county.name}工业和信息化局", defaults={"county": county}
        )[0]
    zhongyuan = County.objects.get(name="中原区")
    orgs["enterprise"] = Organisation.objects.get_or_create(
        kind=OrganisationKind.ENTERPRISE, credit_code=make_credit_code("91410102MA44XJ8G1"),
        defaults={"name": "郑州示范智能装备有限公司", "county": zhongyuan},
    )[0]
    for username, role, name, org_key, county_name in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role, "first_name": name, "email": f"{username}@example.cn",
                "organisation": orgs.get(org_key) if org_key else None,
                "county": County.objects.get(name=county_name) if county_name else None,
                "is_staff": role == Role.ADMIN, "is_superuser": role == Role.ADMIN,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if role in TWO_FACTOR_ROLES:
            TOTPDevice.objects.get_or_create(
                user=user, name="demo", defaults={"key": demo_totp_key(username), "confirmed": True}
            )
    if stdout:
        stdout.write(f"accounts: {len(DEMO_USERS)} demo users, {len(orgs)} organisations")
    return orgs
