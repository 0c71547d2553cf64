"""Credit screening (信用核查) of applications: each application is checked against the imported credit lists
when it is submitted, accepted by the county and accepted by the city, and again whenever a new list arrives.
A check that finds the enterprise on a list is written to the application's history and told to the staff who
act next; qualification refuses a listed enterprise until one city user has written why it may still pass and a
second city user has confirmed it (CreditClearance)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_record
from core.events import subscribe
from core.notifications import LazyFormat
from core.permissions import require
from core.workflow import TransitionNotAllowed
from credit.audit_notes import STAGES
from credit.selectors import hits_data, records_for
from credit.services import credit_list_imported

from .models import Application, CreditClearance
from .services.common import city_staff, county_staff, tell
from .workflow import Status

# the stage whose audit action triggers a check, and who is told of a hit
CHECKED_AT = {
    "application.submit": ("submission", "county"),
    "application.accept": ("county_intake", "city"),
    "application.city_accept": ("city_intake", "city"),
}
STAGE_LABELS = STAGES  # how each check reads (credit.audit_notes)
# a hit found up to here holds the qualification; a hit found later is for the staff to look into
BEFORE_QUALIFICATION = (Status.SUBMITTED, Status.RETURNED, Status.COUNTY_ACCEPTED, Status.FORWARDED,
                        Status.CITY_ACCEPTED, Status.RE_REVIEW)
CLOSED = (Status.DRAFT, Status.WITHDRAWN, Status.DECLINED, Status.DISQUALIFIED, Status.PAID)


def credit_code(application):
    return (application.enterprise.credit_code or "").upper()


def check(application, stage, *, actor=None):
    """Check ``application`` now and record the result in its history; returns the hits (plain values)."""
    hits = hits_data(credit_code(application))
    audit_record(actor=actor, action="credit.check", obj=application,
                 data={"stage": stage, "count": len(hits), "hits": hits})
    return hits


def _tell_hit(application, hits, audience, stage):
    users = county_staff(application) if audience == "county" else city_staff()
    first = hits[0]
    tell(users, application, gettext_lazy("Enterprise on a credit list"),
         LazyFormat(gettext_lazy("Credit screening %(stage)s: %(name)s is on %(count)s list(s), e.g. %(list)s "
                                 "(%(source)s, %(date)s). Check before deciding."),
                    stage=STAGE_LABELS[stage], name=application.enterprise.name, count=len(hits),
                    list=first["list"], source=first["source"], date=first["date"]))


@subscribe(*CHECKED_AT)
def check_on_the_way(event):
    if not isinstance(event.obj, Application):
        return
    stage, audience = CHECKED_AT[event.action]
    hits = check(event.obj, stage, actor=event.actor)
    if hits:
        _tell_hit(event.obj, hits, audience, stage)


@subscribe("application.qualify")
def listed_enterprises_need_a_clearance(event):
    application = event.obj
    if not isinstance(application, Application):
        return
    if not records_for(credit_code(application)).exists():
        return
    clearance = CreditClearance.objects.filter(application=application).first()
    if clearance is None or not clearance.confirmed:
        raise TransitionNotAllowed(_(
            "The enterprise is on a credit list. Qualification can pass only after one city user has recorded "
            "why, and a second city user has confirmed it (see “Credit screening” on this page)."))


def recheck_for_new_list(sender, credit_list, actor, **kwargs):
    """A new list arrived: check every open application of an enterprise it names, and tell the staff."""
    codes = set(credit_list.records.values_list("credit_code", flat=True))
    found = Application.objects.filter(enterprise__credit_code__in=codes).exclude(status__in=CLOSED) \
        .select_related("enterprise", "county")
    for application in found:
        hits = check(application, "new_list", actor=actor)
        if hits:
            _tell_hit(application, hits, "county", "new_list")
            _tell_hit(application, hits, "city", "new_list")


credit_list_imported.connect(recheck_for_new_list, dispatch_uid="applications-credit-recheck")


# --- the clearance: written by one city user, confirmed by another ---------------------------------------------

def credit_clearance_propose(*, actor, application, reason):
    require(actor, "applications.clear_credit", application)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Write why the application may pass despite the credit list."))
    if not records_for(credit_code(application)).exists():
        raise ValidationError(_("The enterprise is on no credit list; nothing needs clearing."))
    with transaction.atomic(durable=True):
        clearance = CreditClearance.objects.select_for_update().filter(application=application).first()
        if clearance is not None and clearance.confirmed:
            raise ValidationError(_("The clearance was already confirmed."))
        if clearance is None:
            clearance = CreditClearance(application=application)
        clearance.reason, clearance.proposed_by = reason[:2000], actor
        clearance.save()
        audit_record(actor=actor, action="credit.clearance_propose", obj=application, note=reason)
        tell(city_staff().exclude(pk=actor.pk), application, gettext_lazy("Credit clearance to confirm"), reason)
    return clearance


def credit_clearance_confirm(*, actor, application):
    require(actor, "applications.clear_credit", application)
    with transaction.atomic(durable=True):
        clearance = CreditClearance.objects.select_for_update().filter(application=application).first()
        if clearance is None:
            raise ValidationError(_("No clearance has been written yet."))
        if clearance.confirmed:
            raise ValidationError(_("The clearance was already confirmed."))
        if clearance.proposed_by_id == actor.pk:
            raise TransitionNotAllowed(_("A second city user must confirm the clearance you wrote."))
        clearance.confirmed_by, clearance.confirmed_at = actor, timezone.now()
        clearance.save(update_fields=["confirmed_by", "confirmed_at"])
        audit_record(actor=actor, action="credit.clearance_confirm", obj=application,
                     data={"proposed_user": clearance.proposed_by_id})
    return clearance


def credit_panel(user, application):
    """What the application page shows staff: the hits now, the checks made, the clearance."""
    if not user.has_perm("applications.see_duplicates"):
        return None
    listed = getattr(application, "on_credit_list", None)  # annotated by application_detail
    hits = list(records_for(credit_code(application))) if listed is not False else []
    clearance = CreditClearance.objects.filter(application=application).select_related(
        "proposed_by", "confirmed_by").first() if hits else None
    before_qualification = application.status in BEFORE_QUALIFICATION
    return {"hits": hits, "clearance": clearance, "before_qualification": before_qualification,
            "may_clear": bool(hits) and before_qualification
            and user.has_perm("applications.clear_credit", application)}
