"""The applications app's part of the dashboard: what waits for this user at intake and qualification, where the
current calls stand (the stepper) and applications and awards by county."""

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.charts import pair_chart
from core.dashboard import Cycle, FigurePanel, Stage, Waiting, queue_items, stage_state, waiting_counts

from . import tally
from .figures import applications_by_county, current_calls, cycle_counts
from .models import QualificationDecision
from .selectors import applications_for, open_round, staff_scope
from .workflow import Status

# Stage orders in a call's cycle (other apps add or replace a stage by its order).
NOTICE, WINDOW, COUNTY, QUALIFICATION, REVIEW, AUDIT, PUBLICITY, BUDGET, PAYMENT = range(10, 100, 10)


def _list(status):
    """The list filtered to ``status``, the longest-waiting first."""
    return f"{reverse('applications:list')}?status={status}&sort=submitted"


def _waiting(status, since, deadline=None):
    return Waiting(Q(status=status), since, deadline)


def _re_review_open():
    """Disqualified applications whose enterprise may still ask for the one re-review."""
    decided_again = QualificationDecision.objects.filter(application=OuterRef("pk"), is_re_review=True)
    return Q(status=Status.DISQUALIFIED, re_review_reason="") & ~Q(Exists(decided_again))


def _kept_waiting(user, mine, queues, today=None):
    """``core.dashboard.waiting_counts`` of staff's queues of applications ({key: (status, since, the call's
    deadline field)}), in one statement: how many and how many overdue from the kept counts (``tally``), the
    oldest from the first entry of a partial index of each status (app_waiting_*)."""
    today = today or clock.today()
    staff, county = staff_scope(user)
    if not staff:  # a scope the kept counts do not hold (e.g. a county account without its county): count it
        return waiting_counts(mine, {key: _waiting(status, since, f"round__{deadline}")
                                     for key, (status, since, deadline) in queues.items()}, today)
    oldest = {f"oldest_{key}": Subquery(mine.filter(status=status, **{f"{since}__isnull": False}).order_by(since)
                                        .values(since)[:1]) for key, (status, since, _deadline) in queues.items()}
    rows = tally.counts_by_call(statuses={status for status, _since, _deadline in queues.values()}, county=county,
                                call_fields=sorted({deadline for _status, _since, deadline in queues.values()}),
                                **oldest)
    found = {}
    for key, (status, _since, deadline) in queues.items():
        mine_rows = [row for row in rows if row["status"] == status]
        late = sum(row["n"] for row in mine_rows if row[deadline] and row[deadline] < today)
        found[key] = (sum(row["n"] for row in mine_rows), mine_rows[0][f"oldest_{key}"] if mine_rows else None, late)
    return found


def _queue(user):
    mine = applications_for(user)
    if user.has_perm("applications.list_own_applications"):
        counts = waiting_counts(mine, {
            "returned": _waiting(Status.RETURNED, "county_decided_at", "round__county_deadline"),
            "drafts": Waiting(Q(status=Status.DRAFT, round__closes_at__gt=timezone.now()), "created_at"),
            "re_review": Waiting(_re_review_open(), "qualified_at"),
        })
        return queue_items(counts, [
            ("returned", _("Returned for correction"), _list(Status.RETURNED),
             _("Correct and submit again before the county's deadline")),
            ("drafts", _("Drafts not yet submitted"), _list(Status.DRAFT), _("Submit before the call closes")),
            ("re_review", _("Disqualified: a re-review may be requested"), _list(Status.DISQUALIFIED),
             _("Open the application to ask for the one re-review, with your reasons")),
        ])
    if user.has_perm("applications.intake"):
        counts = _kept_waiting(user, mine, {
            "submitted": (Status.SUBMITTED, "submitted_at", "county_deadline"),
            "accepted": (Status.COUNTY_ACCEPTED, "county_decided_at", "county_deadline"),
        })
        return queue_items(counts, [
            ("submitted", _("Waiting for intake"), _list(Status.SUBMITTED), _("Accept, return or decline")),
            ("accepted", _("Accepted, not yet forwarded"), _list(Status.COUNTY_ACCEPTED),
             _("Rank and forward to the city")),
        ])
    if user.has_perm("applications.accept_centrally"):
        # qualification has no date of its own in the call: it must be done before the expert review
        counts = _kept_waiting(user, mine, {
            "forwarded": (Status.FORWARDED, "forwarded_at", "expert_review_date"),
            "accepted": (Status.CITY_ACCEPTED, "city_accepted_at", "expert_review_date"),
            "re_review": (Status.RE_REVIEW, "updated_at", "expert_review_date"),
        })
        return queue_items(counts, [
            ("forwarded", _("Forwarded by counties"), _list(Status.FORWARDED), _("Waiting for central acceptance")),
            ("accepted", _("Waiting for qualification review"), _list(Status.CITY_ACCEPTED),
             _("Qualify or disqualify, with reasons")),
            ("re_review", _("Re-review requested"), _list(Status.RE_REVIEW), _("Decide the re-review")),
        ])
    return []


