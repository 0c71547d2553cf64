"""Shared pieces of the review services: the application's move, configuration, notifications."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.selectors import city_staff  # noqa: F401  (re-exported for the services)
from core.notifications import notify
from core.workflow import transition

from ..models import ReviewConfig
from ..workflow import APPLICATION_TABLE


class ReviewError(ValidationError):
    """A review step refused for a reason the user can fix; the message says what to do.

    Unlike a plain ValidationError it keeps ``code`` also for a list or a dict of messages.
    """

    def __init__(self, message, code=None, params=None):
        super().__init__(message, code, params)
        self.code = code


def move_application(application, action, *, actor, note="", extra_updates=None, data=None):
    """The application's table-driven transition (locks the row, bumps its version, audits)."""
    return transition(application, action, actor=actor, table=APPLICATION_TABLE, note=note,
                      extra_updates=extra_updates, audit_action=f"application.{action}", data=data)


def config_for(round_):
    """The review settings of ``round_``: the stored row, or (never changed yet) the defaults, unsaved. A read:
    only ``config_update`` stores a configuration."""
    return ReviewConfig.objects.filter(round=round_).first() or ReviewConfig(round=round_)


def require_reason(reason, message=None):
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(message or _("Give a reason."), code="reason")
    return reason


def tell(users, subject, params=None, *, link_name=None, args=(), body="", kind="", obj=None, email=True):
    """Notify ``users`` in the platform's language outside a workflow step (a reminder ``kind`` about ``obj``; the
    steps notify through reviews/notifications.py). In-app now, e-mail through the outbox after commit.

    ``subject`` is a lazy msgid with %(name)s placeholders filled from ``params`` after translation.
    """
    with translation.override(settings.LANGUAGE_CODE):
        text = str(subject) % (params or {})
        notify([u for u in users if u is not None], subject=text[:200], body=str(body),
               link=reverse(link_name, args=args) if link_name else "", kind=kind, obj=obj, email=email)
