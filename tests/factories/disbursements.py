"""Factories and builders for the disbursements tests: commitments, batches through their services, and
bank return files."""

import io
from datetime import date, datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import Workbook

from accounts.roles import Role
from applications.workflow import Status

from .accounts import UserFactory
from .applications import ProfiledEnterpriseFactory, application_in

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RETURN_HEADER = ["序号", "收款人户名", "收款账号", "开户银行", "金额（元）", "用途", "参考号",
                 "状态", "银行流水号", "入账日期", "失败原因"]


def ensure_counties():
    """Transactional tests flush the tables, the counties loaded by migration included: put them back."""
    from accounts.counties import COUNTIES
    from accounts.models import County

    for order, (name, code, abbreviation, kind) in enumerate(COUNTIES, start=1):
        County.objects.get_or_create(name=name, defaults={"division_code": code, "abbreviation": abbreviation,
                                                          "kind": kind, "sort_order": order})


def preparer(**kwargs):
    return UserFactory(role=Role.FINANCE_PREPARER, **kwargs)


def approver(**kwargs):
    return UserFactory(role=Role.FINANCE_APPROVER, **kwargs)


def budget_listed_application(**kwargs):
    kwargs.setdefault("enterprise", ProfiledEnterpriseFactory())
    return application_in(Status.BUDGET_LISTED, **kwargs)


def commitment(amount="1000000.00", *, actor=None, application=None, approved_at=None):
    from disbursements.services import commitment_create_for_application

    application = application or budget_listed_application()
    return commitment_create_for_application(
        actor=actor or approver(), application=application, amount=Decimal(amount),
        approved_at=approved_at or timezone.now())


def sibling(commitment_or_application, amount="1000.00", **kwargs):
    """Another commitment of the same round and category (same fund year)."""
    app = getattr(commitment_or_application, "application", None) or commitment_or_application
    return commitment(amount, application=budget_listed_application(round=app.round, category=app.category),
                      **kwargs)


def approved_batch(prep, appr, commitments):
    from disbursements.services import batch_approve, batch_create, batch_submit

    batch = batch_create(actor=prep, commitments=commitments)
    batch_submit(actor=prep, batch=batch)
    batch_approve(actor=appr, batch=batch)
    batch.refresh_from_db()
    return batch


def sent_batch(prep, appr, commitments):
    from disbursements.services import batch_send

    batch = approved_batch(prep, appr, commitments)
    batch_send(actor=prep, batch=batch)
    batch.refresh_from_db()
    return batch