def _day(value):
    return f"{value:%Y-%m-%d}" if value else ""


def _moment(value):
    return f"{timezone.localtime(value):%Y-%m-%d}" if value else ""


def _counted(order, label, when, counts, stage, passed_label, deadline):
    total, waiting, passed = counts[f"{stage}_reached"], counts[f"{stage}_waiting"], counts[f"{stage}_passed"]
    return Stage(label, when, stage_state(waiting=waiting, total=total, deadline=deadline), passed, total,
                 passed_label, order=order)


def call_stages(call, counts, now=None):
    """The stages of ``call`` the applications' statuses tell (the audit stage is counted by the review app).
    Qualification has no date of its own in the call: it is late once the expert review's date has passed."""
    now = now or timezone.now()
    if call.notice_date:
        notice = "done" if call.notice_date <= clock.today() else "upcoming"
    else:
        notice = "done" if call.opens_at <= now else "upcoming"
    window = "done" if now >= call.closes_at else "current" if now >= call.opens_at else "upcoming"
    review_by = call.expert_review_date
    stages = [
        Stage(_("Notice issued"), _day(call.notice_date), notice, order=NOTICE),
        Stage(_("Application window"), f"{_moment(call.opens_at)} – {_moment(call.closes_at)}", window,
              counts["submitted"], None, _("applications submitted"), order=WINDOW),
        _counted(COUNTY, _("County forwarding"), _day(call.county_deadline), counts, "county",
                 _("forwarded to the city"), call.county_deadline),
        _counted(QUALIFICATION, _("City qualification"), "", counts, "qualification", _("decided by the city"),
                 review_by),
        _counted(REVIEW, _("Expert review"), _day(review_by), counts, "review", _("reviewed by experts"), review_by),
        Stage(_("Third-party audit"), _day(call.audit_date), order=AUDIT),
        _counted(PUBLICITY, _("Publicity"), _day(call.publicity_date), counts, "publicity", _("passed the publicity"),
                 None),
        _counted(BUDGET, _("Budget listing"), _day(call.budget_listing_date), counts, "budget",
                 _("listed in the budget"), call.budget_listing_date),
        _counted(PAYMENT, _("Payment"), "", counts, "payment", _("paid out"), None),
    ]
    if window != "done":  # while the window is open nothing after it is behind its date yet
        for stage in stages[2:]:
            if stage.state == "late":
                stage.state = "current"
    return stages


def _cycles(user, calls):
    if not (user.has_perm("applications.view_all_applications") or user.has_perm("applications.intake")):
        return []
    counts = cycle_counts(user, calls)
    return [Cycle(key=call.year, title=_("%(year)s annual call") % {"year": call.year},
                  stages=call_stages(call, counts[call.pk]),
                  url=f"{reverse('applications:list')}?round={call.pk}")
            for call in calls]


def _figures(user, calls):
    parts = []
    if user.has_perm("applications.list_own_applications"):
        current = open_round()
        if current is not None:
            closes = timezone.localtime(current.closes_at)
            parts.append(FigurePanel(_("Open call: %(title)s") % {"title": current.title},
                                     _("Apply until %(date)s") % {"date": f"{closes:%Y-%m-%d %H:%M}"},
                                     url=reverse("applications:apply"), link_text=_("Start an application")))
    if calls and user.has_perm("applications.view_all_applications"):
        # while the newest call's window is open, the call before it (if still running) has the awards to show
        call = calls[0] if len(calls) == 1 or calls[0].closes_at <= timezone.now() else calls[1]
        rows = [row for row in applications_by_county(call) if row[1] or row[2]]
        applied, awarded = sum(r[1] for r in rows), sum(r[2] for r in rows)
        title = _("%(year)s applications and awards by county") % {"year": call.year}
        parts.append(FigurePanel(
            title, _("%(applied)d applications, %(awarded)d awards") % {"applied": applied, "awarded": awarded},
            basis=_("Awards: applications that passed the publicity"),
            chart=pair_chart(title, rows, legend=(_("Applications filed"), _("Awards"))) if rows else "",
            url=f"{reverse('applications:list')}?round={call.pk}"))
    return parts


def application_dashboard(user):
    if not user.has_perm("applications.view_applications"):
        return []
    calls = current_calls() if user.has_perm("applications.see_staff_columns") else []
    return [*_queue(user), *_cycles(user, calls), *_figures(user, calls)]
