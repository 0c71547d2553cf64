"""The follow-up reports' services: scheduling (idempotent, N years, due dates), the report's validation (missing
and negative figures, the ±50 % explanation), the county's verification and return, each audited."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from aftercare.followup_models import FollowupReport
from aftercare.followup_services import followup_return, followup_schedule, followup_submit, followup_verify
from aftercare.followup_workflow import FollowupStatus, due_date
from core.models import AuditLog, Notification
from core.workflow import TransitionNotAllowed

from .conftest import paid_project

pytestmark = pytest.mark.django_db

BASE = {"base_revenue": Decimal("50000000"), "base_taxes": Decimal("2000000"), "base_jobs": 200,
        "base_energy": Decimal("1000"), "base_output": Decimal("10000000")}
YEAR = {"revenue": Decimal("60000000"), "taxes": Decimal("2400000"), "jobs": 220, "energy": Decimal("1100"),
        "output": Decimal("14000000")}


def schedule(project):
    return followup_schedule(commitment_id=project.pk)


def first(project):
    schedule(project)
    return FollowupReport.objects.filter(commitment=project).order_by("year").first()


def submit(owner, report, explanation="", **figures):
    return followup_submit(actor=owner, report_id=report.pk, figures={**YEAR, **BASE, **figures},
                           explanation=explanation)


def test_scheduling_makes_one_report_per_year_after_the_first_payment_and_is_idempotent(project):
    created = schedule(project)  # paid 2021-03-31, the call's default of 3 years
    assert [(r.year, r.due_on, r.sequence) for r in created] == [
        (2022, datetime.date(2023, 3, 31), 1), (2023, datetime.date(2024, 3, 31), 2),
        (2024, datetime.date(2025, 3, 31), 3)]
    assert created[0].base_year == 2020 and created[1].base_year is None
    assert schedule(project) == [] and FollowupReport.objects.count() == 3
    assert AuditLog.objects.filter(action="followup.schedule").count() == 3
    assert due_date(2030) == datetime.date(2031, 3, 31)


def test_the_command_schedules_the_reports_of_projects_paid_before(project):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("schedule_followups", stdout=out)
    assert "3" in out.getvalue() and FollowupReport.objects.filter(commitment=project).count() == 3
    call_command("schedule_followups", stdout=out)
    assert FollowupReport.objects.count() == 3


def test_the_calls_followup_years_decide_how_many_and_zero_means_none(db):
    project = paid_project()
    call = project.application.round
    call.followup_years = 1
    call.save()
    assert [r.year for r in schedule(project)] == [2022]
    other = paid_project()
    other.application.round.followup_years = 0
    other.application.round.save()
    assert schedule(other) == []


def test_a_paid_payment_schedules_the_reports_through_its_event(db):
    from disbursements.services.payments import payment_mark_paid
    from tests.factories import disbursements as f

    prep, appr = f.preparer(), f.approver()
    made = f.commitment("1000.00", application=f.budget_listed_application())
    payment = f.sent_batch(prep, appr, [made]).payments.get()
    assert not FollowupReport.objects.exists()
    payment_mark_paid(actor=prep, payment=payment, paid_on=datetime.date(2021, 5, 10), bank_reference="BR1")
    assert [r.year for r in FollowupReport.objects.filter(commitment=made)] == [2022, 2023, 2024]
    assert AuditLog.objects.filter(action="followup.schedule", actor=prep).count() == 3


def test_the_first_report_needs_the_base_year_and_refuses_negative_figures(project, owner):
    report = first(project)
    with pytest.raises(ValidationError) as refused:
        followup_submit(actor=owner, report_id=report.pk, figures={**YEAR, "taxes": Decimal("-1")})
    errors = refused.value.message_dict
    assert "base_revenue" in errors and "taxes" in errors and "负" in errors["taxes"][0]
    report.refresh_from_db()
    assert report.status == FollowupStatus.DUE and report.revenue is None


def test_a_change_above_fifty_percent_needs_an_explanation(project, owner):
    report = first(project)
    with pytest.raises(ValidationError) as refused:
        submit(owner, report, revenue=Decimal("80000000"))  # +60 % on the base year
    assert "营业收入" in refused.value.message_dict["explanation"][0]
    done = submit(owner, report, revenue=Decimal("80000000"), explanation="新生产线投产")
    assert done.status == FollowupStatus.SUBMITTED and done.explanation == "新生产线投产"
    row = AuditLog.objects.get(action="followup.submit")
    assert row.data["revenue_yuan"] == "80000000.00" and row.data["large_changes"] == 1


def test_a_later_report_is_compared_with_the_year_before(project, owner, county_user):
    report = first(project)
    submit(owner, report)
    followup_verify(actor=county_user, report_id=report.pk)
    second = FollowupReport.objects.get(commitment=project, year=2023)
    with pytest.raises(ValidationError):  # jobs 220 -> 400 (+82 %)
        followup_submit(actor=owner, report_id=second.pk, figures={**YEAR, "jobs": 400})
    assert followup_submit(actor=owner, report_id=second.pk, figures={**YEAR, "jobs": 300}).status == "submitted"


def test_county_verifies_or_returns_with_a_reason_and_the_enterprise_resubmits(project, owner, county_user):
    report = first(project)
    submit(owner, report)
    assert Notification.objects.filter(recipient=county_user, kind="followup.submit").exists()
    with pytest.raises(ValidationError):
        followup_return(actor=county_user, report_id=report.pk, reason=" ")
    returned = followup_return(actor=county_user, report_id=report.pk, reason="纳税额与完税证明不符")
    assert returned.status == FollowupStatus.RETURNED and returned.return_reason == "纳税额与完税证明不符"
    told = Notification.objects.get(recipient=owner, kind="followup.return")
    assert "纳税额与完税证明不符" in told.body and "退回" in told.subject
    with pytest.raises(TransitionNotAllowed):
        followup_verify(actor=county_user, report_id=report.pk)
    submit(owner, report, taxes=Decimal("2300000"))
    verified = followup_verify(actor=county_user, report_id=report.pk)
    assert verified.status == FollowupStatus.VERIFIED and verified.verified_by == county_user
    assert Notification.objects.filter(recipient=owner, kind="followup.verify").exists()
    assert list(AuditLog.objects.filter(action__in=[
        "followup.submit", "followup.return", "followup.verify"]).order_by("id").values_list("action", flat=True)) == [
        "followup.submit", "followup.return", "followup.submit", "followup.verify"]
    with pytest.raises(TransitionNotAllowed):
        submit(owner, report)


def test_another_enterprise_or_county_cannot_act_on_the_report(project, owner, county_user):
    from accounts.models import County
    from accounts.roles import Role
    from tests.factories.accounts import UserFactory
    from tests.factories.applications import enterprise_user

    report = first(project)
    stranger = enterprise_user(paid_project().application)
    with pytest.raises(TransitionNotAllowed):
        submit(stranger, report)
    submit(owner, report)
    outsider = UserFactory(role=Role.COUNTY, county=County.objects.exclude(pk=project.county_id).first())
    with pytest.raises(TransitionNotAllowed):
        followup_verify(actor=outsider, report_id=report.pk)
