"""Shared pieces of the application services: scope guard, optimistic lock, notifications."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from accounts.selectors import city_staff  # noqa: F401  (re-exported for the services)
from core import locking
from core.locking import save_form_versioned  # noqa: F401  (re-exported for the services)
from core.notifications import LazyFormat, announce, notify  # noqa: F401  (re-exported)
from core.permissions import require
from core.workflow import TransitionNotAllowed, allowed_actions, check_distinct, transition

from .. import rules  # noqa: F401  (registers the permissions the services ask)
from ..workflow import TRANSITIONS


def clean_values(model, names, data, *, empty_allowed=False):
    """The values of ``data`` for the fields ``names`` of ``model`` (plain values; other keys are ignored), each
    checked and converted by its model field. With ``empty_allowed`` an empty value passes whatever the field says
    (a draft may be incomplete). Returns (cleaned, errors) with errors as {field: [message]} in the user's
    language."""
    cleaned, errors = {}, {}
    for name in names:
        if name not in data:
            continue
        model_field = model._meta.get_field(name)
        value = data[name]
        if empty_allowed and value in (None, ""):
            cleaned[name] = None if model_field.null else ("" if value is None else value)
            continue
        try:
            cleaned[name] = model_field.clean(value, None)
        except ValidationError as exc:
            errors[name] = exc.messages
    return cleaned, errors


class StaleEdit(locking.StaleEdit):
    """Somebody changed the application after this form was opened; nothing was saved."""

    def __init__(self, message=None):
        super().__init__(message or _(
            "This application was changed by someone else after you opened it (a colleague saved it or its "
            "status changed). Nothing was saved: reload the page, then make your changes again."))


def check_scope(application, actor):
    """Services re-check the object scope: a view bug must not let one county act on another's file."""
    require(actor, "applications.view_application", application, message=_("This application is outside your area."))


def check_version(application, expected_version):
    """StaleEdit unless ``expected_version`` is the application's version (None: the caller is code, not a form;
    an empty or garbled value from a form is refused like a stale one)."""
    try:
        locking.check_version(application, expected_version)
    except locking.StaleEdit:
        raise StaleEdit() from None


def check_allowed(application, action, actor):
    """Refuse early (before any other check or write) when the table does not allow this move."""
    entry = TRANSITIONS.get((application.status, action))
    if entry is None:
        raise TransitionNotAllowed()
    if action not in allowed_actions(TRANSITIONS, application.status, actor):
        raise TransitionNotAllowed(_("Your role may not perform this action."))
    check_distinct(application, entry[1], actor)


def move(application, action, *, actor, note="", extra_updates=None, expected_version=None, data=None):
    """Scope check + the table-driven transition, which locks the row, compares ``expected_version`` with the
    locked row's version (StaleEdit, nothing changed) and audits."""
    check_scope(application, actor)
    try:
        return transition(application, action, actor=actor, table=TRANSITIONS, note=note,
                          extra_updates=extra_updates, audit_action=f"application.{action}",
                          expected_version=expected_version, data=data)
    except locking.StaleEdit:
        raise StaleEdit() from None


def enterprise_users(application):
    return User.objects.filter(organisation_id=application.enterprise_id, is_active=True)


def county_staff(application):
    return User.objects.filter(role=Role.COUNTY, county_id=application.county_id, is_active=True)


def tell(users, application, subject, body="", *, kind=""):
    """Notify ``users`` about ``application`` outside a workflow step (a reminder ``kind``; the steps notify
    through applications/notifications.py). In-app now, e-mail through the outbox after commit.

    Lazy texts are rendered in the platform language (Chinese), whatever language the actor uses."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _("%(subject)s: %(label)s %(project)s") % {
            "subject": subject, "label": application.receipt_no or _("draft"), "project": application.project_name,
        }
        notify(list(users), subject=text[:200], body=str(body),
               link=reverse("applications:detail", args=[application.pk]), kind=kind, obj=application)
