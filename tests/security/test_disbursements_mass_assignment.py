"""Mass assignment on every POST of the disbursements app.

For each view that accepts a POST, the normal data is posted once inside a savepoint that is rolled back (what
the request is meant to change), then again with extra fields naming statuses, amounts, counties, enterprises,
commitments, batches, preparers, approvers, versions ... of other objects. The database changes of the two
posts must be identical (after normalising new primary keys and times): the extra fields are ignored.
"""

import re
import uuid
from datetime import date, datetime

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse

from accounts.roles import Role
from core.models import AuditLog
from disbursements.models import PaymentBatch
from disbursements.services import batch_approve, batch_create, batch_submit, contract_complete, report_upload
from tests.factories import UserFactory, county
from tests.factories import disbursements as f
from tests.factories.applications import MINIMAL_PDF, ProfiledEnterpriseFactory

pytestmark = pytest.mark.django_db

PROTECTED = ("status", "amount", "approved_amount", "paid_amount", "county", "county_id", "enterprise", "payee",
             "commitment", "batch", "prepared_by", "approved_by", "created_by", "sent_by", "uploaded_by",
             "recorded_by", "accepted_by", "selected_by", "updated_by", "version", "idempotency_key", "reference",
             "tranche", "fund_year", "due_date", "paid_on", "bank_reference", "payee_name", "payee_account",
             "payee_bank", "contract", "programme", "provider", "report", "report_name", "report_type",
             "report_sha256", "sha256", "rows_paid", "rows_refused", "report_on", "acceptance_result",
             "bank_file", "bank_file_sha256", "approved_at", "sent_at", "is_staff", "role", "organisation")


class Rollback(Exception):
    pass


class Other:
    """Objects of somebody else that an attacker would like to point the extra fields at."""

    def __init__(self):
        f.ensure_counties()
        self.county = county("金水区")
        self.enterprise = ProfiledEnterpriseFactory(county=self.county)
        self.user = UserFactory.for_role(Role.FINANCE_APPROVER)
        self.commitment = f.commitment("777.00")
        self.batch = batch_create(actor=f.preparer(), commitments=[self.commitment])

    def extras(self, legit):
        values = {
            "status": "paid", "amount": "99999999.00", "approved_amount": "99999999.00", "paid_amount": "1.00",
            "county": self.county.pk, "county_id": self.county.pk, "enterprise": self.enterprise.pk,
            "payee": self.enterprise.pk, "commitment": self.commitment.pk, "batch": self.batch.pk,
            "prepared_by": self.user.pk, "approved_by": self.user.pk, "created_by": self.user.pk,
            "sent_by": self.user.pk, "uploaded_by": self.user.pk, "recorded_by": self.user.pk,
            "accepted_by": self.user.pk, "selected_by": self.user.pk, "updated_by": self.user.pk, "version": 999,
            "idempotency_key": str(uuid.uuid4()), "reference": "ZZ9999-999999-99", "tranche": 99,
            "fund_year": 1999, "due_date": "1999-01-01", "paid_on": "2021-01-01", "bank_reference": "FORGED",
            "payee_name": "攻击者", "payee_account": "6222000000000000", "payee_bank": "攻击银行",
            "contract": 1, "programme": 1, "provider": self.enterprise.pk, "report": "../../etc/passwd",
            "report_name": "x.exe", "report_type": "exe", "report_sha256": "0" * 64, "sha256": "0" * 64,
            "rows_paid": 99, "rows_refused": 0, "report_on": "2021-01-01", "acceptance_result": "passed",
            "bank_file": "x", "bank_file_sha256": "0" * 64, "approved_at": "2021-01-01 00:00",
            "sent_at": "2021-01-01 00:00", "is_staff": "on", "role": "admin", "organisation": self.enterprise.pk,
        }
        assert set(values) == set(PROTECTED)
        return {k: v for k, v in values.items() if k not in legit}


# --- the cases: (url, normal data factory, the form's own field names) built for one actor ---


def budget_entry(ctx):
    return (reverse("disbursements:budget_entry_create"), lambda: {
        "fund_year": 2021, "kind": "original", "amount": "1000.00", "date": "2021-01-05", "note": "年初预算"})


def payment_rule(ctx):
    return (reverse("disbursements:payment_rule_update"), lambda: {
        "fund_year": 2021, "days": 30, "basis": "working", "note": "", "version": 0})


