"""Calendar reminders: for every published call and every deadline of its cycle, N days ahead (the call's
reminder setting, e.g. "7,3,1"), the users who still have work for that deadline get one notification.

Deadlines are registered here (the call's own dates) and by the later stages (``reviews`` adds the end of a
publicity period); each stage registers who still has work for a deadline with ``@recipients(key)``: a function
``fn(call) -> {user: link}``. ``send_reminders(today)`` sends each (user, call, deadline, date, N) once: the
``ReminderSent`` log has a unique constraint, so a rerun on the same day (a retried task, the command run by
hand after the beat) sends nothing twice.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import clock
from core.notifications import notify

from .models import ReminderSent, Round

log = logging.getLogger(__name__)


@dataclass
class Deadline:
    key: str
    label: object  # lazy text: what is due ("Applications close")
    date_of: object  # fn(call) -> date or None
    work: object  # lazy text: what the reminded user still has to do
    finders: list = field(default_factory=list)
    # a deadline that differs per item of the call (a funded project's completion date): date_of(call) returns
    # every such date and each finder is called as fn(call, due) for one of them
    per_item: bool = False


DEADLINES = {}


def register_deadline(key, label, date_of, work, *, per_item=False):
    """``per_item``: ``date_of(call)`` returns the set of dates of the call's items, and the ``@recipients``
    functions take ``(call, due)``: who still has work for the items due that day."""
    DEADLINES[key] = Deadline(key, label, date_of, work, per_item=per_item)


def recipients(key):
    """Register ``fn(call) -> {user: link}``: who still has work for deadline ``key`` of a call."""
    def decorate(fn):
        DEADLINES[key].finders.append(fn)
        return fn

    return decorate


def _field(name):
    def date_of(call):
        value = getattr(call, name)
        if isinstance(value, datetime.datetime):
            return timezone.localdate(value)
        return value

    return date_of


register_deadline("closes_at", _("Applications close"), _field("closes_at"),
                  _("Your application is not submitted yet. A draft is not an application: check it and submit it "
                    "before the deadline."))
register_deadline("county_deadline", _("Counties forward by"), _field("county_deadline"),
                  _("Applications of your county are still waiting to be accepted or forwarded to the city."))
register_deadline("expert_review_date", _("Expert review by"), _field("expert_review_date"),
                  _("You still have applications to score: submit your scores before the deadline."))
register_deadline("audit_date", _("Third-party audit by"), _field("audit_date"),
                  _("Audits given to your firm are not submitted yet."))
register_deadline("publicity_date", _("Publicity from"), _field("publicity_date"),
                  _("The publicity of this call's award list is not published yet."))
register_deadline("budget_listing_date", _("Listed in the budget by"), _field("budget_listing_date"),
                  _("The support list of this call is not approved yet."))
register_deadline("payment_deadline", _("Awards paid by"), _field("payment_deadline"),
                  _("Awards of this call are not fully paid yet."))


def _subject(call, deadline, due, days):
    if days == 0:
        return _("Reminder: %(deadline)s today (%(date)s), %(call)s") % {
            "deadline": deadline.label, "date": f"{due:%Y-%m-%d}", "call": call.title}
    return _("Reminder: %(deadline)s on %(date)s, in %(days)s days, %(call)s") % {
        "deadline": deadline.label, "date": f"{due:%Y-%m-%d}", "days": days, "call": call.title}


def _who(call, deadline, due=None):
    found = {}
    for finder in deadline.finders:
        for user, link in (finder(call, due) if deadline.per_item else finder(call)).items():
            if user.is_active:
                found.setdefault(user, link)
    return found


def send_reminders(today=None):
    """Send the reminders due on ``today`` (default: today). Returns the number of notifications sent."""
    today = today or clock.today()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for call in Round.objects.filter(is_published=True).order_by("year"):
            days_before = set(call.reminder_day_list())
            for deadline in DEADLINES.values():
                dues = deadline.date_of(call) if deadline.per_item else [deadline.date_of(call)]
                for due in sorted(d for d in dues if d is not None):
                    days = (due - today).days
                    if days not in days_before:
                        continue
                    for user, link in _who(call, deadline, due).items():
                        sent += _send_once(call, deadline, due, days, user, link)
    return sent


def _send_once(call, deadline, due, days, user, link):
    try:
        with transaction.atomic():
            ReminderSent.objects.create(user=user, call=call, deadline=deadline.key, due_on=due, days_before=days)
            notify([user], subject=str(_subject(call, deadline, due, days))[:200], body=str(deadline.work),
                   link=link, kind=f"reminder.{deadline.key}", obj=call)
    except IntegrityError:  # already sent (an earlier run, or a run at the same moment)
        return 0
    return 1


# Who still has work, for the deadlines of this stage.

@recipients("closes_at")
def enterprises_with_drafts(call):
    from django.urls import reverse

    from accounts.models import User

    from .models import Application
    from .workflow import Status

    found = {}
    drafts = (Application.objects.filter(round=call, status__in=[Status.DRAFT, Status.RETURNED])
              .order_by("id").values_list("id", "enterprise_id"))
    first_of = {}
    for pk, enterprise_id in drafts:
        first_of.setdefault(enterprise_id, pk)
    for user in User.objects.filter(organisation_id__in=first_of, is_active=True):
        found[user] = reverse("applications:detail", args=[first_of[user.organisation_id]])
    return found


@recipients("county_deadline")
def counties_with_pending_intake(call):
    from django.urls import reverse

    from accounts.models import User
    from accounts.roles import Role

    from .models import Application
    from .workflow import Status

    counties = set(Application.objects.filter(round=call, status__in=[Status.SUBMITTED, Status.COUNTY_ACCEPTED])
                   .values_list("county_id", flat=True))
    link = reverse("applications:list")
    return dict.fromkeys(User.objects.filter(role=Role.COUNTY, county_id__in=counties, is_active=True), link)
