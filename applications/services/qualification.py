"""City bureau: central acceptance (集中受理), qualification review with reasons, one re-review (复审)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock

from ..models import QualificationDecision
from ..workflow import Action, Status
from .common import (
    check_allowed,
    move,
)
from .intake import require_reason
from .uploads import check_evidence, store_evidence


def application_city_accept(*, application, actor, note="", expected_version=None):
    with transaction.atomic():
        moved = move(application, Action.CITY_ACCEPT, actor=actor, note=note, expected_version=expected_version,
                     extra_updates={"city_accepted_at": clock.now()})
    return moved


def application_city_accept_batch(*, actor, applications):
    with transaction.atomic(durable=True):
        return [application_city_accept(application=app, actor=actor) for app in applications]


def application_send_back(*, application, actor, note="", expected_version=None):
    """The city returns a forwarded application to its county (e.g. the county's opinion is missing)."""
    check_allowed(application, Action.SEND_BACK, actor)
    reasons = require_reason(note)
    with transaction.atomic():
        moved = move(application, Action.SEND_BACK, actor=actor, note=reasons, expected_version=expected_version,
                     extra_updates={"county_rank": None, "forwarded_at": None})
    return moved


def _decide(application, action, *, actor, reasons, expected_version):
    check_allowed(application, action, actor)
    is_re_review = application.status == Status.RE_REVIEW
    decision = (QualificationDecision.Decision.QUALIFIED if action == Action.QUALIFY
                else QualificationDecision.Decision.DISQUALIFIED)
    extra = {"qualified_at": clock.now()} if action == Action.QUALIFY else {}
    with transaction.atomic():
        moved = move(application, action, actor=actor, note=reasons, expected_version=expected_version,
                     extra_updates=extra)
        QualificationDecision.objects.create(application=moved, decision=decision, reasons=reasons,
                                             is_re_review=is_re_review, actor=actor)
    return moved


def application_qualify(*, application, actor, note="", expected_version=None):
    return _decide(application, Action.QUALIFY, actor=actor, reasons=(note or "").strip(),
                   expected_version=expected_version)


def application_disqualify(*, application, actor, note="", expected_version=None):
    check_allowed(application, Action.DISQUALIFY, actor)
    return _decide(application, Action.DISQUALIFY, actor=actor, reasons=require_reason(note),
                   expected_version=expected_version)


def re_review_used(application, decisions=None):
    """Whether the one re-review was asked for or decided; ``decisions``: the application's qualification
    decisions when the caller has them already (the detail page), else they are looked up."""
    if application.re_review_reason:
        return True
    if decisions is not None:
        return any(d.is_re_review for d in decisions)
    return QualificationDecision.objects.filter(application=application, is_re_review=True).exists()


def application_request_re_review(*, application, actor, note="", expected_version=None, files=()):
    """The enterprise (or the city on its behalf) asks for the one re-review, with its reasons and optionally
    supporting documents (``files``: uploaded files, checked like application attachments before anything is
    written)."""
    check_allowed(application, Action.REQUEST_RE_REVIEW, actor)
    reasons = (note or "").strip()
    if not reasons:
        raise ValidationError(_("Give the reasons for the re-review."), code="reason")
    if re_review_used(application):
        raise ValidationError(_("A re-review has already taken place: only one is allowed."), code="once")
    checked = check_evidence(files)
    with transaction.atomic():
        moved = move(application, Action.REQUEST_RE_REVIEW, actor=actor, note=reasons,
                     expected_version=expected_version, extra_updates={"re_review_reason": reasons},
                     data={"evidence_files": len(checked)} if checked else None)
        store_evidence(moved, checked, actor)
    return moved
