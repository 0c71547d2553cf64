"""Things that happened, and who wants to hear of them.

Every state change already writes one audit row through ``core.audit.audit_record``; that same call hands
an ``Event`` to the subscribers of its action code, inside the transaction that made the change. Apps
subscribe in their ``notifications.py`` (imported from ``AppConfig.ready``)::

    from core.events import subscribe

    @subscribe("application.return")
    def tell_enterprise(event):
        notify_event(event, recipients=[...], subject=..., body=...)

A subscriber that raises rolls the change back, exactly like the audit row itself: what the platform says
happened, happened, and everyone it concerns is told.
"""

from collections import defaultdict
from dataclasses import dataclass, field

_SUBSCRIBERS = defaultdict(list)


@dataclass(frozen=True)
class Event:
    action: str
    actor: object
    obj: object
    data: dict = field(default_factory=dict)
    note: str = ""
    from_state: str = ""
    to_state: str = ""
    entry: object = None  # the AuditLog row

    @property
    def object_key(self):
        return object_key(self.obj)


def object_key(obj):
    """``app_label.model:pk``: how notifications about the same item are grouped."""
    if obj is None:
        return ""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}:{obj.pk}"


def subscribe(*actions):
    def register(fn):
        for action in actions:
            if fn not in _SUBSCRIBERS[action]:
                _SUBSCRIBERS[action].append(fn)
        return fn

    return register


def subscribers(action):
    return list(_SUBSCRIBERS.get(action, ()))


def dispatch(event):
    for fn in _SUBSCRIBERS.get(event.action, ()):
        fn(event)
