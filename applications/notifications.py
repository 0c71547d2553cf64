"""Who hears of an application's steps in the submission, county intake and city qualification stages.

Subscribers of core.events (imported from ``ApplicationsConfig.ready``): each step's audit row tells the users
it concerns, in Chinese, inside the step's transaction. Enterprise users get an e-mail per notification; staff
hear of work arriving in their queue in-app and in the daily digest e-mail (``email=False``).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.selectors import city_staff
from core.events import subscribe
from core.notifications import LazyFormat, announce

from .services.common import county_staff, enterprise_users
from .workflow import Status


def application_subject(application, subject):
    """"<subject>：<project>（<receipt no.>）", the way every notification about one application is titled."""
    if application.receipt_no:
        return LazyFormat(_("%(subject)s: %(project)s (%(receipt)s)"), subject=subject,
                          project=application.project_name, receipt=application.receipt_no)
    return LazyFormat(_("%(subject)s: %(project)s"), subject=subject, project=application.project_name)


def tell_about(event, users, subject, body="", *, email=True, link=None, application=None):
    """Notify ``users`` about the event's application (in Chinese; linked to the application's page)."""
    application = application or event.obj
    return announce(users, application_subject(application, subject), body,
                    link or reverse("applications:detail", args=[application.pk]),
                    kind=event.action, obj=application, email=email)


def reasons(event):
    return LazyFormat(_("Reasons: %(reasons)s"), reasons=event.note) if event.note else ""


@subscribe("application.submit")
def submitted(event):
    application = event.obj
    if event.from_state == Status.RETURNED:
        tell_about(event, county_staff(application), _("Corrected application resubmitted"), email=False)
    else:
        tell_about(event, county_staff(application), _("New application submitted"), email=False)
    tell_about(event, enterprise_users(application), _("Application submitted"),
               _("Keep the receipt number for your records. Your county bureau checks it next."))


@subscribe("application.withdraw")
def withdrawn(event):
    application = event.obj
    if application.first_submitted_at is not None:
        tell_about(event, county_staff(application), _("Application withdrawn by the enterprise"), event.note,
                   email=False)
    tell_about(event, enterprise_users(application), _("Application withdrawn"), event.note)


@subscribe("application.accept")
def accepted_by_county(event):
    tell_about(event, enterprise_users(event.obj), _("Application accepted by the county"), event.note)


@subscribe("application.return")
def returned(event):
    tell_about(event, enterprise_users(event.obj), _("Application returned for correction"),
               LazyFormat(_("Reasons: %(reasons)s\nCorrect the application and submit it again."),
                          reasons=event.note))


@subscribe("application.decline")
def declined(event):
    tell_about(event, enterprise_users(event.obj), _("Application not recommended by the county"), reasons(event))


@subscribe("application.forward")
def forwarded(event):
    application = event.obj
    tell_about(event, enterprise_users(application), _("Application forwarded to the city bureau"))
    tell_about(event, city_staff(), LazyFormat(_("Forwarded by %(county)s"), county=application.county.name),
               LazyFormat(_("County opinion: %(opinion)s"), opinion=event.note) if event.note else "",
               email=False)


@subscribe("application.city_accept")
def accepted_by_city(event):
    tell_about(event, enterprise_users(event.obj), _("Application accepted by the city bureau"))


@subscribe("application.send_back")
def sent_back(event):
    tell_about(event, county_staff(event.obj), _("Application sent back to the county by the city bureau"),
               reasons(event), email=False)


# "application.disqualify" is also the reviews stage's "not supported" (from reviewed or in publicity): that
# stage tells the enterprise itself (reviews/notifications.py).
QUALIFICATION_STATES = {Status.CITY_ACCEPTED, Status.RE_REVIEW}


@subscribe("application.qualify", "application.disqualify")
def qualification_decided(event):
    if event.from_state not in QUALIFICATION_STATES:
        return
    application = event.obj
    re_review = event.from_state == Status.RE_REVIEW
    qualified = event.action == "application.qualify"
    subject = {
        (True, False): _("Application passed the qualification review"),
        (True, True): _("Application passed the re-review"),
        (False, False): _("Application did not pass the qualification review"),
        (False, True): _("Application did not pass the re-review"),
    }[(qualified, re_review)]
    body = reasons(event)
    if not qualified and not re_review:
        body = LazyFormat(_("Reasons: %(reasons)s\nYou may request one re-review, with your reasons."),
                          reasons=event.note)
    tell_about(event, enterprise_users(application), subject, body)
    tell_about(event, county_staff(application), subject, reasons(event), email=False)


@subscribe("application.request_re_review")
def re_review_requested(event):
    application = event.obj
    tell_about(event, city_staff(), _("Re-review requested"), reasons(event), email=False)
    tell_about(event, enterprise_users(application), _("Re-review requested"),
               _("The city bureau reviews the qualification again and tells you the result."))


@subscribe("invitation.send")
def invited(event):
    """A registered enterprise invited to apply: its users hear of the category, why it qualifies, and the draft
    prepared for it (in-app and by e-mail)."""
    invitation = event.obj
    if invitation.organisation_id is None:
        return
    users = User.objects.filter(organisation_id=invitation.organisation_id, is_active=True)
    link = reverse("applications:edit", args=[invitation.draft_id]) if invitation.draft_id \
        else reverse("applications:apply")
    announce(users, LazyFormat(_("Invitation to apply: %(category)s"), category=invitation.category.name),
             LazyFormat(_("Your enterprise qualifies for %(category)s of %(call)s (%(reasons)s). A draft has been "
                          "prepared; complete and submit it before the call closes."),
                        category=invitation.category.name, call=invitation.round.title, reasons=invitation.reasons),
             link, kind=event.action, obj=invitation, email=True)
