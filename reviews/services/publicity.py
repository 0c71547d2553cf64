"""Publicity (公示): publish the proposed support list for a number of working days, take objections (异议),
record how each was handled, and after the period move the applications on."""

from django.db import transaction
from django.utils.translation import gettext as _

from applications.models import Application
from applications.workflow import Status as AppStatus
from core import clock
from core.audit import audit_record
from core.locking import locked_for_edit
from core.permissions import require
from core.workdays import add_working_days
from core.workflow import transition

from ..models import Objection, Publicity, PublicityEntry
from ..workflow import OBJECTION_TRANSITIONS, PUBLICITY_TRANSITIONS, AppAction, ObjectionStatus, PublicityStatus
from .common import ReviewError, config_for, move_application, require_reason


def _check_city(actor):
    require(actor, "reviews.manage_reviews", message=_("Only city bureau staff manage the publicity."))


def publicity_candidates(round_):
    """The audited applications of the round that the next publicity would list, in publication order."""
    return (Application.objects.filter(round=round_, status=AppStatus.AUDITED)
            .select_related("enterprise", "category", "county", "award_proposal", "review_result")
            .order_by("category__sort_order", "category_id", "review_result__rank", "id"))


def publicity_period_end(starts_on, working_days):
    return add_working_days(starts_on, working_days)


def publicity_create(*, actor, round_, title="", notice=""):
    _check_city(actor)
    days = config_for(round_).publicity_working_days
    today = clock.today()
    publicity = Publicity.objects.create(
        round=round_, created_by=actor, working_days=days, starts_on=today,
        ends_on=publicity_period_end(today, days), notice=(notice or "").strip(),
        title=(title or "").strip() or _("Publicity of the proposed %(year)s support list") % {"year": round_.year},
    )
    audit_record(actor=actor, action="publicity.created", obj=publicity, to_state=publicity.status)
    return publicity


def publicity_publish(*, actor, publicity, today=None, expected_version=None):
    """Publish today: freeze the list (enterprise, project, category, amount), count the period in working days."""
    _check_city(actor)
    today = today or clock.today()
    candidates = list(publicity_candidates(publicity.round))
    if not candidates:
        raise ReviewError(_("No audited application waits for publicity."), code="empty")
    with transaction.atomic():
        ends_on = publicity_period_end(today, publicity.working_days)
        publicity = transition(publicity, "publish", actor=actor, table=PUBLICITY_TRANSITIONS,
                               extra_updates={"starts_on": today, "ends_on": ends_on, "published_at": clock.now()},
                               data={"entries": len(candidates), "objections_until": ends_on.isoformat()},
                               expected_version=expected_version, audit_action="publicity.publish")
        entries = []
        for number, application in enumerate(candidates, start=1):
            proposal = getattr(application, "award_proposal", None)
            if proposal is None:
                raise ReviewError(_("%(receipt)s has no award proposal.") % {"receipt": application.receipt_no},
                                  code="no_proposal")
            entries.append(PublicityEntry(
                publicity=publicity, application=application, number=number,
                enterprise_name=application.enterprise.name, project_name=application.project_name,
                category_name=application.category.name, county_name=application.county.name,
                amount=proposal.final_amount))
            move_application(application, AppAction.PUBLISH, actor=actor, data={"publicity": publicity.title})
        PublicityEntry.objects.bulk_create(entries)
    return publicity


def is_open_for_objections(publicity, today=None):
    today = today or clock.today()
    return publicity.status == PublicityStatus.PUBLISHED and publicity.starts_on <= today <= publicity.ends_on


def objection_file(*, publicity, name, contact, text, entry=None, ip=None, today=None):
    """Anyone files a written objection with real name and contact during the period (no login)."""
    if not is_open_for_objections(publicity, today):
        raise ReviewError(_("The objection period of this publicity has ended."), code="closed")
    errors = {}
    for field, value in (("name", name), ("contact", contact), ("text", text)):
        if not (value or "").strip():
            errors[field] = _("This field is required.")
    if errors:
        raise ReviewError(errors, code="required")
    if entry is not None and entry.publicity_id != publicity.pk:
        raise ReviewError({"entry": _("Choose an entry of this list.")}, code="entry")
    with transaction.atomic():
        objection = Objection.objects.create(publicity=publicity, entry=entry, name=name.strip(),
                                             contact=contact.strip(), text=text.strip(), ip=ip)
        audit_record(actor=None, action="objection.received", obj=objection, to_state=objection.status,
                     data={"objector": objection.name, "entry": str(entry) if entry else ""}, ip=ip)
    return objection


def objection_handle(*, actor, objection, upheld, note, entry=None, expected_version=None):
    """Record how an objection was handled. Upholding needs the entry it concerns; that application is taken
    off the list when the period closes."""
    _check_city(actor)
    note = require_reason(note, _("Record how the objection was handled."))
    with transaction.atomic():
        locked_for_edit(objection, expected_version)  # a second officer's stale decision is refused
        objection = Objection.objects.select_related("publicity").get(pk=objection.pk)
        if objection.publicity.status != PublicityStatus.PUBLISHED:
            raise ReviewError(_("The publicity is closed."), code="closed")
        updates = {"handling_note": note, "handled_by": actor, "handled_at": clock.now()}
        if upheld:
            entry = entry or objection.entry
            if entry is None or entry.publicity_id != objection.publicity_id:
                raise ReviewError({"entry": _("Choose the entry the upheld objection concerns.")}, code="entry")
            updates["entry"] = entry
        action = "uphold" if upheld else "reject"
        return transition(objection, action, actor=actor, table=OBJECTION_TRANSITIONS, note=note,
                          extra_updates=updates, audit_action=f"objection.{action}")


def publicity_close_problems(publicity, today=None):
    today = today or clock.today()
    problems = []
    if publicity.status != PublicityStatus.PUBLISHED:
        problems.append(_("The publicity is not running."))
    elif today <= publicity.ends_on:
        problems.append(_("The period runs until %(end)s; close it after that day.") % {"end": publicity.ends_on})
    pending = publicity.objections.filter(status=ObjectionStatus.RECEIVED).count()
    if pending:
        problems.append(_("%(n)d objections are not handled yet.") % {"n": pending})
    return problems


def publicity_close(*, actor, publicity, today=None, expected_version=None):
    """After the period: applications with an upheld objection are disqualified (with its handling note as the
    reason), the others pass the publicity."""
    _check_city(actor)
    problems = publicity_close_problems(publicity, today)
    if problems:
        raise ReviewError(problems, code="not_ready")
    with transaction.atomic():
        publicity = transition(publicity, "close", actor=actor, table=PUBLICITY_TRANSITIONS,
                               extra_updates={"closed_at": clock.now()}, expected_version=expected_version,
                               audit_action="publicity.close")
        upheld = {}
        for objection in publicity.objections.filter(status=ObjectionStatus.UPHELD):
            upheld.setdefault(objection.entry_id, []).append(objection.handling_note)
        for entry in publicity.entries.select_related("application"):
            if entry.pk in upheld:
                move_application(entry.application, AppAction.NOT_SELECTED, actor=actor,
                                 note="；".join(upheld[entry.pk]), data={"objection_upheld": True})
                entry.outcome = PublicityEntry.Outcome.REMOVED
            else:
                move_application(entry.application, AppAction.PASS_PUBLICITY, actor=actor,
                                 data={"publicity": publicity.title})
                entry.outcome = PublicityEntry.Outcome.PASSED
            entry.save(update_fields=["outcome"])
    return publicity
