"""The cycle's figures for the dashboards and the evaluation: how many applications of a call wait for, reached
and passed each stage, per county, per fund year. What staff see is read from the kept counts (``tally``): a few
rows whatever the number of applications."""

from collections import Counter

from django.db.models import Count, Q
from django.utils import timezone

from . import tally
from .models import Round
from .selectors import applications_for, published_rounds, staff_scope
from .workflow import Status

# The cycle in order: an application at a later status has passed every earlier stage.
PIPELINE = (Status.SUBMITTED, Status.COUNTY_ACCEPTED, Status.FORWARDED, Status.CITY_ACCEPTED, Status.QUALIFIED,
            Status.UNDER_REVIEW, Status.REVIEWED, Status.AUDITED, Status.IN_PUBLICITY, Status.PUBLICITY_PASSED,
            Status.BUDGET_LISTED, Status.PAID)
# Statuses at which an application waits for a stage, and those that reached it, per stage of the cycle.
STAGE_WAITING = {
    "county": (Status.SUBMITTED, Status.RETURNED, Status.COUNTY_ACCEPTED),
    "qualification": (Status.FORWARDED, Status.CITY_ACCEPTED, Status.RE_REVIEW),
    "review": (Status.QUALIFIED, Status.UNDER_REVIEW),
    "publicity": (Status.AUDITED, Status.IN_PUBLICITY),
    "budget": (Status.PUBLICITY_PASSED,),
    "payment": (Status.BUDGET_LISTED,),
}
STAGE_REACHED = {
    "county": (Status.RETURNED, Status.DECLINED, Status.DISQUALIFIED, Status.RE_REVIEW, *PIPELINE),
    "qualification": (Status.DISQUALIFIED, Status.RE_REVIEW, *PIPELINE[PIPELINE.index(Status.FORWARDED):]),
    "review": PIPELINE[PIPELINE.index(Status.QUALIFIED):],
    "publicity": PIPELINE[PIPELINE.index(Status.AUDITED):],
    "budget": PIPELINE[PIPELINE.index(Status.PUBLICITY_PASSED):],
    "payment": PIPELINE[PIPELINE.index(Status.BUDGET_LISTED):],
}
STAGE_PASSED = {  # reached the stage and went on (the count the stepper names, e.g. 已转报 18/22)
    "county": PIPELINE[PIPELINE.index(Status.FORWARDED):] + (Status.DISQUALIFIED, Status.RE_REVIEW),
    "qualification": (Status.DISQUALIFIED, *PIPELINE[PIPELINE.index(Status.QUALIFIED):]),
    "review": PIPELINE[PIPELINE.index(Status.REVIEWED):],
    "publicity": PIPELINE[PIPELINE.index(Status.PUBLICITY_PASSED):],
    "budget": PIPELINE[PIPELINE.index(Status.BUDGET_LISTED):],
    "payment": (Status.PAID,),
}
AWARDED = STAGE_REACHED["budget"]  # passed the publicity: the award stands
NOT_WITHDRAWN = tuple(s for s in Status if s != Status.WITHDRAWN)  # what counts as applied
FINAL = (Status.DRAFT, Status.WITHDRAWN, Status.DECLINED, Status.DISQUALIFIED, Status.PAID)


def current_calls(now=None):
    """The published calls whose cycle runs now: the newest that has started, and every older one with
    applications still on their way (at most three, newest first)."""
    now = now or timezone.now()
    started = published_rounds().filter(opens_at__lte=now)
    newest = started.values("year")[:1]
    return list(started.filter(Q(pk__in=tally.calls_with(exclude=FINAL)) | Q(year__in=newest))[:3])


def _sums(by_status, aggregates):
    """{name: the sum of ``by_status`` over the statuses of each of ``aggregates`` ({name: statuses})}."""
    return {name: sum(by_status.get(str(status), 0) for status in statuses) for name, statuses in aggregates.items()}


def _stage_statuses():
    statuses = {"submitted": NOT_WITHDRAWN}
    for stage in STAGE_WAITING:
        statuses[f"{stage}_waiting"] = STAGE_WAITING[stage]
        statuses[f"{stage}_reached"] = STAGE_REACHED[stage]
        statuses[f"{stage}_passed"] = STAGE_PASSED[stage]
    return statuses


def cycle_counts(actor, rounds):
    """{round id: {"submitted": n, "<stage>_reached"/"_waiting"/"_passed": n}} for the actor's applications of
    ``rounds``: from the kept counts for staff, in one grouped query for an enterprise."""
    statuses = _stage_statuses()
    staff, county = staff_scope(actor)
    if staff:
        by_round = {r.pk: Counter() for r in rounds}
        for (round_id, status), n in tally.counts(rounds=list(by_round), county=county,
                                                  by=("round_id", "status")).items():
            by_round[round_id][status] = n
        return {pk: _sums(found, statuses) for pk, found in by_round.items()}
    aggregates = {name: Count("id", filter=Q(status__in=chosen)) for name, chosen in statuses.items()}
    rows = (applications_for(actor).filter(round__in=[r.pk for r in rounds], first_submitted_at__isnull=False)
            .values("round_id").annotate(**aggregates).order_by())
    empty = dict.fromkeys(aggregates, 0)
    found = {row.pop("round_id"): row for row in rows}
    return {r.pk: found.get(r.pk, empty) for r in rounds}


def applications_by_county(round_):
    """[(county name, applications submitted and not withdrawn, awards standing)] of a call, every county listed."""
    return _by_county([round_.pk])


def _by_county(rounds):
    return tally.per_county(rounds, applied=NOT_WITHDRAWN, awarded=AWARDED)


# --- figures of a fund year (the evaluation's year-on-year and county comparisons; every county) ----------------


def _rounds_of_year(year):
    return Round.objects.filter(year=year).values("pk")  # read in the same statement as the counts


def applications_by_county_of_year(year):
    """[(county name, applications submitted, awards)] of the call of fund year ``year`` (one call a year), every
    county listed: the counts of ``applications_by_county``."""
    return _by_county(_rounds_of_year(year))


def year_counts(year):
    """{"applied": applications submitted (not withdrawn), "awarded": awards standing} of the call of fund year
    ``year``, every county."""
    return _sums(tally.counts(rounds=_rounds_of_year(year), by=("status",)),
                 {"applied": NOT_WITHDRAWN, "awarded": AWARDED})
