"""Mid-year monitoring (绩效监控): freeze every indicator against its target on a date, flag the risks."""

import calendar
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.locking import locked_for_edit, save_versioned

from ..constants import NUMERIC_DIRECTIONS, Direction, Period
from ..formatting import number
from ..models import MonitoringEntry, MonitoringSnapshot
from ..results import year_results
from . import keep_in_step, require

EDIT = "evaluation.edit_evaluation"
State = MonitoringEntry.State


def elapsed_share(year, as_of):
    """Share of the calendar year elapsed on ``as_of`` (the 序时进度)."""
    start = date(year, 1, 1)
    days = 366 if calendar.isleap(year) else 365
    return max(Decimal(0), min(Decimal(1), Decimal((as_of - start).days + 1) / Decimal(days)))


def assess(row, year, as_of):
    """(state, expected text, warning) of one indicator result on ``as_of``."""
    ind = row.indicator
    if not row.score.scored:
        return State.NO_DATA, "", _("No data yet: %(reason)s") % {"reason": row.missing_reason}
    if ind.direction == Direction.QUALITATIVE:
        if row.score.met:
            return State.ON_TRACK, "", ""
        return State.AT_RISK, "", _("Judged “%(grade)s”: the year-end target is at risk.") % {
            "grade": row.actual_display}
    if ind.cumulative and ind.direction in NUMERIC_DIRECTIONS and ind.direction != Direction.LTE:
        share = elapsed_share(year.year, as_of)
        expected = (ind.target_value * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        text = number(expected, ind.unit)
        if row.actual < expected:
            return State.AT_RISK, text, _("Behind the time-proportional target %(expected)s (%(share)s%% of the "
                                          "year elapsed).") % {"expected": text,
                                                               "share": number(share * 100)}
        return State.ON_TRACK, text, ""
    if row.score.met:
        return State.ON_TRACK, "", ""
    return State.AT_RISK, "", _("Not meeting the target %(target)s now.") % {"target": ind.target_display}


@transaction.atomic
def snapshot_create(*, actor, year, taken_on, second_half_plan=""):
    require(actor, EDIT)
    if taken_on.year != year.year:
        raise ValidationError(_("The date must lie in %(year)s.") % {"year": year.year})
    period = Period.YEAR if (taken_on.month, taken_on.day) == (12, 31) else Period.HALF
    result = year_results(year, as_of=taken_on, period=period)
    snapshot = MonitoringSnapshot.objects.create(year=year, taken_on=taken_on, second_half_plan=second_half_plan,
                                                 created_by=actor)
    entries = []
    for row in result.rows:
        state, expected, warning = assess(row, year, taken_on)
        entries.append(MonitoringEntry(
            snapshot=snapshot, indicator=row.indicator, number=row.indicator.number, name=row.indicator.name,
            target=row.indicator.target_display[:80], actual=row.actual_display[:80], expected=expected[:80],
            weight=row.indicator.weight, points=row.score.points, state=state, warning=warning[:300]))
    MonitoringEntry.objects.bulk_create(entries)
    audit_record(actor=actor, action="evaluation.monitoring_create", obj=snapshot,
                 data={"at_risk": sum(e.state == State.AT_RISK for e in entries)})
    return snapshot


@transaction.atomic
def snapshot_update_plan(*, actor, snapshot, second_half_plan, version=None):
    require(actor, EDIT)
    locked = locked_for_edit(snapshot, version)
    locked.second_half_plan = second_half_plan
    save_versioned(locked, ["second_half_plan"])
    audit_record(actor=actor, action="evaluation.monitoring_plan", obj=locked)
    return keep_in_step(snapshot, locked, ["second_half_plan"])
