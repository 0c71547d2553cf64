"""Data for the load test, idempotent: the demo (seed_demo: about 250 enterprises and 320 applications
across the 16 counties, the demo users) plus an open call with LOAD_ENTERPRISES enterprises, each with
one user (password Zz-Demo-2021) and one complete draft, so that every simulated enterprise edits its own.

    DJANGO_SETTINGS_MODULE=benchmarks.load.settings DATABASE_URL=... python -m benchmarks.load.seed out.json
"""

import json
import sys

ENTERPRISES = 40
PREFIX = "load_ent_"


def seed(count=ENTERPRISES):
    from django.core.management import call_command

    from accounts.demo import DEMO_PASSWORD, demo_totp_key
    from accounts.models import County, User
    from accounts.roles import Role
    from applications.forms import ApplicationForm
    from applications.models import Application
    from tests.factories import ApplicationFactory, ProfiledEnterpriseFactory, category_with_rules
    from tests.factories.applications import attach_required

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - closed at exit
    counties = list(County.objects.order_by("sort_order"))
    if not User.objects.filter(username=f"{PREFIX}000").exists():
        category = category_with_rules()
        for n in range(count):
            enterprise = ProfiledEnterpriseFactory(county=counties[n % len(counties)],
                                                   name=f"郑州负载测试制造{n:03d}有限公司")
            application = ApplicationFactory(category=category, enterprise=enterprise)
            user = User(username=f"{PREFIX}{n:03d}", role=Role.ENTERPRISE, organisation=enterprise,
                        email=f"{PREFIX}{n:03d}@example.cn")
            user.set_password(DEMO_PASSWORD)
            user.save()
            attach_required(application, user)
    drafts = []
    for user in User.objects.filter(username__startswith=PREFIX).order_by("username"):
        application = Application.objects.filter(enterprise_id=user.organisation_id).order_by("pk").first()
        form = ApplicationForm(instance=application)
        fields = {}
        for name in form.fields:
            value = form[name].value()
            if isinstance(value, bool):
                if value:
                    fields[name] = "on"
            elif value is not None and name != "version":
                fields[name] = str(value)
        drafts.append({"username": user.username, "app": application.pk, "fields": fields})
    county = User.objects.get(username="demo_county")
    county_apps = list(Application.objects.filter(county_id=county.county_id).exclude(status="draft")
                       .order_by("pk").values_list("pk", flat=True)[:50])
    city_apps = list(Application.objects.exclude(status="draft").order_by("-pk").values_list("pk", flat=True)[:50])
    round_year = Application.objects.filter(pk__in=county_apps[:1]).values_list("round__year", flat=True).first()
    return {
        "password": DEMO_PASSWORD, "drafts": drafts, "county_apps": county_apps, "city_apps": city_apps,
        "city_totp_key": demo_totp_key("demo_city"), "call_year": round_year,
        "applications": Application.objects.count(),
    }


if __name__ == "__main__":
    import django

    django.setup()
    fixtures = seed()
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(fixtures, out, ensure_ascii=False)
    print(f"{len(fixtures['drafts'])} enterprises with drafts; {fixtures['applications']} applications")
