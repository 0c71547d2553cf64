"""The diagnosis-service programme: tender -> targets -> reports -> completion -> acceptance -> fee paid."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.roles import OrganisationKind, Role
from core.models import AuditLog
from core.workflow import TransitionNotAllowed
from disbursements.models import Commitment, DiagnosisTarget
from disbursements.services import (
    contract_accept,
    contract_complete,
    programme_create,
    provider_create,
    reconciliation_import,
    report_upload,
    target_add,
    tender_record,
)
from disbursements.timeline import programme_timeline
from disbursements.workflow import ContractStatus, PaymentStatus
from tests.factories import UserFactory
from tests.factories import disbursements as f
from tests.factories.applications import MINIMAL_PDF, ProfiledEnterpriseFactory, office_zip

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    return UserFactory.for_role(Role.CITY)


@pytest.fixture
def contract(city):
    programme = programme_create(actor=city, year=2021)
    provider = provider_create(actor=city, name="郑州智造方案有限公司", credit_code=_code(1),
                               bank_name="中国建设银行郑州分行", bank_account_no="41050100000012345678")
    return tender_record(actor=city, programme=programme, provider=provider, tender_date=date(2021, 1, 20),
                         contract_amount="1800000.00", contract_no="ZZGX-2021-01")


def _code(n):
    from accounts.validators import make_credit_code

    return make_credit_code(f"91410100MA9{n:06d}")


def _states(contract, today):
    contract.refresh_from_db()
    targets = list(DiagnosisTarget.objects.filter(contract=contract))
    return [s.state for s in programme_timeline(contract.programme, [contract], targets, today)]


def test_full_flow_to_the_fee_paid(city, contract, prep, appr):
    programme = contract.programme
    assert programme.selection_by == date(2021, 2, 28) and programme.acceptance_by == date(2021, 10, 31)
    a, b = ProfiledEnterpriseFactory(), ProfiledEnterpriseFactory()
    ta = target_add(actor=city, contract=contract, enterprise=a, selected_on=date(2021, 2, 10))
    tb = target_add(actor=city, contract=contract, enterprise=b, selected_on=date(2021, 2, 20))
    with pytest.raises(ValidationError):
        target_add(actor=city, contract=contract, enterprise=a)  # once per programme
    with pytest.raises(ValidationError) as info:
        contract_complete(actor=city, contract=contract)
    assert info.value.code == "missing"
    assert _states(contract, date(2021, 8, 15))[:3] == ["done", "done", "overdue"]
    report_upload(actor=city, target=ta, upload=f.upload(MINIMAL_PDF, "报告.pdf", "application/pdf"),
                  received_on=date(2021, 6, 1))
    report_upload(actor=city, target=tb, upload=f.upload(office_zip("docx"), "报告.docx"),
                  received_on=date(2021, 7, 30))
    tb.refresh_from_db()
    assert tb.report_type == "docx" and tb.report_name == "报告.docx" and len(tb.report_sha256) == 64
    contract_complete(actor=city, contract=contract, completed_on=date(2021, 9, 20))
    with pytest.raises(ValidationError):
        contract_accept(actor=city, contract=contract, result="passed", notes=" ")
    contract_accept(actor=city, contract=contract, result="failed", notes="报告深度不足",
                    accepted_on=date(2021, 10, 10))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACCEPTANCE_FAILED and not Commitment.objects.exists()
    contract_complete(actor=city, contract=contract, completed_on=date(2021, 10, 20))
    contract_accept(actor=city, contract=contract, result="passed", notes="通过验收", accepted_on=date(2021, 10, 28))
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACCEPTED and contract.accepted_by == city
    commitment = Commitment.objects.get(contract=contract)
    assert commitment.payee == contract.provider and commitment.approved_amount == Decimal("1800000.00")
    assert commitment.fund_year == 2021 and commitment.application is None
    assert _states(contract, date(2021, 11, 1)) == ["done", "done", "done", "late", "done", "upcoming"]
    # the fee goes the same way as every award: batch, four eyes, bank, reconciliation
    batch = f.sent_batch(prep, appr, [commitment])
    payment = batch.payments.get()
    assert payment.payee_account == "41050100000012345678"
    reconciliation_import(actor=prep, upload=f.return_file([f.return_row(payment)]))
    payment.refresh_from_db()
    contract.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and contract.status == ContractStatus.PAID
    assert AuditLog.objects.filter(action="diagnosis_contract.pay", object_id=str(contract.pk)).exists()


@pytest.mark.parametrize(("content", "name"), [
    (b"MZ\x90\x00 executable", "report.pdf"),
    (b"<html><script>alert(1)</script></html>", "report.pdf"),
    (office_zip("xlsx"), "report.docx"),
    (b"", "empty.pdf"),
])
def test_reports_are_checked_by_content(city, contract, content, name):
    target = target_add(actor=city, contract=contract, enterprise=ProfiledEnterpriseFactory())
    with pytest.raises(ValidationError):
        report_upload(actor=city, target=target, upload=f.upload(content, name, "application/pdf"))
    target.refresh_from_db()
    assert not target.report


def test_only_city_staff_run_it(contract):
    for role in (Role.ENTERPRISE, Role.COUNTY, Role.FINANCE_PREPARER, Role.OFFICIAL):
        with pytest.raises(TransitionNotAllowed):
            target_add(actor=UserFactory.for_role(role), contract=contract, enterprise=ProfiledEnterpriseFactory())
    assert not DiagnosisTarget.objects.exists()


def test_winner_must_be_a_solution_provider(city, contract):
    enterprise = ProfiledEnterpriseFactory()
    with pytest.raises(ValidationError):
        tender_record(actor=city, programme=contract.programme, provider=enterprise, tender_date=date(2021, 1, 5),
                      contract_amount="1.00")
    assert enterprise.kind == OrganisationKind.ENTERPRISE


def test_timeline_overdue_before_anything_happens(city):
    programme = programme_create(actor=city, year=2021)
    states = [s.state for s in programme_timeline(programme, [], [], date(2021, 3, 1))]
    assert states == ["overdue", "overdue", "upcoming", "upcoming", "upcoming", "upcoming"]
    states = [s.state for s in programme_timeline(programme, [], [], date(2021, 1, 25))]
    assert states[:2] == ["due", "upcoming"]


def test_tender_record_for_records_a_new_provider_with_the_tender(city):
    from disbursements.models import DiagnosisContract
    from disbursements.services import programme_create, tender_record_for

    programme = programme_create(actor=city, year=2022)
    contract = tender_record_for(
        actor=city, programme=programme, new_provider={"name": "新方案商有限公司", "credit_code": _code(7),
                                                       "bank_name": "中国银行", "bank_account_no": "6222000011112222"},
        tender_date=date(programme.year, 3, 1), contract_amount=Decimal("300000.00"), version=programme.version)
    assert contract.provider.name == "新方案商有限公司" and contract.provider.kind == OrganisationKind.SOLUTION_PROVIDER
    assert DiagnosisContract.objects.filter(pk=contract.pk).exists()
    assert AuditLog.objects.filter(action="diagnosis.provider_create", actor=city).count() == 1


def test_a_refused_tender_leaves_no_new_provider_behind(city):
    from accounts.models import Organisation
    from disbursements.services import programme_create, tender_record_for

    programme = programme_create(actor=city, year=2022)
    with pytest.raises(ValidationError) as caught:
        tender_record_for(
            actor=city, programme=programme, new_provider={"name": "不该留下的方案商", "credit_code": _code(8),
                                                           "bank_name": "", "bank_account_no": ""},
            tender_date=date(programme.year - 1, 3, 1), contract_amount=Decimal("300000.00"),
            version=programme.version)
    assert str(programme.year) in caught.value.messages[0]
    assert not Organisation.objects.filter(name="不该留下的方案商").exists()
    assert not AuditLog.objects.filter(action="diagnosis.provider_create").exists()
