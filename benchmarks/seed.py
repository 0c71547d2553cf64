"""Bulk data for the benchmark: the demo users and call, enterprises, and N applications with their files,
a frozen version and a few history rows each (what the list and detail pages read)."""

import datetime
import hashlib
from decimal import Decimal
from itertools import cycle

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts import demo as accounts_demo
from accounts.models import County, Organisation, User
from accounts.roles import OrganisationKind
from accounts.validators import make_credit_code
from applications import demo as applications_demo
from applications.models import Application, ApplicationVersion, Attachment, Programme
from applications.workflow import Status
from core.models import AuditLog

STATUSES = [Status.SUBMITTED] * 3 + [Status.COUNTY_ACCEPTED] * 2 + [Status.FORWARDED] * 2 + \
    [Status.CITY_ACCEPTED, Status.QUALIFIED, Status.QUALIFIED, Status.QUALIFIED, Status.RETURNED, Status.DECLINED]
_state = {"counters": {}, "enterprises": [], "round": None, "county_staff": None}


def seed_base(enterprises=6000):
    accounts_demo.seed()
    programme = Programme.objects.create(name="郑州市支持制造业高质量发展若干政策")
    opens = timezone.make_aware(datetime.datetime(2020, 10, 8, 9))
    round_, _ = applications_demo.create_round(programme, 2021, opens, opens + datetime.timedelta(days=23), {
        "total_budget": Decimal("580000000.00"), "county_deadline": datetime.date(2020, 11, 10)})
    counties = list(County.objects.order_by("sort_order"))
    zhongyuan = County.objects.get(name="中原区")
    rows = []
    for n in range(enterprises):
        county = zhongyuan if n % 10 < 3 else counties[n % len(counties)]
        rows.append(Organisation(
            kind=OrganisationKind.ENTERPRISE, name=f"郑州基准测试制造{n:04d}有限公司",
            credit_code=make_credit_code(f"91{county.division_code or '410100'}MA{5000000 + n:07d}"), county=county,
            is_above_scale=True, is_verified=n % 7 != 0, legal_representative="张三", contact_person="李四",
            contact_phone="0371-66668888", address="郑州市", bank_account_name="x", bank_name="y",
            bank_account_no=f"{n:012d}"))
    Organisation.objects.bulk_create(rows, batch_size=1000)
    _state["enterprises"] = list(Organisation.objects.filter(name__startswith="郑州基准测试").select_related("county"))
    _state["round"] = round_
    _state["categories"] = list(round_.categories.prefetch_related("materials"))
    return {"county": User.objects.get(username="demo_county"), "city": User.objects.get(username="demo_city")}


def seed_applications(count, *, county, offset=0):
    """Add ``count`` applications (30% in ``county``); returns the pk of one in ``county`` for the detail page."""
    round_ = _state["round"]
    enterprises = _state["enterprises"]
    categories = _state["categories"]
    statuses = cycle(STATUSES)
    start = timezone.make_aware(datetime.datetime(2020, 10, 9, 9))
    apps = []
    for i in range(offset, offset + count):
        enterprise = enterprises[i % len(enterprises)]
        category = categories[(i + i // len(enterprises)) % len(categories)]  # firms rarely apply twice
        status = next(statuses)
        counters = _state["counters"]
        counters[enterprise.county_id] = counters.get(enterprise.county_id, 0) + 1
        submitted = start + datetime.timedelta(minutes=3 * i)
        eligible = Decimal(1000000 + (i * 7919) % 90000000)
        apps.append(Application(
            round=round_, category=category, enterprise=enterprise, county_id=enterprise.county_id, status=status,
            project_name=f"智能化生产线改造项目{i:05d}", construction_type="renovation", location="郑州市",
            start_date=datetime.date(2020, 3, 1), end_date=datetime.date(2020, 12, 31),
            total_investment=eligible * Decimal("1.2"), eligible_investment=eligible,
            equipment_investment=eligible * Decimal("0.8"), requested_amount=(eligible * Decimal("0.08")).quantize(
                Decimal("0.01")),
            description="购置先进设备，建设数字化车间。" * 5, expected_outcomes="效率提升30%。",
            other_subsidy=i % 97 == 0, receipt_no=f"{round_.year}-{enterprise.county.abbreviation}-"
                                                  f"{counters[enterprise.county_id]:04d}",
            first_submitted_at=submitted, submitted_at=submitted, declaration_accepted=True,
            county_rank=(i % 50) + 1 if status in (Status.FORWARDED, Status.QUALIFIED) else None,
            county_opinion="同意推荐" if status in (Status.FORWARDED, Status.QUALIFIED) else ""))
    Application.objects.bulk_create(apps, batch_size=1000)
    created = list(Application.objects.filter(round=round_).order_by("-id")[:count])
    _files_versions_history(created, categories)
    return next(a.pk for a in created if a.county_id == county.pk)


def _files_versions_history(apps, categories):
    materials = {c.pk: list(c.materials.all())[:3] for c in categories}
    files, versions, history = [], [], []
    content_type = ContentType.objects.get_for_model(Application)
    for app in apps:
        for material in materials[app.category_id]:
            digest = hashlib.sha256(f"{app.pk}-{material.pk}".encode()).hexdigest() if app.pk % 53 else "0" * 64
            files.append(Attachment(application_id=app.pk, material=material, file=f"bench/{digest}.pdf",
                                    original_name=f"{material.name}.pdf", sha256=digest, size=123456,
                                    content_type="application/pdf", file_type="pdf"))
        versions.append(ApplicationVersion(application_id=app.pk, number=1, submitted_at=app.submitted_at, data={
            "project_name": app.project_name, "requested_amount": str(app.requested_amount), "attachments": []}))
        for action, to_state in (("application.create", Status.DRAFT), ("application.submit", Status.SUBMITTED)):
            history.append(AuditLog(action=action, to_state=to_state, content_type=content_type,
                                    object_id=str(app.pk), object_repr=app.project_name[:200]))
    Attachment.objects.bulk_create(files, batch_size=2000)
    ApplicationVersion.objects.bulk_create(versions, batch_size=2000)
    AuditLog.objects.bulk_create(history, batch_size=2000)
