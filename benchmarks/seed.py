"""Bulk data for the benchmark: the demo cycle (users, the 2021 call, panels and scores, payment batches, the
evaluation year), 6,000 more enterprises, and N applications with their files, a frozen version and two
history rows each (what the list and detail pages read).

On PostgreSQL the database generates the rows itself (``benchmarks/seed_sql.py``: ``generate_series``, one
``INSERT … SELECT`` per table, the indexes rebuilt once after a large load), so a million applications (with 3
million files, a million versions and 2 million history rows) take minutes; on SQLite the same rows are built
in Python and go in with ``bulk_create`` in chunks of CHUNK applications."""

import datetime
import hashlib
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import override_settings
from django.utils import timezone

from accounts.management.commands.seed_demo import demo_modules
from accounts.models import County, Organisation, User
from accounts.roles import OrganisationKind
from accounts.validators import make_credit_code
from applications.duplicates import refresh_all
from applications.models import Application, ApplicationVersion, Attachment, Round
from applications.workflow import Status
from benchmarks import seed_sql
from core.models import AuditLog

STATUSES = [Status.SUBMITTED] * 3 + [Status.COUNTY_ACCEPTED] * 2 + [Status.FORWARDED] * 2 + \
    [Status.CITY_ACCEPTED, Status.QUALIFIED, Status.QUALIFIED, Status.QUALIFIED, Status.RETURNED, Status.DECLINED]
CHUNK = 50_000
_state = {"counters": {}, "enterprises": [], "round": None}


