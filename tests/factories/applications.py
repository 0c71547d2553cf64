"""Factories for the annual call and applications."""

import datetime
import io
import zipfile
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Industry
from applications.models import Application, AwardRule, Category, Material, Round
from applications.workflow import Status

from .accounts import EnterpriseFactory, UserFactory, county

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d"
    "0000000049454e44ae426082"
)


def pdf_upload(name="材料.pdf", content=MINIMAL_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def office_zip(kind="docx", extra=None):
    """A minimal valid DOCX/XLSX package (what the upload check looks for), plus optional extra parts."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<document/>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def plain_zip():
    """A plain zip (no office package) holding a Windows executable."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.exe", b"MZ" + b"\x00" * 100)
    return buffer.getvalue()


def zip_with_lying_sizes(data, part, claimed=1024):
    """The same zip with the local and central headers of ``part`` claiming it unpacks to ``claimed`` bytes (a zip
    bomb that lies about its size; the upload check must count what really comes out)."""
    import struct

    data, encoded = bytearray(data), part.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_at:start + name_at + len(encoded)] == encoded:
                struct.pack_into("<I", data, start + size_at, claimed)
            start += 4
    return bytes(data)


class ProfiledEnterpriseFactory(EnterpriseFactory):
    """An enterprise with a complete profile (what submission needs)."""

    industry = Industry.EQUIPMENT
    is_above_scale = True
    legal_representative = "张三"
    contact_person = "李四"
    contact_phone = "0371-66668888"
    address = "郑州市中原区建设西路1号"
    bank_account_name = factory.SelfAttribute("name")
    bank_name = "中国工商银行郑州分行"
    bank_account_no = factory.Sequence(lambda n: f"17020000{n:011d}")
    is_verified = True


class RoundFactory(factory.django.DjangoModelFactory):
    """A published call whose window is open now."""

    class Meta:
        model = Round

    # a unique year within a test, and always a plausible one (pages refuse years outside 2000–2100), however
    # many rounds the whole suite has made before
    year = factory.Sequence(lambda n: 2030 + n % 70)
    title = factory.LazyAttribute(lambda o: f"{o.year}年度郑州市制造业高质量发展专项资金")
    notice = "各县（市、区）工信部门：现将申报工作通知如下。"
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=30))
    county_deadline = factory.LazyFunction(lambda: (timezone.localtime() + datetime.timedelta(days=40)).date())
    total_budget = Decimal("580000000.00")
    is_published = True


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    round = factory.SubFactory(RoundFactory)
    name = factory.Sequence(lambda n: f"智能化改造{n}")
    is_three_upgrades = True


class AwardRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardRule

    category = factory.SubFactory(CategoryFactory)
    rate = Decimal("0.1000")
    base = "equipment"
    cap = Decimal("5000000.00")


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Material

    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"项目备案文件{n}")
    allowed_types = factory.LazyFunction(lambda: ["pdf"])
    required = True


def category_with_rules(**kwargs):
    """A category with a 10% equipment-investment rule and one required PDF material."""
    category = CategoryFactory(**kwargs)
    AwardRuleFactory(category=category)
    MaterialFactory(category=category, name="项目备案文件", allowed_types=["pdf", "jpg", "png"])
    return category


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete draft (every field filled; attach the required files with ``attach``)."""

    class Meta:
        model = Application

    category = factory.LazyFunction(category_with_rules)
    round = factory.SelfAttribute("category.round")
    enterprise = factory.SubFactory(ProfiledEnterpriseFactory)
    county = factory.LazyAttribute(lambda o: o.enterprise.county or county())
    project_name = factory.Sequence(lambda n: f"智能化生产线改造项目{n}")
    construction_type = "renovation"
    location = "郑州市中原区"
    start_date = datetime.date(2020, 3, 1)
    end_date = datetime.date(2020, 12, 31)
    total_investment = Decimal("30000000.00")
    eligible_investment = Decimal("25000000.00")
    equipment_investment = Decimal("20000000.00")
    requested_amount = Decimal("2000000.00")
    description = "购置智能化设备，建设数字化车间。"
    expected_outcomes = "生产效率提升30%。"


def enterprise_user(application_or_org, **kwargs):
    org = getattr(application_or_org, "enterprise", application_or_org)
    return UserFactory(role="enterprise", organisation=org, **kwargs)


def attach_required(application, user):
    from applications.services import attachment_store

    for material in application.category.materials.filter(required=True):
        attachment_store(application=application, material=material, upload=pdf_upload(), actor=user)


def application_in(status, **kwargs):
    """An application put straight into ``status`` (test setup only: real moves go through services)."""
    app = ApplicationFactory(**kwargs)
    if status != Status.DRAFT:
        app.status = status
        app.receipt_no = f"{app.round.year}-{app.county.abbreviation}-{app.pk:04d}"
        app.first_submitted_at = app.submitted_at = timezone.now()
        app.save()
    return app


def ensure_counties():
    """Transactional tests flush every table, the counties loaded by migration included: put them back."""
    from accounts.counties import COUNTIES
    from accounts.models import County

    for order, (name, code, abbreviation, kind) in enumerate(COUNTIES, start=1):
        County.objects.get_or_create(name=name, defaults={"division_code": code, "abbreviation": abbreviation,
                                                          "kind": kind, "sort_order": order})


# --- helpers of the adversarial suite (tests/security/test_applications_*.py, test_accounts_*.py) ---

def browser(user_or_role):
    """A separate logged-in test client (2FA passed where the role needs it): two people at two screens."""
    from django.test import Client

    from tests.helpers import login

    user = user_or_role if hasattr(user_or_role, "pk") else UserFactory.for_role(user_or_role)
    client = login(Client(), user)
    client.user = user
    return client


def db_row(obj):
    """Every column of ``obj`` as stored now (a fresh read), for "nothing else changed" assertions."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    return {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}


