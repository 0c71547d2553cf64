"""The diagnosis-service programme's timeline: each stage with its deadline and how it stands today."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext_lazy as _

from .workflow import ContractStatus

SOON = timedelta(days=14)
DONE_CONTRACT = {
    "completed": {ContractStatus.COMPLETED, ContractStatus.ACCEPTED, ContractStatus.PAID},
    "accepted": {ContractStatus.ACCEPTED, ContractStatus.PAID},
    "paid": {ContractStatus.PAID},
}


@dataclass
class Stage:
    label: str
    deadline: date | None
    state: str  # done | late | overdue | due | upcoming
    done_on: date | None = None
    detail: str = ""

    @property
    def warning(self):
        return self.state in ("overdue", "late")


def _state(done, done_on, deadline, today):
    if done:
        return "late" if deadline and done_on and done_on > deadline else "done"
    if deadline and today > deadline:
        return "overdue"
    if deadline and today >= deadline - SOON:
        return "due"
    return "upcoming"


def programme_timeline(programme, contracts, targets, today):
    """``contracts``/``targets``: the programme's rows (lists). Returns [Stage] in the order of the year."""
    tenders = [c.tender.tender_date for c in contracts]
    selected = [t.selected_on for t in targets]
    reported = [t.report_on for t in targets if t.report_on]
    missing = sum(1 for t in targets if not t.report)

    def all_done(key, attr):
        done = bool(contracts) and all(c.status in DONE_CONTRACT[key] for c in contracts)
        days = [getattr(c, attr) for c in contracts if getattr(c, attr)]
        return done, (max(days) if done and days else None)

    completed, completed_on = all_done("completed", "completed_on")
    accepted, accepted_on = all_done("accepted", "accepted_on")
    paid, _paid_on = all_done("paid", "accepted_on")
    stages = [
        Stage(_("Tender and contract"), programme.tender_by, "", max(tenders) if tenders else None),
        Stage(_("Target enterprises chosen"), programme.selection_by, "", max(selected) if selected else None),
        Stage(_("Diagnosis reports"), programme.reports_by, "", max(reported) if reported and not missing else None),
        Stage(_("Diagnoses completed"), programme.completion_by, "", completed_on),
        Stage(_("Acceptance"), programme.acceptance_by, "", accepted_on),
        Stage(_("Fee paid"), None, "", None),
    ]
    flags = [bool(tenders), bool(selected), bool(targets) and not missing, completed, accepted, paid]
    for stage, done in zip(stages, flags, strict=True):
        stage.state = _state(done, stage.done_on, stage.deadline, today)
    if targets and missing:
        stages[2].detail = _("%(missing)s of %(total)s reports missing") % {"missing": missing, "total": len(targets)}
    elif targets:
        stages[2].detail = _("%(total)s reports received") % {"total": len(targets)}
    return stages


def target_overdue(target, programme, today):
    """A target's report is overdue after the reports deadline."""
    return not target.report and today > programme.reports_by