def xlsx_bytes(rows, header=RETURN_HEADER, title="明细"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def return_row(payment, *, result="成功", bank_ref=None, value_date=None, amount=None, account=None, reason=""):
    """One row of a bank return file for ``payment`` (defaults: paid today, matching amount and account)."""
    return [
        1, payment.payee_name, account if account is not None else payment.payee_account, payment.payee_bank,
        amount if amount is not None else float(payment.amount), payment.purpose, payment.reference, result,
        bank_ref if bank_ref is not None else f"BK{payment.pk:08d}",
        value_date if value_date is not None else datetime.combine(timezone.localdate(), datetime.min.time()),
        reason,
    ]


def upload(content, name="return.xlsx", content_type=XLSX_TYPE):
    return SimpleUploadedFile(name, content, content_type=content_type)


def return_file(rows, name="return.xlsx"):
    return upload(xlsx_bytes(rows), name=name)


def today():
    return date.today()


# --- the adversarial suite (tests/security/test_disbursements_*.py) ---


def credit_code(n):
    from accounts.validators import make_credit_code

    return make_credit_code(f"91410100MA8{n:06d}")


def diagnosis_contract(city, year=2021, amount="1800000.00"):
    """A programme with its tender recorded: the contract (signed) with a solution provider."""
    from disbursements.services import programme_create, provider_create, tender_record

    programme = programme_create(actor=city, year=year)
    provider = provider_create(actor=city, name="郑州智造方案有限公司", credit_code=credit_code(year),
                               bank_name="中国建设银行郑州分行", bank_account_no="41050100000012345678")
    return tender_record(actor=city, programme=programme, provider=provider, tender_date=date(year, 1, 20),
                         contract_amount=amount, contract_no=f"ZZGX-{year}-01")


def diagnosis_target(city, contract, enterprise=None):
    from disbursements.services import target_add

    return target_add(actor=city, contract=contract, enterprise=enterprise or ProfiledEnterpriseFactory(),
                      selected_on=date(contract.programme.year, 2, 10))


SNAPSHOT_MODELS = ("disbursements", "applications.Application", "accounts.Organisation", "core.AuditLog",
                   "aftercare.FollowupReport")  # a paid payment schedules the project's follow-up reports


def snapshot():
    """{model label: {pk: row}} of every disbursements table plus applications, organisations, audit rows and
    follow-up reports: compare two snapshots to prove a request changed only what it should."""
    from django.apps import apps

    models = list(apps.get_app_config("disbursements").get_models())
    models += [apps.get_model(label) for label in SNAPSHOT_MODELS[1:]]
    return {m._meta.label: {row["pk"]: row for row in m.objects.values("pk", *[
        f.attname for f in m._meta.concrete_fields if f.attname not in ("updated_at",)])} for m in models}


def changes(before, after):
    """{label: {"added": [...], "removed": [...], "changed": {pk: {field: (old, new)}}}} of what differs."""
    out = {}
    for label, rows in after.items():
        old = before.get(label, {})
        added = [rows[pk] for pk in rows.keys() - old.keys()]
        removed = sorted(old.keys() - rows.keys())
        changed = {pk: {k: (old[pk][k], v) for k, v in row.items() if old[pk][k] != v}
                   for pk, row in rows.items() if pk in old and row != old[pk]}
        if added or removed or changed:
            out[label] = {"added": added, "removed": removed, "changed": changed}
    return out


def verified_bank_change(organisation, *, account_name=None, bank_name=None, account_no=None, requester=None,
                         verifier=None):
    """The enterprise changes its bank account through its profile and a city user verifies it."""
    from accounts.models import Organisation
    from accounts.selectors import pending_bank_change
    from accounts.services.bank_accounts import bank_change_approve
    from accounts.services.enterprises import enterprise_update_profile

    organisation = Organisation.objects.get(pk=organisation.pk)
    requester = requester or UserFactory(role=Role.ENTERPRISE, organisation=organisation)
    values = {"bank_account_name": account_name or organisation.bank_account_name,
              "bank_name": bank_name or organisation.bank_name,
              "bank_account_no": account_no or organisation.bank_account_no}
    enterprise_update_profile(actor=requester, org=organisation, expected_version=organisation.version, **values)
    change = pending_bank_change(organisation)
    return bank_change_approve(actor=verifier or UserFactory(role=Role.CITY), change=change)


def failed_payment(prep, appr, amount="1000.00", reason="账户已销户", commitment_=None):
    """A payment sent and reported failed by the bank's return file."""
    from disbursements.models import Payment
    from disbursements.services import reconciliation_import

    batch = sent_batch(prep, appr, [commitment_ or commitment(amount)])
    payment = batch.payments.get()
    reconciliation_import(actor=prep, upload=return_file(
        [return_row(payment, result="失败", bank_ref="", value_date="", reason=reason)]))
    return Payment.objects.get(pk=payment.pk)


def paid_commitment(amount="1000000.00", paid="400000.00", paid_on=date(2021, 3, 31), **app_kwargs):
    """A commitment with one paid tranche (test setup: the payment row is written as the bank confirmed it)."""
    from disbursements.models import Payment
    from disbursements.workflow import PaymentStatus

    made = commitment(amount, application=budget_listed_application(**app_kwargs))
    Payment.objects.create(commitment=made, tranche=1, reference=f"T{made.pk:06d}", amount=Decimal(paid),
                           purpose=made.purpose, status=PaymentStatus.PAID, payee_name="测试企业",
                           payee_bank="中国银行", payee_account="6222000011112222", prepared_by=preparer(),
                           approved_by=approver(), paid_on=paid_on, bank_reference=f"B{made.pk}")
    return made
