"""The dashboard registry: each app registers a provider, ``provider(user) -> iterable of parts``.

A part is one of
- ``QueueItem``: one kind of work waiting for this user (待办), with how many, since when the oldest waits and how
  many are past the call's deadline, linking to the list filtered to those items;
- ``Cycle``: where a call stands, stage by stage (a stepper of ``Stage``). The app that owns the calls gives the
  cycle with the stages it can count; a later stage's app may add a ``Stage`` naming the cycle's ``key`` and its
  ``order`` (it replaces a stage of the same order);
- ``FigurePanel``: one key figure with its denominator and a small server-drawn chart.

``dashboard_for(user)`` gathers the parts of every provider in that order: the queue first, then the cycles, then
the figures. Providers read through aggregates only (one query per part at most), so the page's queries do not
grow with the data.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import clock
from .workdays import working_days_between


@dataclass
class QueueItem:
    """One kind of work waiting for the user. ``oldest``: when the longest-waiting item started waiting (a date or
    datetime, None when the queue is empty); ``workdays``: its age counts working days (the fund's time limits do).
    ``overdue``: how many are past ``deadline_label``'s date."""

    label: str
    count: int
    url: str = ""
    oldest: date | datetime | None = None
    workdays: bool = True
    overdue: int = 0
    hint: str = ""

    @property
    def oldest_date(self):
        if self.oldest is None:
            return None
        return timezone.localdate(self.oldest) if isinstance(self.oldest, datetime) else self.oldest

    @property
    def age_days(self):
        """How long the oldest item has waited, in working days (or calendar days), None when nothing waits."""
        start = self.oldest_date
        if start is None or not self.count:
            return None
        today = clock.today()
        if start >= today:
            return 0
        return working_days_between(start, today) if self.workdays else (today - start).days

    @property
    def age_text(self):
        days = self.age_days
        if days is None:
            return ""
        if days == 0:
            return _("The oldest arrived today")
        if self.workdays:
            return _("The oldest has waited %(days)d working days") % {"days": days}
        return _("The oldest has waited %(days)d days") % {"days": days}


@dataclass
class Stage:
    """One stage of a call's cycle. ``state``: done, current, late or upcoming (said in words too, never colour
    alone); ``done``/``total``: how many of the applications that reached the stage are through it, described by
    ``count_label``. ``cycle``/``order``: which cycle and where in it, when an app adds it to another's cycle."""

    label: str
    when: str = ""
    state: str = "upcoming"
    done: int | None = None
    total: int | None = None
    count_label: str = ""
    cycle: object = None
    order: int = 0

    @property
    def state_label(self):
        return {"done": _("Done"), "current": _("In progress"), "late": _("Behind its date"),
                "upcoming": _("Not started")}[self.state]

    @property
    def count_text(self):
        """e.g. 已转报 18/22, or 已提交 22 when the stage counts one number."""
        if self.done is None:
            return ""
        if self.total is None:
            return _("%(what)s %(done)d") % {"what": self.count_label, "done": self.done}
        return _("%(what)s %(done)d/%(total)d") % {"what": self.count_label, "done": self.done, "total": self.total}


@dataclass
class Cycle:
    key: object
    title: str
    stages: list
    url: str = ""
    note: str = ""


@dataclass
class FigurePanel:
    """A key figure: ``value`` (text), what it is measured against (``basis``), and an optional SVG chart."""

    title: str
    value: str = ""
    basis: str = ""
    chart: str = ""
    url: str = ""
    note: str = ""
    link_text: str = ""  # the link's words when not 查看详情


@dataclass
class Dashboard:
    queue: list = field(default_factory=list)
    cycles: list = field(default_factory=list)
    figures: list = field(default_factory=list)

    @property
    def waiting(self):
        """The queue items that hold work (the template lists these; an empty queue reads 暂无待办)."""
        return [item for item in self.queue if item.count]


@dataclass(frozen=True)
class Waiting:
    """How a queue is counted: the rows matching ``filter`` wait; ``since`` is the field saying since when (the
    oldest is shown); past the date field ``deadline`` (a path such as ``round__county_deadline``) a row is
    overdue."""

    filter: Q
    since: str
    deadline: str | None = None


def waiting_counts(queryset, queues, today=None):
    """{key: (count, oldest, overdue)} for ``queues`` ({key: Waiting}) over ``queryset``, in one aggregate query."""
    today = today or clock.today()
    aggregates = {}
    for key, spec in queues.items():
        aggregates[f"{key}__count"] = Count("pk", filter=spec.filter, distinct=True)
        aggregates[f"{key}__oldest"] = Min(spec.since, filter=spec.filter)
        if spec.deadline:
            aggregates[f"{key}__late"] = Count("pk", filter=spec.filter & Q(**{f"{spec.deadline}__lt": today}),
                                                distinct=True)
    row = queryset.aggregate(**aggregates) if aggregates else {}
    return {key: (row[f"{key}__count"], row[f"{key}__oldest"], row.get(f"{key}__late") or 0) for key in queues}


def queue_items(counts, entries):
    """QueueItems from ``waiting_counts``: ``entries`` = [(key, label, url, hint)]."""
    items = []
    for key, label, url, hint in entries:
        count, oldest, overdue = counts[key]
        items.append(QueueItem(label=label, count=count, url=url, oldest=oldest, overdue=overdue, hint=hint))
    return items


_PROVIDERS = []


def register(provider):
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def dashboard_for(user):
    board, added = Dashboard(), []
    for provider in _PROVIDERS:
        for part in provider(user) or ():
            if isinstance(part, QueueItem):
                board.queue.append(part)
            elif isinstance(part, Cycle):
                board.cycles.append(part)
            elif isinstance(part, Stage):
                added.append(part)
            elif isinstance(part, FigurePanel):
                board.figures.append(part)
            else:
                raise TypeError(f"unknown dashboard part {part!r}")
    cycles = {cycle.key: cycle for cycle in board.cycles}
    for stage in added:
        cycle = cycles.get(stage.cycle)
        if cycle is not None:
            cycle.stages = sorted([s for s in cycle.stages if s.order != stage.order] + [stage],
                                  key=lambda s: s.order)
    return board


def stage_state(*, waiting, total, deadline=None, today=None):
    """The state of a counted stage: done when none of the applications that reached it still waits at it (and
    some did reach it), late when its date has passed with some still waiting, current while some are at it,
    else upcoming."""
    if total and not waiting:
        return "done"
    if waiting and deadline and (today or clock.today()) > deadline:
        return "late"
    return "current" if waiting else "upcoming"
