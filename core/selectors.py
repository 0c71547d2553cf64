from django.apps import apps
from django.db.models import CharField, Count, Max, Q, Value
from django.db.models.functions import Cast, Coalesce, Concat, NullIf, TruncDate
from django.utils import translation

from . import sqlcache
from .audit import ACTION_LABELS
from .models import AuditLog, Job, Notification
from .search import apply_search


def _actions_labelled(term):
    """The audit rows whose action code or label (in the reader's language or in English) contains ``term``."""
    needle = term.casefold()
    shown = {code: str(label).casefold() for code, label in ACTION_LABELS.items()}
    with translation.override("en"):
        english = {code: str(label).casefold() for code, label in ACTION_LABELS.items()}
    codes = sorted(code for code in ACTION_LABELS
                   if needle in code.casefold() or needle in shown[code] or needle in english[code])
    return Q(action__in=codes) if codes else Q()


def audit_log_list(*, actor, filters):
    """The audit log, newest first; ``q`` searches the object, the actor's name and the action."""
    # the rows alone: the few people a page names are read once for all its rows (core.audit_notes.people_for),
    # the audited model through the content-type cache; joining them made 50 users, organisations, counties and
    # content types a page, costing more than the rows themselves
    qs = AuditLog.objects.all()
    qs = apply_search(qs, filters.get("q"), names=("object_repr", "actor_name"), more=_actions_labelled)
    if filters.get("action"):
        # One action: its entries in the log's order are the (action, time) index's order. The action is written
        # as the range [action, action] and the order names it first, so that the planner reads that index even
        # for an action common in the whole log but absent from its latest entries. With ``action = …`` PostgreSQL
        # drops the constant column from the order, takes the time index as ordered enough and filters it,
        # reading every newer entry of other actions (6,500 of them at a million applications).
        action = filters["action"]
        qs = qs.filter(action__gte=action, action__lte=action).order_by("action", "-created_at", "-id")
    if filters.get("actor"):
        who = filters["actor"]
        qs = qs.filter(Q(actor_name__icontains=who) | Q(actor__first_name__icontains=who)
                       | Q(actor__last_name__icontains=who) | Q(actor__organisation__name__icontains=who)
                       | Q(actor__county__name__icontains=who))
    if filters.get("object"):
        qs = qs.filter(Q(object_repr__icontains=filters["object"]) | Q(object_id=filters["object"]))
    if filters.get("date_from"):
        qs = qs.filter(created_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        qs = qs.filter(created_at__date__lte=filters["date_to"])
    return qs


def audit_log_statement(*, actor, filters):
    """``audit_log_list`` as ``(key, build, values)`` for core.paging's ``statement`` when the log is not searched
    and filtered by action at most (its pages near either end then run a statement prepared once); None
    otherwise. The log is the same for everyone who may read it: nothing of ``actor`` shapes the statement."""
    if any(filters.get(name) for name in ("q", "actor", "object", "date_from", "date_to")):
        return None
    action = filters.get("action") or ""

    def build():
        return audit_log_list(actor=actor, filters={"action": action})

    return ("audit_log", action), build, {}


def notifications_for(*, user):
    return Notification.objects.filter(recipient=user)


def _grouped(qs):
    """Notifications keyed by their group: the item they concern (or the notification itself) and the local day."""
    return qs.annotate(group=Coalesce(NullIf("object_key", Value("")), Concat(Value("#"), Cast("id", CharField()))),
                       day=TruncDate("created_at"))


def notification_groups(*, user, unread_only=False):
    """The user's notifications as a digest: one row per item and day (``group``, ``day``, ``total``, ``unread``,
    ``latest``), newest first. With ``unread_only`` only the unread notifications count."""
    qs = notifications_for(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return (_grouped(qs).values("group", "day")
            .annotate(total=Count("id"), unread=Count("id", filter=Q(read_at__isnull=True)),
                      latest=Max("created_at"), last_id=Max("id"))
            .order_by("-latest", "-last_id"))


def unread_group_count(*, user):
    """How many items (per day) have unread notifications: the navbar's number (its statement compiled once,
    core.sqlcache)."""
    return sqlcache.count(("unread_group_count",), lambda user: notification_groups(user=user, unread_only=True),
                          user=user.pk)


def notifications_in_groups(*, user, groups, unread_only=False):
    """The notifications of ``groups`` (rows of ``notification_groups``), newest first."""
    if not groups:
        return Notification.objects.none()
    wanted = Q()
    for group in groups:
        wanted |= Q(group=group["group"], day=group["day"])
    qs = notifications_for(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return _grouped(qs).filter(wanted).order_by("-created_at", "-id")


def object_labels(keys):
    """{object_key: str(object)} for the keys whose object still exists (one query per kind of object)."""
    wanted = {}
    for key in keys:
        label, _sep, pk = (key or "").partition(":")
        app_label, _dot, model_name = label.partition(".")
        if pk.isdecimal() and model_name:
            wanted.setdefault((app_label, model_name), set()).add(int(pk))
    labels = {}
    for (app_label, model_name), pks in wanted.items():
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        for pk, obj in model._default_manager.in_bulk(pks).items():
            labels[f"{app_label}.{model_name}:{pk}"] = str(obj)
    return labels


def jobs_for(user):
    """A user's own background jobs: nobody else may see or download them (another user's job is a 404)."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(owner=user)