def prepare_tranche(ctx):
    return (reverse("disbursements:commitment_detail", args=[ctx["commitment"].pk]),
            lambda: {"amount": "100.00", "purpose": "首期拨付"})


def cancel_payment(ctx):
    batch = batch_create(actor=ctx["prep"], commitments=[ctx["commitment"]])
    payment = batch.payments.get()
    return (reverse("disbursements:payment_cancel", args=[payment.pk]),
            lambda: {"reason": "企业更换账户", "version": payment.version})


def new_batch(ctx):
    return (reverse("disbursements:batch_new"), lambda: {"commitment": [ctx["commitment"].pk], "note": "三月批次"})


def _batch_action(action, state):
    def build(ctx):
        batch = batch_create(actor=ctx["prep"], commitments=[ctx["commitment"]])
        if state in ("submitted", "approved"):
            batch_submit(actor=ctx["prep"], batch=batch)
        if state == "approved":
            batch_approve(actor=ctx["appr"], batch=batch)
        batch.refresh_from_db()
        key = str(uuid.uuid4())
        return (reverse("disbursements:batch_action", args=[batch.pk, action]),
                lambda: {"idempotency_key": key, "version": batch.version, "reason": "请核对账户"})

    return build


def reconcile(ctx):
    batch = f.sent_batch(ctx["prep"], ctx["appr"], [ctx["commitment"]])
    content = f.xlsx_bytes([f.return_row(batch.payments.get())])
    return (reverse("disbursements:reconciliations"), lambda: {"file": f.upload(content), "batch": batch.pk})


def programme(ctx):
    return (reverse("disbursements:programmes"), lambda: {"year": 2024, "title": "2024年智能化诊断服务"})


def tender(ctx):
    from disbursements.services import programme_create

    item = programme_create(actor=ctx["city"], year=2022)
    provider = ctx["contract"].provider
    return (reverse("disbursements:tender_create", args=[item.pk]), lambda: {
        "provider": provider.pk, "tender_date": "2022-01-15", "contract_amount": "500000.00", "notice_no": "ZB-1",
        "contract_no": "HT-2", "signed_on": "2022-01-20", "notes": "公开招标", "version": item.version})


def target(ctx):
    enterprise = ProfiledEnterpriseFactory()
    return (reverse("disbursements:target_create", args=[ctx["contract"].pk]),
            lambda: {"credit_code": enterprise.credit_code, "selected_on": "2021-02-10"})


def report(ctx):
    item = f.diagnosis_target(ctx["city"], ctx["contract"])
    return (reverse("disbursements:report_create", args=[item.pk]), lambda: {
        "file": f.upload(MINIMAL_PDF, "报告.pdf", "application/pdf"), "received_on": "2021-06-01",
        "version": item.version})


def _with_reports(ctx):
    item = f.diagnosis_target(ctx["city"], ctx["contract"])
    report_upload(actor=ctx["city"], target=item, upload=f.upload(MINIMAL_PDF, "报告.pdf", "application/pdf"))
    ctx["contract"].refresh_from_db()
    return ctx["contract"]


def complete(ctx):
    contract = _with_reports(ctx)
    return (reverse("disbursements:contract_complete", args=[contract.pk]),
            lambda: {"completed_on": "2021-09-20", "version": contract.version})


def accept(ctx):
    contract = _with_reports(ctx)
    contract = contract_complete(actor=ctx["city"], contract=contract)
    return (reverse("disbursements:contract_accept", args=[contract.pk]), lambda: {
        "result": "passed", "notes": "验收合格", "accepted_on": "2021-10-20", "version": contract.version})


CASES = [
    # (name, who posts, builder)
    ("budget_entry_create", "prep", budget_entry),
    ("payment_rule_update", "city", payment_rule),
    ("commitment_detail (prepare a tranche)", "prep", prepare_tranche),
    ("payment_cancel", "prep", cancel_payment),
    ("batch_new", "prep", new_batch),
    ("batch_action submit", "prep", _batch_action("submit", "draft")),
    ("batch_action discard", "prep", _batch_action("discard", "draft")),
    ("batch_action return", "appr", _batch_action("return", "submitted")),
    ("batch_action approve", "appr", _batch_action("approve", "submitted")),
    ("batch_action send", "prep", _batch_action("send", "approved")),
    ("reconciliations (upload)", "prep", reconcile),
    ("programmes (create)", "city", programme),
    ("tender_create", "city", tender),
    ("target_create", "city", target),
    ("report_create", "city", report),
    ("contract_complete", "city", complete),
    ("contract_accept", "city", accept),
]

