"""Shared pieces of the application services: scope guard, optimistic lock, notifications."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from core import locking
from core.locking import locked_for_edit, save_versioned
from core.notifications import notify
from core.permissions import require
from core.workflow import TransitionNotAllowed, allowed_actions, transition

from .. import rules  # noqa: F401  (registers the permissions the services ask)
from ..workflow import TRANSITIONS


class LazyFormat:
    """``str()`` formats a lazy text with its values in whatever language is active at that moment."""

    def __init__(self, text, **values):
        self.text, self.values = text, values

    def __str__(self):
        return str(self.text) % self.values


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


def move(application, action, *, actor, note="", extra_updates=None, expected_version=None):
    """Scope check + optimistic lock + the table-driven transition (locks the row, audits)."""
    check_scope(application, actor)
    check_version(application, expected_version)
    return transition(application, action, actor=actor, table=TRANSITIONS, note=note, extra_updates=extra_updates,
                      audit_action=f"application.{action}")


def enterprise_users(application):
    return User.objects.filter(organisation_id=application.enterprise_id, is_active=True)


def county_staff(application):
    return User.objects.filter(role=Role.COUNTY, county_id=application.county_id, is_active=True)


def city_staff():
    return User.objects.filter(role=Role.CITY, is_active=True)


def tell(users, application, subject, body=""):
    """Notify ``users`` about ``application`` (in-app now, e-mail through the outbox after commit).

    Lazy texts are rendered in the platform language (Chinese), whatever language the actor uses."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _("%(subject)s: %(label)s %(project)s") % {
            "subject": subject, "label": application.receipt_no or _("draft"), "project": application.project_name,
        }
        notify(list(users), subject=text[:200], body=str(body),
               link=reverse("applications:detail", args=[application.pk]))


def announce(users, subject, body="", link=""):
    """A notification about several applications at once (batch actions)."""
    with translation.override(settings.LANGUAGE_CODE):
        notify(list(users), subject=str(subject)[:200], body=str(body), link=link)


def save_form_versioned(form):
    """Save a versioned ModelForm's own fields onto the locked row (core.locking): raises StaleEdit and writes nothing
    when the version the form was opened with is no longer the record's. Fields the form does not have (status,
    published state, verification, created_at ...) are never written, whatever was posted. Call inside a
    transaction."""
    locked = locked_for_edit(form.instance, form.cleaned_data.get("version"))
    fields = [f for f in form.instance._meta.concrete_fields if f.name in form._meta.fields]
    for f in fields:
        setattr(locked, f.attname, getattr(form.instance, f.attname))
    save_versioned(locked, [f.name for f in fields])
    form.instance = locked
    return locked
