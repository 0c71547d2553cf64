"""The whole demo (`make run`): every app's part of the 2021 cycle seeds, adds up to the seed document's
figures, and seeding again changes nothing."""

from decimal import Decimal

import pytest
from django.core.management import call_command

WAN = Decimal(10000)


@pytest.mark.django_db
def test_seed_demo_reproduces_the_2021_figures_and_is_idempotent():
    from applications.models import Application
    from disbursements.models import Payment
    from disbursements.selectors import budget_figures
    from evaluation.models import EvaluationYear
    from evaluation.results import year_results

    call_command("seed_demo", verbosity=0)
    from core.models import Notification

    # the seed runs today's calendar reminders: the open 2027 call closes in 30 days, the demo enterprise has a draft
    reminders = Notification.objects.filter(kind="reminder.closes_at", recipient__username="demo_enterprise")
    assert reminders.count() == 1 and "还有 30 天" in reminders.get().subject
    figures = budget_figures(2021)
    assert figures.original == Decimal("58000") * WAN
    assert figures.paid == Decimal("52013") * WAN
    assert figures.committed <= figures.adjusted
    assert (figures.paid / figures.adjusted * 100).quantize(Decimal("0.01")) == Decimal("89.68")
    # 2022: the acceptance of five 2021 projects, one clawback partly refunded (returned funds, never netted)
    from aftercare.models import Acceptance
    from aftercare.selectors import clawback_figures

    assert sorted(Acceptance.objects.values_list("status", flat=True)) == ["accepted"] * 4 + ["clawback"]
    clawed = clawback_figures(2021)
    assert clawed.count == 1 and Decimal(0) < clawed.refunded < clawed.decided
    assert figures.returned == clawed.refunded
    counts = (Application.objects.count(), Payment.objects.count())
    history = cycle_history()


    call_command("seed_demo", verbosity=0)
    assert (Application.objects.count(), Payment.objects.count()) == counts
    assert budget_figures(2021).paid == Decimal("52013") * WAN
    assert cycle_history() == history  # seeding again wrote no history either
    assert reminders.count() == 1  # reminders go out once

    result = year_results(EvaluationYear.objects.get(year=2021))
    budget_row = next(row for row in result.rows if row.indicator.number == 1)
    assert budget_row.score.points == Decimal("8.97")  # 89.68 % of 10 points: the gap the seed's 100 points hid
    assert result.total.points < Decimal("100")
    computed = [row for row in result.rows if row.indicator.number in (1, 3, 7, 9, 10, 11, 12, 13, 15, 16, 19, 24, 26)]
    assert all(row.actual is not None for row in computed), [r.indicator.number for r in computed if r.actual is None]

    # the audit log of the whole cycle names every action (no bare codes on the audit page)
    from core.audit import ACTION_LABELS
    from core.models import AuditLog

    actions = set(AuditLog.objects.values_list("action", flat=True))
    assert len(actions) > 40
    assert not sorted(actions - set(ACTION_LABELS)), sorted(actions - set(ACTION_LABELS))


def cycle_history():
    """The audit rows of the seeded 2021 cycle, checked to carry the cycle's dates: nothing after 2021, and each
    stage after the one before it (notice < submissions < qualification < expert review < publicity < payments).
    Returns the number of rows and notifications of the cycle (for the idempotence check)."""
    import datetime
    from zoneinfo import ZoneInfo

    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Max, Min, Q

    from applications.models import Application, QualificationDecision, Round
    from core.models import AuditLog, Notification

    tz = ZoneInfo("Asia/Shanghai")
    end_of_2021 = datetime.datetime(2022, 1, 1, tzinfo=tz)
    round_ = Round.objects.get(year=2021)
    apps = [str(pk) for pk in Application.objects.filter(round=round_).values_list("pk", flat=True)]
    app_type = ContentType.objects.get_for_model(Application)
    stages = ("panel.", "assignment.", "review.", "award.", "audit.", "publicity.", "objection.", "support_list.",
              "commitment.", "payment.", "batch.", "diagnosis", "payment_rule.")
    # the demo's credit list was published in 2026, long after the cycle: its checks are dated today
    of_apps = AuditLog.objects.filter(content_type=app_type, object_id__in=apps).exclude(action__startswith="credit.")
    cycle = AuditLog.objects.filter(action__regex=r"^(" + "|".join(s.replace(".", r"\.") for s in stages) + ")")
    assert of_apps.filter(action="application.submit").count() > 250  # the applications' own history is there
    for rows in (of_apps, cycle):
        late = list(rows.filter(created_at__gte=end_of_2021).values_list("action", "created_at")[:5])
        assert not late, late

    def span(rows):
        found = rows.aggregate(first=Min("created_at"), last=Max("created_at"))
        assert found["first"] is not None
        return found["first"], found["last"]

    notice = datetime.datetime.combine(round_.notice_date, datetime.time(), tzinfo=tz)
    submissions = span(of_apps.filter(action="application.submit"))
    qualification = span(of_apps.filter(action__in=["application.qualify", "application.disqualify"],
                                        created_at__lt=datetime.datetime(2020, 12, 1, tzinfo=tz)))
    decided = QualificationDecision.objects.filter(application__round=round_).aggregate(first=Min("decided_at"))
    reviews = span(AuditLog.objects.filter(action__in=["panel.open", "panel.close", "assignment.created"]))
    publicity = span(AuditLog.objects.filter(action__startswith="publicity."))
    payments = span(AuditLog.objects.filter(action__in=["payment.prepare", "payment.mark_paid"]))
    assert notice < submissions[0]
    assert submissions[1] < qualification[0] == decided["first"]
    assert qualification[1] < reviews[0]
    assert reviews[1] < publicity[0]
    assert publicity[1] < payments[0] and payments[1] < end_of_2021
    # the notifications those steps sent are dated with them
    late_notes = Notification.objects.filter(Q(link__contains="/reviews/") | Q(link__contains="/disbursements/"),
                                             created_at__gte=end_of_2021)
    assert not late_notes.exists(), list(late_notes.values_list("subject", "created_at")[:5])
    return cycle.count() + of_apps.count(), Notification.objects.filter(created_at__lt=end_of_2021).count()
