"""Factories for the review stage: experts, panels with the default rubric, qualified applications."""

from decimal import Decimal

import factory

from accounts.models import Organisation
from accounts.roles import OrganisationKind, Role
from accounts.validators import make_credit_code
from applications.workflow import Status
from reviews.models import Assignment, ExpertProfile, Panel
from reviews.services.rubrics import DEFAULT_CRITERIA, rubric_for

from .accounts import UserFactory, county
from .applications import RoundFactory, application_in, category_with_rules


class ExpertFactory(factory.django.DjangoModelFactory):
    """An active expert working in 金水区 (applications default to 中原区, so no county conflict)."""

    class Meta:
        model = ExpertProfile

    user = factory.SubFactory(UserFactory, role=Role.EXPERT, first_name=factory.SelfAttribute("..name"))
    name = factory.Sequence(lambda n: f"专家{n}")  # the user account carries the name, as the expert service sets it
    title = "正高级工程师"
    specialties = "智能制造, 工业互联网"
    employer_name = factory.Sequence(lambda n: f"郑州大学{n}")
    employer_credit_code = factory.Sequence(lambda n: make_credit_code(f"12410105MB{n:07d}"))
    county = factory.LazyFunction(lambda: county("金水区"))
    contact_phone = "13800000000"


def auditor_firm(name="河南测试会计师事务所"):
    return Organisation.objects.get_or_create(
        kind=OrganisationKind.AUDITOR, name=name,
        defaults={"credit_code": make_credit_code(f"91410100MA{abs(hash(name)) % 10**7:07d}")})[0]


def auditor_user(firm=None, **kwargs):
    return UserFactory(role=Role.AUDITOR, organisation=firm or auditor_firm(), **kwargs)


def fill_rubric(category):
    rubric = rubric_for(category)
    if not rubric.criteria.exists():
        for order, (name, points, guidance) in enumerate(DEFAULT_CRITERIA, start=1):
            rubric.criteria.create(name=name, max_points=points, guidance=guidance, order=order)
    return rubric


def panel_with(*, experts=5, applications=3, round_=None, category=None, status=Status.QUALIFIED, **app_kwargs):
    """A draft panel with ``experts`` members, the default rubric and ``applications`` in ``status``."""
    if category is None:
        category = category_with_rules(round=round_ or RoundFactory())
    fill_rubric(category)
    panel = Panel.objects.create(round=category.round, category=category, name=f"{category.name}评审组")
    members = ExpertFactory.create_batch(experts)
    panel.members.set(members)
    apps = [application_in(status, category=category, **app_kwargs) for _ in range(applications)]
    return panel, members, apps


def points_for(panel, total_fraction=1):
    """{criterion id: points} giving ``total_fraction`` of every criterion's maximum."""
    fraction = Decimal(str(total_fraction))
    return {c.pk: (c.max_points * fraction).quantize(Decimal("0.1")) for c in panel.category.rubric.criteria.all()}


def active_assignments(panel):
    return Assignment.objects.filter(panel=panel, status__in=["assigned", "confirmed"])


# --- builders of the review stage for the adversarial suite (tests/security/test_reviews_*.py) ---

def opened_panel(city, *, experts=3, applications=1, per_application=2, declare_all=True, **app_kwargs):
    """A panel assigned and opened through the services; every assignment declared (no conflict) unless told."""
    panel, members, apps = panel_with(experts=experts, applications=applications, **app_kwargs)
    return open_panel(city, panel, per_application, declare_all), members, apps


def open_panel(city, panel, per_application=3, declare_all=True):
    """``panel`` assigned (``per_application`` experts each), opened and (optionally) declared by every expert."""
    from reviews.services.assignment import auto_assign, declare
    from reviews.services.common import config_for
    from reviews.services.panels import panel_open

    config = config_for(panel.round)
    config.experts_per_application = per_application
    config.save()
    auto_assign(actor=city, panel=panel)
    panel_open(actor=city, panel=panel)
    if declare_all:
        for assignment in active_assignments(panel).select_related("expert__user"):
            declare(actor=assignment.expert.user, assignment=assignment, has_conflict=False)
    panel.refresh_from_db()
    return panel


def with_proposal(status, city, category, **kwargs):
    """An application in ``status`` with its award proposal computed from the category's rule."""
    from reviews.services.results import proposal_compute

    app = application_in(status, category=category, **kwargs)
    proposal_compute(application=app, actor=city)
    return app


def audit_given(city, *, firm=None, category=None):
    """A reviewed application with its proposal, given to ``firm`` for the audit (through the service)."""
    from reviews.services.audits import audit_assign

    if category is None:
        category = category_with_rules(round=RoundFactory())
        fill_rubric(category)
    app = with_proposal(Status.REVIEWED, city, category)
    return audit_assign(actor=city, applications=[app], firm=firm or auditor_firm())[0]


def published_publicity(city, *, category=None, entries=1, objection_text="申报材料与实际不符", **app_kwargs):
    """A published publicity of ``entries`` audited applications and one objection filed by the public."""
    from reviews.services.publicity import objection_file, publicity_create, publicity_publish

    if category is None:
        category = category_with_rules(round=RoundFactory())
    for _ in range(entries):
        with_proposal(Status.AUDITED, city, category, **app_kwargs)
    publicity = publicity_create(actor=city, round_=category.round)
    publicity_publish(actor=city, publicity=publicity)
    publicity.refresh_from_db()
    entry = publicity.entries.first()
    objection_file(publicity=publicity, entry=entry, name="王五", contact="13900000000", text=objection_text)
    return publicity


def draft_support_list(city, *, category=None, entries=2):
    """A draft support list of ``entries`` applications that passed publicity."""
    from reviews.services.support import support_list_create

    if category is None:
        category = category_with_rules(round=RoundFactory())
    for _ in range(entries):
        with_proposal(Status.PUBLICITY_PASSED, city, category)
    return support_list_create(actor=city, round_=category.round)


def logged_in(user=None, role=Role.CITY):
    """A test client of its own, logged in as ``user`` (or a new user of ``role``); ``client.user`` is the user.

    Two staff members acting on the same record each need their own session."""
    from django.test import Client

    from tests.helpers import login

    user = user or UserFactory(role=role)
    client = login(Client(), user)
    client.user = user
    return client
