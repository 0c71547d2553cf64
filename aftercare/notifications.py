"""Who hears of each step of a project's acceptance (subscribers of core.events, imported in ready()):
the county of a submitted report, the city of an inspection, the enterprise of the city's decision."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from core.events import subscribe
from core.money import format_exact
from core.notifications import LazyFormat, announce_event


def _link(acceptance):
    return reverse("aftercare:detail", args=[acceptance.commitment_id])


def _project(acceptance):
    return acceptance.application.project_name


@subscribe("acceptance.submit")
def tell_county_report(event):
    acceptance = event.obj
    county_id = acceptance.commitment.county_id
    users = User.objects.filter(role=Role.COUNTY, county_id=county_id, is_active=True) if county_id else []
    announce_event(event, users,
                   LazyFormat(_("Completion report to inspect: %(project)s"), project=_project(acceptance)),
                   _("The enterprise has submitted its completion report. Visit the project and record the "
                     "inspection with your recommendation."),
                   _link(acceptance))


@subscribe("acceptance.inspect")
def tell_city_inspected(event):
    acceptance = event.obj
    announce_event(event, User.objects.filter(role=Role.CITY, is_active=True),
                   LazyFormat(_("Acceptance to decide: %(project)s"), project=_project(acceptance)),
                   LazyFormat(_("The county recommends: %(recommendation)s."),
                              recommendation=acceptance.get_recommendation_display()),
                   _link(acceptance))


def _enterprise(acceptance):
    return User.objects.filter(role=Role.ENTERPRISE, organisation_id=acceptance.commitment.payee_id, is_active=True)


@subscribe("acceptance.accept")
def tell_enterprise_accepted(event):
    acceptance = event.obj
    announce_event(event, _enterprise(acceptance),
                   LazyFormat(_("Project accepted: %(project)s"), project=_project(acceptance)),
                   _("The city has accepted your completed project."), _link(acceptance))


@subscribe("acceptance.rectify")
def tell_enterprise_rectify(event):
    acceptance = event.obj
    announce_event(event, _enterprise(acceptance),
                   LazyFormat(_("Rectification required: %(project)s"), project=_project(acceptance)),
                   LazyFormat(_("Rectify the project by %(date)s and submit the completion report again. "
                                "Reason: %(note)s"),
                              date=acceptance.rectify_by.strftime("%Y-%m-%d"), note=acceptance.decision_note),
                   _link(acceptance))


@subscribe("acceptance.clawback")
def tell_enterprise_clawback(event):
    acceptance = event.obj
    announce_event(event, _enterprise(acceptance),
                   LazyFormat(_("Acceptance failed, funds to be recovered: %(project)s"),
                              project=_project(acceptance)),
                   LazyFormat(_("The project did not pass the acceptance and the city has opened a clawback of "
                                "the award. Reason: %(note)s"), note=acceptance.decision_note),
                   _link(acceptance))


@subscribe("clawback.propose")
def tell_city_to_confirm(event):
    clawback = event.obj
    acceptance = clawback.acceptance
    announce_event(event, User.objects.filter(role=Role.CITY, is_active=True).exclude(pk=clawback.proposed_by_id),
                   LazyFormat(_("Clawback to confirm: %(project)s"), project=_project(acceptance)),
                   LazyFormat(_("A colleague proposes to recover %(amount)s. A second city officer confirms it."),
                              amount=format_exact(clawback.amount)),
                   _link(acceptance))


@subscribe("clawback.confirm")
def tell_enterprise_to_refund(event):
    clawback = event.obj
    acceptance = clawback.acceptance
    announce_event(event, _enterprise(acceptance),
                   LazyFormat(_("Refund required by %(date)s: %(project)s"),
                              date=clawback.refund_due.strftime("%Y-%m-%d"), project=_project(acceptance)),
                   LazyFormat(_("The city has decided to recover %(amount)s of the award for %(project)s. Refund it "
                                "to the fund's account by %(date)s. Reason: %(reason)s Legal basis: %(basis)s"),
                              amount=format_exact(clawback.amount), project=_project(acceptance),
                              date=clawback.refund_due.strftime("%Y-%m-%d"), reason=clawback.reason,
                              basis=clawback.legal_basis),
                   _link(acceptance))


@subscribe("clawback.withdraw")
def tell_enterprise_withdrawn(event):
    clawback = event.obj
    acceptance = clawback.acceptance
    announce_event(event, _enterprise(acceptance),
                   LazyFormat(_("Clawback proposal withdrawn: %(project)s"), project=_project(acceptance)),
                   LazyFormat(_("The city has withdrawn the proposal to recover %(amount)s of the award; nothing is "
                                "to be refunded on it. Reason: %(note)s"),
                              amount=format_exact(clawback.amount), note=event.note),
                   _link(acceptance))


# --- follow-up reports (绩效跟踪) -----------------------------------------------------------------------------------

def _followup_link(report):
    return reverse("aftercare:followup_detail", args=[report.pk])


def _followup_subject(text, report):
    return LazyFormat(text, project=report.commitment.application.project_name, year=report.year)


@subscribe("followup.submit")
def tell_county_followup(event):
    report = event.obj
    county_id = report.commitment.county_id
    users = User.objects.filter(role=Role.COUNTY, county_id=county_id, is_active=True) if county_id else []
    announce_event(event, users, _followup_subject(_("Follow-up report to verify: %(project)s (%(year)s)"), report),
                   _("The enterprise has reported its results of the year. Check the figures and verify the report "
                     "or return it with the reason."), _followup_link(report), email=False)


@subscribe("followup.verify")
def tell_enterprise_followup_verified(event):
    report = event.obj
    announce_event(event, _enterprise(report),
                   _followup_subject(_("Follow-up report verified: %(project)s (%(year)s)"), report),
                   _("The county has verified your follow-up report."), _followup_link(report))


@subscribe("followup.return")
def tell_enterprise_followup_returned(event):
    report = event.obj
    announce_event(event, _enterprise(report),
                   _followup_subject(_("Follow-up report returned: %(project)s (%(year)s)"), report),
                   LazyFormat(_("Correct the report and submit it again. Reason: %(note)s"), note=report.return_reason),
                   _followup_link(report))
