"""Dashboard cards: what waits for this user, counted in one aggregate query."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dashboard import Card

from .selectors import dashboard_counts, open_round
from .workflow import Status


def _card(title, counts, status, hint=""):
    return Card(title, counts[status], f"{reverse('applications:list')}?status={status}", hint)


def application_cards(user):
    if not user.has_perm("applications.view_applications"):
        return []
    counts = dashboard_counts(user)
    if user.has_perm("applications.list_own_applications"):
        cards = [
            _card(_("Drafts"), counts, Status.DRAFT, _("Not submitted yet")),
            _card(_("Returned for correction"), counts, Status.RETURNED, _("Correct and submit again")),
            _card(_("Waiting for the county"), counts, Status.SUBMITTED),
            _card(_("Qualified"), counts, Status.QUALIFIED),
        ]
        current = open_round()
        if current is not None:
            closes = timezone.localtime(current.closes_at)
            cards.insert(0, Card(_("Open call"), current.year, reverse("applications:apply"),
                                 _("Apply until %(date)s") % {"date": f"{closes:%Y-%m-%d %H:%M}"}))
        return cards
    if user.has_perm("applications.intake"):
        return [
            _card(_("Waiting for intake"), counts, Status.SUBMITTED, _("Accept, return or decline")),
            _card(_("Accepted, not yet forwarded"), counts, Status.COUNTY_ACCEPTED),
            _card(_("Returned to enterprises"), counts, Status.RETURNED),
            _card(_("Forwarded to the city"), counts, Status.FORWARDED),
        ]
    return [
        _card(_("Forwarded by counties"), counts, Status.FORWARDED, _("Waiting for central acceptance")),
        _card(_("Waiting for qualification review"), counts, Status.CITY_ACCEPTED),
        _card(_("Re-review requested"), counts, Status.RE_REVIEW),
        _card(_("Qualified"), counts, Status.QUALIFIED, _("Ready for expert review")),
    ]
