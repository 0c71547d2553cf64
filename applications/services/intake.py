"""County intake: accept, return for correction, decline, forward (one by one or in a batch)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock

from ..models import Application
from ..workflow import Action, Status
from .common import (
    check_allowed,
    check_scope,
    move,
)

# Statuses in which a county rank stays taken.
RANKED = (Status.FORWARDED, Status.CITY_ACCEPTED, Status.QUALIFIED, Status.DISQUALIFIED, Status.RE_REVIEW,
          Status.UNDER_REVIEW, Status.REVIEWED, Status.AUDITED, Status.IN_PUBLICITY, Status.PUBLICITY_PASSED,
          Status.BUDGET_LISTED, Status.PAID)


def require_reason(text):
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Give the reasons: the enterprise sees them."), code="reason")
    return text


def application_accept(*, application, actor, note="", expected_version=None):
    with transaction.atomic():
        moved = move(application, Action.ACCEPT, actor=actor, note=note, expected_version=expected_version,
                     extra_updates={"county_decided_at": clock.now()})
    return moved


def application_return(*, application, actor, note="", expected_version=None):
    check_allowed(application, Action.RETURN, actor)
    reasons = require_reason(note)
    with transaction.atomic():
        moved = move(application, Action.RETURN, actor=actor, note=reasons, expected_version=expected_version,
                     extra_updates={"return_reason": reasons, "county_decided_at": clock.now()})
    return moved


def application_decline(*, application, actor, note="", expected_version=None):
    check_allowed(application, Action.DECLINE, actor)
    reasons = require_reason(note)
    with transaction.atomic():
        moved = move(application, Action.DECLINE, actor=actor, note=reasons, expected_version=expected_version,
                     extra_updates={"county_opinion": reasons, "county_decided_at": clock.now()})
    return moved


def _check_ranks(actor, items):
    ranks = [rank for _app, rank in items]
    if any(rank is None or rank < 1 for rank in ranks):
        raise ValidationError(_("Give every forwarded application a rank (1 = recommended first)."), code="rank")
    if len(set(ranks)) != len(ranks):
        raise ValidationError(_("Two applications have the same rank."), code="rank")
    first = items[0][0]
    taken = set(
        Application.objects.filter(round_id=first.round_id, county_id=first.county_id, status__in=RANKED,
                                   county_rank__in=ranks)
        .exclude(pk__in=[app.pk for app, _rank in items])
        .values_list("county_rank", flat=True)
    )
    if taken:
        raise ValidationError(
            _("These ranks are already given to forwarded applications: %(ranks)s.")
            % {"ranks": ", ".join(str(r) for r in sorted(taken))}, code="rank")


def application_forward_batch(*, actor, items, opinion, expected_versions=None):
    """Forward several accepted applications with the county's opinion and each one's rank, all or none.

    ``items`` is a list of (application, rank). ``expected_versions`` maps an application's id to the version its
    page was opened with (compared under the row lock). The city bureau hears of each in its daily digest.
    """
    expected_versions = expected_versions or {}
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError(_("Write the county's opinion (推荐意见) for the city bureau."), code="opinion")
    if not items:
        raise ValidationError(_("Select at least one application."), code="empty")
    for application, _rank in items:
        check_scope(application, actor)
        check_allowed(application, Action.FORWARD, actor)
    if len({app.round_id for app, _r in items}) != 1:
        raise ValidationError(_("Forward the applications of one call at a time."), code="round")
    now = clock.now()
    moved = []
    with transaction.atomic(durable=True):
        _check_ranks(actor, items)
        for application, rank in items:
            done = move(application, Action.FORWARD, actor=actor, note=opinion,
                        expected_version=expected_versions.get(application.pk),
                        extra_updates={"county_opinion": opinion, "county_rank": rank, "forwarded_at": now})
            moved.append(done)
    return moved


def application_forward(*, application, actor, note="", rank=None, expected_version=None):
    return application_forward_batch(actor=actor, items=[(application, rank)], opinion=note,
                                     expected_versions={application.pk: expected_version})[0]
