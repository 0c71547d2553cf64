"""Every write of the evaluation app, one function per change, each with an actor and an audit row."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


def require(actor, perm):
    if not (actor and actor.has_perm(perm)):
        raise PermissionDenied


def require_editable(year):
    if not year.is_editable:
        raise ValidationError(_("The evaluation of %(year)s is finalised; reopen it to change anything.")
                              % {"year": year.year})