TIME = (datetime, date)
GENERATED = re.compile(r"(PC\d{8}-\d{4}|[0-9a-f]{32}|sha256=[0-9a-f]{64})")


def _targets(label):
    """{attname: label of the model it points to} for the foreign keys of ``label``."""
    model = apps.get_model(label)
    return {f.attname: f.related_model._meta.label for f in model._meta.concrete_fields if f.is_relation}


def normalise(changes):
    """Changes with what legitimately differs between two identical requests blanked: new primary keys (and
    foreign keys or audit object ids pointing at them), times, generated batch numbers and file names."""
    new = {label: {str(row["pk"]) for row in change["added"]} for label, change in changes.items()}
    models = {ct.pk: ct.model_class()._meta.label for ct in ContentType.objects.all() if ct.model_class()}

    def value(label, row, key, v):
        if isinstance(v, TIME):
            return "<time>"
        target = _targets(label).get(key)
        if key == "object_id" and label == "core.AuditLog":
            target = models.get(row.get("content_type_id"))
        if target and v is not None and str(v) in new.get(target, ()):
            return "<new>"
        if isinstance(v, str | dict | list):
            return GENERATED.sub("<generated>", str(v))
        return v

    out = {}
    for label, change in changes.items():
        added = sorted(repr({k: value(label, row, k, v) for k, v in row.items() if k not in ("pk", "id", "key")})
                       for row in change["added"])
        changed = {pk: {k: (value(label, {}, k, a), value(label, {}, k, b)) for k, (a, b) in fields.items()}
                   for pk, fields in change["changed"].items()}
        out[label] = {"added": added, "removed": change["removed"], "changed": changed}
    return out


def run(client, url, data):
    before = f.snapshot()
    response = client.post(url, data)
    assert response.status_code in (200, 302), (url, response.status_code)
    return response, f.changes(before, f.snapshot())


@pytest.mark.parametrize(("name", "who", "build"), CASES, ids=[c[0] for c in CASES])
def test_extra_fields_are_ignored(client_for, name, who, build):
    city = UserFactory.for_role(Role.CITY)
    ctx = {"prep": f.preparer(), "appr": f.approver(), "city": city, "commitment": f.commitment("5000.00"),
           "contract": f.diagnosis_contract(city)}
    other = Other()
    url, data = build(ctx)
    client = client_for(ctx[who])
    legit = set(data())
    try:
        with transaction.atomic():
            response, intended = run(client, url, data())
            raise Rollback
    except Rollback:
        pass
    assert response.status_code == 302, f"{name}: the normal post did not succeed"
    assert intended and "core.AuditLog" in intended, f"{name}: the normal post changed nothing"
    response, attacked = run(client, url, {**data(), **other.extras(legit)})
    assert response.status_code == 302
    assert normalise(attacked) == normalise(intended)
    # and none of the other objects was touched
    other_batch = PaymentBatch.objects.get(pk=other.batch.pk)
    assert other_batch.status == "draft" and other_batch.version == other.batch.version
    for obj in (other.batch, other.commitment, other.enterprise):
        assert not AuditLog.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk),
                                           actor=ctx[who]).exists()


def test_idempotency_key_of_another_batch_is_refused(client_for):
    """The approve form of batch A replayed against batch B (same key): refused, B unchanged."""
    prep, appr = f.preparer(), f.approver()
    first = batch_create(actor=prep, commitments=[f.commitment("100.00")])
    second = batch_create(actor=prep, commitments=[f.commitment("200.00")])
    for batch in (first, second):
        batch_submit(actor=prep, batch=batch)
        batch.refresh_from_db()
    client = client_for(appr)
    key = str(uuid.uuid4())
    assert client.post(reverse("disbursements:batch_action", args=[first.pk, "approve"]),
                       {"idempotency_key": key, "version": first.version}).status_code == 302
    before = f.snapshot()
    response = client.post(reverse("disbursements:batch_action", args=[second.pk, "approve"]),
                           {"idempotency_key": key, "version": second.version})
    assert response.status_code == 400
    assert f.changes(before, f.snapshot()) == {}
    text = response.content.decode()
    assert "此表单已用于其他操作" in text or "已用于" in text
