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
    counts = (Application.objects.count(), Payment.objects.count())

    call_command("seed_demo", verbosity=0)
    assert (Application.objects.count(), Payment.objects.count()) == counts
    assert budget_figures(2021).paid == Decimal("52013") * WAN
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