def seed_base(enterprises=6000):
    """The whole demo cycle (every app's demo module), then the benchmark's enterprises."""
    with override_settings(MAILERS={"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}):
        for module in demo_modules():
            module.seed()
    round_ = Round.objects.get(year=2021)
    counties = list(County.objects.order_by("sort_order"))
    zhongyuan = County.objects.get(name="中原区")
    rows = []
    for n in range(enterprises):
        county = zhongyuan if n % 10 < 3 else counties[n % len(counties)]
        rows.append(Organisation(
            kind=OrganisationKind.ENTERPRISE, name=f"郑州基准测试制造{n:04d}有限公司",
            credit_code=make_credit_code(f"91{county.division_code or '410100'}MB{5000000 + n:07d}"), county=county,
            is_above_scale=True, is_verified=n % 7 != 0, legal_representative="张三", contact_person="李四",
            contact_phone="0371-66668888", address="郑州市", bank_account_name="x", bank_name="y",
            bank_account_no=f"{n:012d}"))
    Organisation.objects.bulk_create(rows, batch_size=1000)
    _state["enterprises"] = [(o.pk, o.county_id, o.county.abbreviation) for o in
                             Organisation.objects.filter(name__startswith="郑州基准测试").select_related("county")]
    _state["round"] = round_
    _state["categories"] = [(c.pk, [m.pk for m in c.materials.all()][:3], [m.name for m in c.materials.all()][:3])
                            for c in round_.categories.prefetch_related("materials")]
    return {name: User.objects.get(username=f"demo_{name}") for name in
            ("county", "city", "expert", "fin_appr", "admin")}


def seed_applications(count, *, county, offset=0):
    """Add ``count`` applications (30% in ``county``); returns the pk of one in ``county`` for the detail page.
    On PostgreSQL the seconds of each phase are left in ``last_timings()``."""
    if connection.vendor == "postgresql":
        detail_pk, _state["timings"] = seed_sql.seed_applications(
            offset, count, state=_state, statuses=STATUSES, county_id=county.pk)
        return detail_pk
    detail_pk = None
    for start in range(offset, offset + count, CHUNK):
        pk = _chunk(start, min(CHUNK, offset + count - start), county.pk)
        detail_pk = detail_pk or pk
    refresh_all()  # the flags of rows that went in by bulk_create
    return detail_pk


def last_timings():
    """{phase: seconds} of the last PostgreSQL load (applications, files, versions, history, indexes)."""
    return dict(_state.get("timings") or {})


def _chunk(first, count, county_id):
    round_ = _state["round"]
    enterprises, categories = _state["enterprises"], _state["categories"]
    start = timezone.make_aware(datetime.datetime(2020, 10, 9, 9))
    now = timezone.now()
    apps = []
    for i in range(first, first + count):
        enterprise_id, enterprise_county, abbreviation = enterprises[i % len(enterprises)]
        category_id = categories[(i + i // len(enterprises)) % len(categories)][0]  # firms rarely apply twice
        status = STATUSES[i % len(STATUSES)]
        counters = _state["counters"]
        counters[enterprise_county] = counters.get(enterprise_county, 0) + 1
        submitted = start + datetime.timedelta(seconds=7 * i)
        eligible = Decimal(1000000 + (i * 7919) % 90000000)
        ranked = status in (Status.FORWARDED, Status.QUALIFIED)
        apps.append({
            "round_id": round_.pk, "category_id": category_id, "enterprise_id": enterprise_id,
            "county_id": enterprise_county, "status": status, "project_name": seed_sql.project_name(i),
            "construction_type": "renovation", "location": "郑州市", "start_date": datetime.date(2020, 3, 1),
            "end_date": datetime.date(2020, 12, 31), "total_investment": eligible * Decimal("1.2"),
            "eligible_investment": eligible, "equipment_investment": eligible * Decimal("0.8"),
            "requested_amount": (eligible * Decimal("0.08")).quantize(Decimal("0.01")),
            "description": "购置先进设备，建设数字化车间。" * 5, "expected_outcomes": "效率提升30%。",
            "other_subsidy": i % 97 == 0,
            "receipt_no": f"{round_.year}-{abbreviation}-{counters[enterprise_county]:06d}",
            "first_submitted_at": submitted, "submitted_at": submitted, "declaration_accepted": True,
            "county_rank": (i % 50) + 1 if ranked else None, "county_opinion": "同意推荐" if ranked else "",
            "created_at": submitted, "updated_at": now,
        })
    insert(Application, apps)
    created = list(Application.objects.filter(round=round_).order_by("-id")
                   .values_list("pk", "category_id", "county_id", "project_name", "submitted_at")[:count])
    _files_versions_history(created)
    return next((pk for pk, _c, county, *_ in created if county == county_id), None)


def _files_versions_history(apps):
    materials = {pk: list(zip(ids, names, strict=True)) for pk, ids, names in _state["categories"]}
    content_type = ContentType.objects.get_for_model(Application).pk
    files, versions, history = [], [], []
    for pk, category_id, _county, project_name, submitted in apps:
        for material_id, name in materials[category_id]:
            digest = (hashlib.sha256(f"{pk}-{material_id}".encode()).hexdigest() if pk % seed_sql.TEMPLATE_EVERY
                      else seed_sql.TEMPLATE_SHA256)
            files.append({"application_id": pk, "material_id": material_id, "file": f"bench/{digest}.pdf",
                          "original_name": f"{name}.pdf", "sha256": digest, "size": 123456,
                          "content_type": "application/pdf", "file_type": "pdf", "uploaded_at": submitted})
        versions.append({"application_id": pk, "number": 1, "submitted_at": submitted, "data": {
            "project_name": project_name, "attachments": []}})
        for action, to_state in (("application.create", Status.DRAFT), ("application.submit", Status.SUBMITTED)):
            history.append({"action": action, "to_state": to_state, "content_type_id": content_type,
                            "object_id": str(pk), "object_repr": project_name[:200], "created_at": submitted})
    insert(Attachment, files)
    insert(ApplicationVersion, versions)
    insert(AuditLog, history)


def insert(model, rows):
    """Insert ``rows`` (dicts of field values; the others take the field's default) with bulk_create (SQLite:
    PostgreSQL generates its rows in ``seed_sql``)."""
    model.objects.bulk_create([model(**row) for row in rows], batch_size=2000)