def changed_columns(before, obj):
    """The columns of ``obj`` whose stored value differs from the ``before`` row."""
    after = db_row(obj)
    return {name for name, value in before.items() if after[name] != value}


def profile_post(org, **overrides):
    """The company-profile form as the page posts it (with the version the page was opened with)."""
    data = {name: getattr(org, name) for name in (
        "name", "industry", "legal_representative", "contact_person", "contact_phone", "address",
        "bank_account_name", "bank_name", "bank_account_no")}
    data.update(county=org.county_id, version=org.version)
    if org.is_above_scale:
        data["is_above_scale"] = "on"
    data.update(overrides)
    return data


def category_post(category, **overrides):
    """The category page (category, award rule, materials formset) as the browser posts it, unchanged."""
    rule = category.award_rule
    materials = list(category.materials.all())
    data = {
        "name": category.name, "description": category.description, "sort_order": category.sort_order,
        "version": category.version,
        "rule-rate_percent": rule.rate_percent, "rule-base": rule.base, "rule-payment": rule.payment,
        "rule-cap": format((rule.cap / 10000).normalize(), "f") if rule.cap else "", "rule-description": "",
        "materials-TOTAL_FORMS": len(materials), "materials-INITIAL_FORMS": len(materials),
        "materials-MIN_NUM_FORMS": 0, "materials-MAX_NUM_FORMS": 1000,
    }
    for flag in ("is_three_upgrades", "is_green_manufacturing", "above_scale_only"):
        if getattr(category, flag):
            data[flag] = "on"
    if category.min_eligible_investment:
        data["min_eligible_investment"] = format((category.min_eligible_investment / 10000).normalize(), "f")
    for i, material in enumerate(materials):
        data.update({f"materials-{i}-id": material.pk, f"materials-{i}-name": material.name,
                     f"materials-{i}-description": material.description,
                     f"materials-{i}-allowed_types": material.allowed_types,
                     f"materials-{i}-sort_order": material.sort_order})
        if material.required:
            data[f"materials-{i}-required"] = "on"
    data.update(overrides)
    return data


def round_post(round_, **overrides):
    """The call form as the page posts it, unchanged."""
    from django.utils import timezone as tz

    def moment(value):
        return tz.localtime(value).strftime("%Y-%m-%dT%H:%M")

    data = {"year": round_.year, "title": round_.title, "notice": round_.notice, "opens_at": moment(round_.opens_at),
            "closes_at": moment(round_.closes_at), "total_budget": format((round_.total_budget / 10000).normalize(),
                                                                          "f"),
            "version": round_.version}
    if round_.county_deadline:
        data["county_deadline"] = round_.county_deadline.isoformat()
    if round_.same_county_conflict:
        data["same_county_conflict"] = "on"
    data["reminder_days"] = round_.reminder_days
    data["followup_years"] = round_.followup_years
    if round_.payment_deadline:
        data["payment_deadline"] = round_.payment_deadline.isoformat()
    data.update(overrides)
    return data


def edit_draft(client, app, **fields):
    """Post the enterprise's draft form with the draft's current version (read again from the database)."""
    from django.urls import reverse

    app.refresh_from_db()
    return client.post(reverse("applications:edit", args=[app.pk]), {"version": app.version, **fields})
