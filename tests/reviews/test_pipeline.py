"""The review stage end to end at service level: close → results and awards → audit → publicity with
objections over the National Day week → support list → approval (payable through disbursements)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from applications.workflow import Status
from core.audit_notes import render_note
from core.models import AuditLog
from core.workflow import TransitionNotAllowed
from reviews.aggregation import Method
from reviews.models import Assignment, Audit, AwardProposal, Objection, PublicityEntry, ReviewResult, Score
from reviews.services import payable
from reviews.services.audits import audit_assign, audit_save, audit_submit
from reviews.services.common import ReviewError, config_for
from reviews.services.panels import panel_close
from reviews.services.publicity import (
    objection_file,
    objection_handle,
    publicity_close,
    publicity_create,
    publicity_publish,
)
from reviews.services.results import award_adjust, award_adjust_confirm, award_scale
from reviews.services.scoring import score_save
from reviews.services.support import support_list_approve, support_list_create, support_list_submit
from reviews.signals import support_entry_approved
from reviews.workflow import ScoreStatus
from tests.factories import UserFactory
from tests.factories.applications import MINIMAL_PDF
from tests.factories.reviews import auditor_firm, auditor_user, panel_with, points_for

pytestmark = pytest.mark.django_db
NATIONAL_DAY_EVE = datetime.date(2021, 9, 30)


def score_all(panel, fractions):
    """Submit scores: fractions[app_index][expert_index] of the maximum."""
    for assignment in Assignment.objects.filter(panel=panel).select_related("expert__user").order_by(
            "application_id", "expert_id"):
        apps = sorted({a.application_id for a in Assignment.objects.filter(panel=panel)})
        experts = sorted(Assignment.objects.filter(application_id=assignment.application_id)
                         .values_list("expert_id", flat=True))
        fraction = fractions[apps.index(assignment.application_id)][experts.index(assignment.expert_id)]
        score_save(actor=assignment.expert.user, assignment=assignment, points=points_for(panel, fraction),
                   comment="意见", submit=True)


@pytest.fixture
def reviewed(opened, city):
    """Three applications reviewed by five experts each (trimmed mean), ranked, with award proposals."""
    panel, members, apps = panel_with(experts=5, applications=3)
    config = config_for(panel.round)
    config.aggregation_method = Method.TRIMMED_MEAN
    config.outlier_distance = Decimal("20")
    config.save()
    panel = opened(panel, per_application=5)
    score_all(panel, [
        [Decimal("0.8"), Decimal("0.9"), Decimal("0.7"), Decimal("0.6"), Decimal("1")],   # trimmed mean 80
        [Decimal("0.9"), Decimal("0.9"), Decimal("0.9"), Decimal("0.9"), Decimal("0.3")],  # 90, one outlier
        [Decimal("0.7"), Decimal("0.7"), Decimal("0.7"), Decimal("0.7"), Decimal("0.7")],  # 70
    ])
    panel_close(actor=city, panel=panel)
    for app in apps:
        app.refresh_from_db()
    return panel, apps


def test_closing_ranks_flags_outliers_and_proposes_awards(reviewed):
    panel, apps = reviewed
    results = {r.application_id: r for r in ReviewResult.objects.filter(panel=panel)}
    assert [results[a.pk].aggregate for a in apps] == [Decimal("80.00"), Decimal("90.00"), Decimal("70.00")]
    assert [results[a.pk].rank for a in apps] == [2, 1, 3]
    assert results[apps[1].pk].outlier_count == 1
    assert Score.objects.filter(is_outlier=True).count() == 1
    assert all(a.status == Status.REVIEWED for a in apps)
    proposal = AwardProposal.objects.get(application=apps[0])
    # the factory rule: 10% of the equipment investment (20,000,000), capped at 5,000,000
    assert proposal.base_amount == Decimal("20000000.00")
    assert proposal.computed_amount == Decimal("2000000.00") == proposal.final_amount
    row = AuditLog.objects.get(action="award.computed", object_id=str(apps[0].pk),
                               data__base_yuan="20000000.00", data__award_yuan="2000000.00")
    with translation.override("zh-hans"):
        assert render_note(row).startswith("2,000.00 万元 × 10.00%")  # the note reads in 万元


def test_scaling_and_adjustment(reviewed, city):
    panel, apps = reviewed
    count, needed = award_scale(actor=city, round_=panel.round, category=panel.category, budget=Decimal("3000000"))
    assert (count, needed) == (3, True)
    proposals = AwardProposal.objects.filter(application__in=apps)
    assert sum(p.final_amount for p in proposals) == Decimal("3000000.00")
    assert all(p.final_amount == Decimal("1000000.00") for p in proposals)
    proposal = proposals.get(application=apps[2])
    with pytest.raises(ReviewError):
        award_adjust(actor=city, proposal=proposal, amount=Decimal("100"), reason="")
    with pytest.raises(ReviewError):
        award_adjust(actor=city, proposal=proposal, amount=Decimal("9000000"), reason="超过规则上限")
    proposal = award_adjust(actor=city, proposal=proposal, amount=Decimal("500000"), reason="部分设备与往年重复")
    assert proposal.final_amount == Decimal("1000000.00") and proposal.pending_amount == Decimal("500000.00")
    with pytest.raises(ReviewError) as own:  # four eyes: the proposer cannot confirm
        award_adjust_confirm(actor=city, proposal=proposal, expected_version=proposal.version)
    assert "其他人员确认" in str(own.value)
    colleague = UserFactory(role=Role.CITY)
    proposal = award_adjust_confirm(actor=colleague, proposal=proposal, expected_version=proposal.version)
    assert proposal.final_amount == Decimal("500000.00") and proposal.source == "adjusted"
    assert proposal.adjusted_by == city and proposal.adjustment_confirmed_by == colleague
    assert not proposal.adjustment_pending
    # scaling again keeps the adjustment and shares the rest
    award_scale(actor=city, round_=panel.round, category=panel.category, budget=Decimal("3000000"))
    assert sum(p.final_amount for p in AwardProposal.objects.filter(application__in=apps)) == Decimal("3000000.00")


def _audit(app, auditor, investment, amount):
    audit = Audit.objects.get(application=app)
    report = SimpleUploadedFile("审计报告.pdf", MINIMAL_PDF, content_type="application/pdf")
    audit_save(actor=auditor, audit=audit, audited_investment=investment, audited_amount=amount,
               opinion="经审定", report=report)
    return audit_submit(actor=auditor, audit=audit)


def test_audit_recomputes_the_award_and_only_the_firm_enters(reviewed, city):
    _panel, apps = reviewed
    firm, other = auditor_firm("甲会计师事务所"), auditor_firm("乙会计师事务所")
    auditor = auditor_user(firm)
    audit_assign(actor=city, applications=apps, firm=firm)
    stranger = auditor_user(other)
    audit = Audit.objects.get(application=apps[0])
    with pytest.raises(TransitionNotAllowed):
        audit_save(actor=stranger, audit=audit, audited_investment=Decimal("1"), audited_amount=Decimal("1"))
    with pytest.raises(ReviewError) as err:
        audit_submit(actor=auditor, audit=audit)
    assert err.value.code == "incomplete"
    with pytest.raises(ReviewError) as err:
        audit_save(actor=auditor, audit=audit, report=SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>"))
    assert "report" in err.value.error_dict

    _audit(apps[0], auditor, Decimal("15000000"), Decimal("1600000"))
    apps[0].refresh_from_db()
    assert apps[0].status == Status.AUDITED
    proposal = AwardProposal.objects.get(application=apps[0])
    assert proposal.audited_computed_amount == Decimal("1500000.00")  # 10% of the audited 15,000,000
    assert proposal.audited_amount == Decimal("1500000.00")  # lower of the recomputed and the auditor's amount
    assert proposal.final_amount == Decimal("1500000.00") and proposal.source == "audited"
    with pytest.raises(ReviewError):
        audit_save(actor=auditor, audit=Audit.objects.get(application=apps[0]), audited_investment=Decimal("1"))


def test_publicity_over_national_day_objections_and_support_list(reviewed, city, monkeypatch):
    panel, apps = reviewed
    firm = auditor_firm()
    auditor = auditor_user(firm)
    audit_assign(actor=city, applications=apps, firm=firm)
    for app in apps:
        _audit(app, auditor, Decimal("20000000"), Decimal("2000000"))

    publicity = publicity_create(actor=city, round_=panel.round)
    publicity = publicity_publish(actor=city, publicity=publicity, today=NATIONAL_DAY_EVE)
    # 1-7 October are holidays; Friday 8 and Saturday 9 October 2021 are working days
    assert publicity.ends_on == datetime.date(2021, 10, 13)
    entries = {e.application_id: e for e in PublicityEntry.objects.filter(publicity=publicity)}
    assert entries[apps[1].pk].number == 1  # rank 1 first
    assert entries[apps[0].pk].amount == Decimal("2000000.00")
    assert all(a.status == Status.IN_PUBLICITY for a in type(apps[0]).objects.filter(pk__in=[x.pk for x in apps]))

    during = datetime.date(2021, 10, 5)
    upheld = objection_file(publicity=publicity, entry=entries[apps[2].pk], name="王五", contact="13900000000",
                            text="该项目设备已获省级补助", today=during)
    general = objection_file(publicity=publicity, name="赵六", contact="zl@example.cn", text="公示期太短", today=during)
    with pytest.raises(ReviewError):
        objection_file(publicity=publicity, name="", contact="x", text="y", today=during)
    with pytest.raises(ReviewError):
        objection_file(publicity=publicity, name="迟到", contact="x", text="y", today=datetime.date(2021, 10, 14))
    assert city.notifications.filter(subject__contains=publicity.title).count() == 2

    with pytest.raises(ReviewError):  # the period runs until 13 October
        publicity_close(actor=city, publicity=publicity, today=datetime.date(2021, 10, 13))
    with pytest.raises(ReviewError):  # objections not handled
        publicity_close(actor=city, publicity=publicity, today=datetime.date(2021, 10, 14))
    with pytest.raises(ReviewError):
        objection_handle(actor=city, objection=upheld, upheld=True, note="")
    objection_handle(actor=city, objection=upheld, upheld=True, note="经核实已获省级同类补助，取消本次奖补")
    objection_handle(actor=city, objection=general, upheld=False, note="公示期符合规定")
    publicity_close(actor=city, publicity=publicity, today=datetime.date(2021, 10, 14))

    for app in apps:
        app.refresh_from_db()
    assert [a.status for a in apps] == [Status.PUBLICITY_PASSED, Status.PUBLICITY_PASSED, Status.DISQUALIFIED]
    assert AuditLog.objects.filter(action="application.disqualify", object_id=str(apps[2].pk),
                                   note__contains="省级同类补助").exists()
    assert Objection.objects.get(pk=upheld.pk).handled_by == city

    support_list = support_list_create(actor=city, round_=panel.round)
    assert support_list.entries.count() == 2
    support_list_submit(actor=city, support_list=support_list)
    approver = UserFactory(role=Role.FINANCE_APPROVER)
    with pytest.raises(TransitionNotAllowed):
        support_list_approve(actor=UserFactory(role=Role.FINANCE_PREPARER), support_list=support_list)

    made = []
    monkeypatch.setattr(support_entry_approved, "receivers", [])  # reviews alone: a recording receiver

    def record(sender, **kwargs):
        made.append(kwargs)

    support_entry_approved.connect(record, weak=False)
    support_list_approve(actor=approver, support_list=support_list)
    for app in apps[:2]:
        app.refresh_from_db()
        assert app.status == Status.BUDGET_LISTED
    assert sorted(m["amount"] for m in made) == [Decimal("2000000.00"), Decimal("2000000.00")]
    assert {m["application"].pk for m in made} == {apps[0].pk, apps[1].pk}
    assert all(m["actor"] == approver for m in made)


def test_approval_is_refused_without_the_payment_module(reviewed, city, monkeypatch):
    _panel, apps = reviewed
    for app in apps:
        type(app).objects.filter(pk=app.pk).update(status=Status.PUBLICITY_PASSED)
    support_list = support_list_create(actor=city, round_=apps[0].round)
    support_list_submit(actor=city, support_list=support_list)
    monkeypatch.setattr(support_entry_approved, "receivers", [])  # no receiver connected: no payment module
    with pytest.raises(payable.PayablesUnavailable):
        support_list_approve(actor=UserFactory(role=Role.FINANCE_APPROVER), support_list=support_list)
    support_list.refresh_from_db()
    assert support_list.status == "submitted"
    apps[0].refresh_from_db()
    assert apps[0].status == Status.PUBLICITY_PASSED


def test_panel_cannot_close_with_missing_scores(opened, city):
    panel, members, apps = panel_with(experts=3, applications=1)
    panel = opened(panel, per_application=3)
    assignment = Assignment.objects.filter(panel=panel).first()
    score_save(actor=assignment.expert.user, assignment=assignment, points=points_for(panel), submit=True)
    with pytest.raises(ReviewError) as err:
        panel_close(actor=city, panel=panel)
    assert "2" in str(err.value)
    assert Score.objects.filter(status=ScoreStatus.SUBMITTED).count() == 1
    panel.refresh_from_db()
    assert panel.status == "open"


def test_city_staff_are_reminded_to_close_a_publicity_once_its_period_is_over(city):
    from applications.reminders import send_reminders
    from reviews.models import Publicity
    from tests.factories.applications import RoundFactory

    day = datetime.date(2021, 10, 8)
    published = Publicity.objects.create(round=RoundFactory(reminder_days="0"), title="已到期公示", starts_on=day,
                                         working_days=5, ends_on=datetime.date(2021, 10, 14), status="published")
    Publicity.objects.create(round=RoundFactory(reminder_days="0"), title="草稿公示", starts_on=day, working_days=5,
                             ends_on=datetime.date(2021, 10, 14), status="draft")
    assert send_reminders(datetime.date(2021, 10, 14)) == 0  # still in its period
    assert send_reminders(datetime.date(2021, 10, 15)) == 1
    assert send_reminders(datetime.date(2021, 10, 15)) == 0  # once
    note = city.notifications.get(kind="reminder.publicity_close")
    assert "公示期已结束" in note.subject and published.round.title in note.subject
    assert note.link == reverse("reviews:publicity_detail", args=[published.pk])



def test_an_adjustment_can_be_refused_and_a_removal_needs_confirmation_too(reviewed, city):
    from reviews.services.results import award_adjust_discard

    panel, apps = reviewed
    award_scale(actor=city, round_=panel.round, category=panel.category, budget=Decimal("3000000"))
    proposal = AwardProposal.objects.get(application=apps[0])
    colleague = UserFactory(role=Role.CITY)
    with pytest.raises(ReviewError):  # nothing to remove yet
        award_adjust(actor=city, proposal=proposal, amount=None, reason="撤销调整")
    with pytest.raises(ReviewError):  # nothing waiting
        award_adjust_confirm(actor=colleague, proposal=proposal)
    proposal = award_adjust(actor=city, proposal=proposal, amount=Decimal("400000"), reason="设备重复")
    with pytest.raises(ReviewError):  # a refusal needs its reason
        award_adjust_discard(actor=colleague, proposal=proposal, reason=" ")
    proposal = award_adjust_discard(actor=colleague, proposal=proposal, reason="依据不足")
    assert proposal.final_amount == Decimal("1000000.00") and not proposal.adjustment_pending
    assert AuditLog.objects.filter(action="award.adjust_discarded", note="依据不足", actor=colleague).exists()
    proposal = award_adjust(actor=city, proposal=proposal, amount=Decimal("400000"), reason="设备重复")
    proposal = award_adjust_confirm(actor=colleague, proposal=proposal)
    proposal = award_adjust(actor=colleague, proposal=proposal, amount=None, reason="复核后撤销")
    assert proposal.final_amount == Decimal("400000.00")  # the removal waits too
    proposal = award_adjust_confirm(actor=city, proposal=proposal)
    assert proposal.adjusted_amount is None and proposal.final_amount == Decimal("1000000.00")


def test_the_database_refuses_an_adjustment_confirmed_by_its_proposer(reviewed, city):
    from django.db import IntegrityError, transaction

    panel, apps = reviewed
    proposal = AwardProposal.objects.get(application=apps[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardProposal.objects.filter(pk=proposal.pk).update(adjusted_amount=1, adjusted_by=city,
                                                            adjustment_confirmed_by=city)
