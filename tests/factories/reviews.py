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

    user = factory.SubFactory(UserFactory, role=Role.EXPERT)
    name = factory.Sequence(lambda n: f"专家{n}")
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
