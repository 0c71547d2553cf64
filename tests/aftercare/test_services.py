"""The acceptance services: the report, the inspection and the decision, with their rules and audit rows."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import County
from accounts.roles import Role
from aftercare import services
from aftercare.models import Acceptance
from aftercare.workflow import Action, Status
from core import clock
from core.models import AuditLog
from core.workflow import TransitionNotAllowed
from tests.factories import disbursements as f
from tests.factories.accounts import UserFactory
from tests.factories.applications import enterprise_user, pdf_upload

from .conftest import paid_project

pytestmark = pytest.mark.django_db


def submit(owner, project, **kw):
    values = {"actual_investment": Decimal("26000000.00"), "invoice_amount": Decimal("24500000.50"),
              "equipment_list": "数控机床 VMC850 2台 180万元", "files": [pdf_upload("验收报告.pdf")]}
    values.update(kw)
    return services.report_submit(actor=owner, commitment_id=project.pk, **values)


def inspect(county_user, acceptance, recommendation="pass", **kw):
    values = {"visit_date": clock.today(), "inspectors": "王科长、赵干部", "findings": "设备已安装投产。",
              "recommendation": recommendation, "files": [], "expected_version": acceptance.version}
    values.update(kw)
    return services.inspection_record(actor=county_user, acceptance_id=acceptance.pk, **values)


def test_the_report_opens_the_acceptance_with_the_deadline_from_the_first_payment(project, owner):
    project.application.round.completion_months = 18
    project.application.round.save()
    acceptance = submit(owner, project)
    assert acceptance.status == Status.SUBMITTED
    assert acceptance.completion_due == datetime.date(2022, 9, 30)  # 2021-03-31 + 18 months
    assert acceptance.files.get().original_name == "验收报告.pdf"
    row = AuditLog.objects.get(action="acceptance.submit")
    assert row.actor == owner and row.to_state == Status.SUBMITTED
    assert row.data == {"actual_investment_yuan": "26000000.00", "invoice_yuan": "24500000.50", "files": 1}


def test_report_rules_refuse_missing_or_negative_amounts_and_bad_files(project, owner):
    with pytest.raises(ValidationError) as caught:
        submit(owner, project, actual_investment=Decimal("-1"), invoice_amount=None, equipment_list=" ")
    assert set(caught.value.error_dict) == {"actual_investment", "invoice_amount", "equipment_list"}
    with pytest.raises(ValidationError) as caught:
        submit(owner, project, files=[SimpleUploadedFile("a.pdf", b"MZ\x90\x00 program")])
    assert "files" in caught.value.error_dict
    assert not Acceptance.objects.exists()


def test_another_enterprise_cannot_report_on_the_project(project):
    stranger = enterprise_user(paid_project().application)
    with pytest.raises(TransitionNotAllowed):
        submit(stranger, project)
    assert not Acceptance.objects.exists()


def test_only_the_projects_county_inspects(project, owner, county_user):
    acceptance = submit(owner, project)
    other_county = County.objects.exclude(pk=project.county_id).first()
    other = UserFactory(role=Role.COUNTY, county=other_county)
    with pytest.raises(TransitionNotAllowed):
        inspect(other, acceptance)
    with pytest.raises(ValidationError) as caught:
        inspect(county_user, acceptance, visit_date=clock.today() + datetime.timedelta(days=1))
    assert "visit_date" in caught.value.error_dict
    inspected = inspect(county_user, acceptance, recommendation="rectify")
    assert inspected.status == Status.INSPECTED and inspected.recommendation == "rectify"
    assert AuditLog.objects.get(action="acceptance.inspect").data["recommendation"] == "整改"


def test_the_city_cannot_decide_before_the_inspection(project, owner, city):
    acceptance = submit(owner, project)
    with pytest.raises(TransitionNotAllowed):
        services.decide(actor=city, acceptance_id=acceptance.pk, action=Action.ACCEPT)
    assert Acceptance.objects.get().status == Status.SUBMITTED


def test_rectification_goes_back_to_the_enterprise_and_a_new_report_passes(project, owner, county_user, city):
    acceptance = inspect(county_user, submit(owner, project), recommendation="rectify")
    with pytest.raises(ValidationError) as caught:
        services.decide(actor=city, acceptance_id=acceptance.pk, action=Action.RECTIFY, note="",
                        rectify_by=clock.today())
    assert set(caught.value.error_dict) == {"rectify_by", "note"}
    due = clock.today() + datetime.timedelta(days=60)
    decided = services.decide(actor=city, acceptance_id=acceptance.pk, action=Action.RECTIFY,
                              note="发票与设备清单不符", rectify_by=due, expected_version=acceptance.version)
    assert decided.status == Status.RECTIFYING and decided.rectify_by == due
    again = submit(owner, project, invoice_amount=Decimal("26000000.00"), files=[],
                   expected_version=decided.version)
    assert again.status == Status.SUBMITTED and again.invoice_amount == Decimal("26000000.00")
    accepted = services.decide(actor=city, acceptance_id=inspect(county_user, again).pk, action=Action.ACCEPT)
    assert accepted.status == Status.ACCEPTED and accepted.decided_by == city
    with pytest.raises(TransitionNotAllowed):
        submit(owner, project)


def test_a_clawback_needs_a_reason_and_is_final(project, owner, county_user, city):
    acceptance = inspect(county_user, submit(owner, project), recommendation="fail")
    with pytest.raises(ValidationError):
        services.decide(actor=city, acceptance_id=acceptance.pk, action=Action.CLAWBACK, note=" ")
    decided = services.decide(actor=city, acceptance_id=acceptance.pk, action=Action.CLAWBACK,
                              note="项目未实施，设备未购置")
    assert decided.status == Status.CLAWBACK
    with pytest.raises(TransitionNotAllowed):
        services.decide(actor=city, acceptance_id=acceptance.pk, action=Action.ACCEPT)


def test_a_project_without_a_paid_tranche_has_no_acceptance(owner):
    unpaid = f.commitment("500000.00", application=f.budget_listed_application(enterprise=owner.organisation))
    with pytest.raises(TransitionNotAllowed):
        submit(owner, unpaid)
