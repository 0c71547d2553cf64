"""A small world for the adversarial suite, built from the apps' factories and services.

Two enterprises in two counties (A in 中原区 = "own", B in 金水区 = "foreign"), each with applications,
attachments, an expert assignment, a payment in a sent batch; two auditor firms; an evaluation year with a
survey. ``World.users[role]`` is the user who "owns" side A: the enterprise user of A, the county user of 中原区,
the expert assigned to A's application, the auditor of the firm auditing A.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from accounts.roles import Role
from applications.workflow import Status
from tests.factories import UserFactory, county
from tests.factories import disbursements as fd
from tests.factories.applications import ProfiledEnterpriseFactory, application_in, attach_required, enterprise_user
from tests.factories.evaluation import year_with_catalogue
from tests.factories.reviews import auditor_firm, auditor_user, panel_with

MISSING = 999999


@dataclass
class Side:
    enterprise: object = None
    app: object = None  # a qualified application in the panel
    draft: object = None
    attachment: object = None
    assignment: object = None
    commitment: object = None
    payment: object = None
    followup: object = None  # a follow-up report (绩效跟踪) due on the commitment
    audit: object = None
    survey: object = None


@dataclass
class World:
    own: Side = field(default_factory=Side)
    foreign: Side = field(default_factory=Side)
    users: dict = field(default_factory=dict)
    batch: object = None
    panel: object = None
    year: object = None
    round: object = None

    def side(self, name):
        return self.own if name == "own" else self.foreign


def _try(fn):
    """Some builders depend on other apps' services; a missing piece leaves that object absent (the matrix
    then uses a missing id) instead of breaking the whole suite."""
    try:
        return fn()
    except Exception:  # noqa: BLE001 - builder robustness; reported by the matrix as a missing id
        return None


def build_world():
    from reviews.services.assignment import assign_by_hand, declare
    from reviews.services.common import config_for
    from reviews.services.panels import panel_open

    fd.ensure_counties()
    w = World()
    city = UserFactory.for_role(Role.CITY)
    w.users[Role.CITY] = city
    w.own.enterprise = ProfiledEnterpriseFactory(county=county("中原区"))
    w.foreign.enterprise = ProfiledEnterpriseFactory(county=county("金水区"))
    w.users[Role.ENTERPRISE] = enterprise_user(w.own.enterprise)
    w.foreign_enterprise_user = enterprise_user(w.foreign.enterprise)
    w.users[Role.COUNTY] = UserFactory.for_role(Role.COUNTY, county=county("中原区"))

    panel, members, _ = panel_with(experts=2, applications=0)
    w.panel, w.round = panel, panel.round
    for side in (w.own, w.foreign):
        side.draft = application_in(Status.DRAFT, category=panel.category, enterprise=side.enterprise)
        owner = w.users[Role.ENTERPRISE] if side is w.own else w.foreign_enterprise_user
        side.app = application_in(Status.DRAFT, category=panel.category, enterprise=side.enterprise)
        attach_required(side.app, owner)  # materials can only be attached to a draft
        side.app.status = Status.QUALIFIED
        side.app.receipt_no = f"{side.app.round.year}-{side.app.county.abbreviation}-{side.app.pk:04d}"
        side.app.first_submitted_at = side.app.submitted_at = timezone.now()
        side.app.save()
        side.attachment = side.app.attachments.first()
    members[1].county = county("二七区")  # not the foreign enterprise's county (same-county conflict rule)
    members[1].save()
    config = config_for(panel.round)
    config.experts_per_application = 1
    _try(config.save)
    for side, expert in ((w.own, members[0]), (w.foreign, members[1])):
        side.assignment = _try(lambda s=side, e=expert: assign_by_hand(actor=city, panel=panel, application=s.app,
                                                                       expert=e))
    _try(lambda: panel_open(actor=city, panel=panel))
    for side in (w.own, w.foreign):
        if side.assignment is not None:
            side.assignment.refresh_from_db()
            _try(lambda s=side: declare(actor=s.assignment.expert.user, assignment=s.assignment, has_conflict=False))
    w.users[Role.EXPERT] = members[0].user
    w.foreign_expert_user = members[1].user

    firm_a, firm_b = auditor_firm("河南甲会计师事务所"), auditor_firm("河南乙会计师事务所")
    w.users[Role.AUDITOR] = auditor_user(firm_a)
    w.foreign_auditor_user = auditor_user(firm_b)
    from reviews.models import Audit

    for side, firm in ((w.own, firm_a), (w.foreign, firm_b)):
        reviewed = application_in(Status.REVIEWED, category=panel.category, enterprise=side.enterprise)
        from reviews.services.results import proposal_compute

        proposal_compute(application=reviewed, actor=city)  # audit_assign requires the award proposal
        side.audit = Audit.objects.create(application=reviewed, firm=firm, assigned_by=city)

    prep, appr = fd.preparer(), fd.approver()
    w.users[Role.FINANCE_PREPARER], w.users[Role.FINANCE_APPROVER] = prep, appr
    own_c = fd.commitment("1000.00", application=fd.budget_listed_application(enterprise=w.own.enterprise))
    foreign_c = fd.sibling(own_c, "2000.00")
    foreign_c.application.enterprise = w.foreign.enterprise
    foreign_c.application.county = w.foreign.enterprise.county
    foreign_c.application.save()
    foreign_c.payee = w.foreign.enterprise
    foreign_c.county = w.foreign.enterprise.county
    foreign_c.save()
    w.own.commitment, w.foreign.commitment = own_c, foreign_c
    w.batch = fd.sent_batch(prep, appr, [own_c, foreign_c])
    w.own.payment, w.foreign.payment = own_c.payments.get(), foreign_c.payments.get()
    from aftercare.followup_models import FollowupReport
    from aftercare.followup_workflow import due_date

    for side in (w.own, w.foreign):
        side.followup = FollowupReport.objects.create(commitment=side.commitment, year=2022, base_year=2020,
                                                      due_on=due_date(2022))

    w.users[Role.OFFICIAL] = UserFactory.for_role(Role.OFFICIAL)
    w.users[Role.ADMIN] = UserFactory.for_role(Role.ADMIN)

    from evaluation.models import Survey
    from evaluation.services import surveys as svc

    w.year = year_with_catalogue(2021)
    w.own.survey = _try(lambda: svc.survey_open(actor=city, survey=svc.survey_create(
        actor=city, year=w.year, title="满意度调查A", intro="", scope=Survey.Scope.SELECTED,
        questions=["问题一"], organisations=[w.own.enterprise])))
    w.foreign.survey = _try(lambda: svc.survey_open(actor=city, survey=svc.survey_create(
        actor=city, year=w.year, title="满意度调查B", intro="", scope=Survey.Scope.SELECTED,
        questions=["问题一"], organisations=[w.foreign.enterprise])))
    return w
