"""The cycle's figures for the dashboards and the evaluation: how many applications of a call wait for, reached
and passed each stage, per county, per fund year."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from .models import Application
from .selectors import applications_for, published_rounds, status_counts
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
FINAL = (Status.DRAFT, Status.WITHDRAWN, Status.DECLINED, Status.DISQUALIFIED, Status.PAID)


def current_calls(now=None):
    """The published calls whose cycle runs now: the newest that has started, and every older one with
    applications still on their way (at most three, newest first)."""
    now = now or timezone.now()
    active = Application.objects.filter(round_id=OuterRef("pk")).exclude(status__in=FINAL)
    started = published_rounds().filter(opens_at__lte=now)
    newest = started.values("year")[:1]
    return list(started.filter(Q(Exists(active)) | Q(year__in=newest))[:3])


def cycle_counts(actor, rounds):
    """{round id: {"submitted": n, "<stage>_reached"/"_waiting"/"_passed": n}} for the actor's applications of
    ``rounds``, in one grouped query."""
    aggregates = {"submitted": Count("id", filter=~Q(status=Status.WITHDRAWN))}
    for stage in STAGE_WAITING:
        aggregates[f"{stage}_waiting"] = Count("id", filter=Q(status__in=STAGE_WAITING[stage]))
        aggregates[f"{stage}_reached"] = Count("id", filter=Q(status__in=STAGE_REACHED[stage]))
        aggregates[f"{stage}_passed"] = Count("id", filter=Q(status__in=STAGE_PASSED[stage]))
    rows = (applications_for(actor).filter(round__in=[r.pk for r in rounds], first_submitted_at__isnull=False)
            .values("round_id").annotate(**aggregates).order_by())
    empty = dict.fromkeys(aggregates, 0)
    found = {row.pop("round_id"): row for row in rows}
    return {r.pk: found.get(r.pk, empty) for r in rounds}


def applications_by_county(round_):
    """[(county name, applications submitted, awards)] of a call, every county listed, in one query."""
    return _by_county(Q(applications__round=round_))


def _by_county(of_call):
    from accounts.models import County

    return list(County.objects.order_by("sort_order", "id").annotate(
        applied=Count("applications", filter=of_call & Q(applications__first_submitted_at__isnull=False)
                      & ~Q(applications__status=Status.WITHDRAWN)),
        awarded=Count("applications", filter=of_call & Q(applications__status__in=AWARDED)),
    ).values_list("name", "applied", "awarded"))


# --- figures of a fund year (the evaluation's year-on-year and county comparisons; every county) ----------------


def applications_by_county_of_year(year):
    """[(county name, applications submitted, awards)] of the call of fund year ``year`` (one call a year), every
    county listed, in one query: the counts of ``applications_by_county``."""
    return _by_county(Q(applications__round__year=year))


def year_counts(year):
    """{"applied": applications submitted (not withdrawn), "awarded": awards standing} of the call of fund year
    ``year``, every county, from ``status_counts`` (one query)."""
    counts = status_counts(Application.objects.filter(round__year=year, first_submitted_at__isnull=False))
    return {"applied": sum(n for status, n in counts.items() if status != Status.WITHDRAWN),
            "awarded": sum(counts[str(status)] for status in AWARDED)}
