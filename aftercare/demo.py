"""The demo's aftercare of each demo year's awards in the year after (runs after disbursements.demo; idempotent per
year: skipped once an acceptance of that fund year exists). Every step goes through the services inside
``core.clock.at`` the day it happened:

- funded projects submit their completion reports in spring; the county inspects each (2021 projects in 2022:
  five; 2022 projects in 2023: ten, one per county);
- most are accepted; some are sent back for rectification, report again and are accepted (2021: three and one;
  2022: eight and two);
- in 2022 one 2021 project fails: the city opens a clawback of half the paid award, a second city officer confirms
  it, and the enterprise refunds part of it by August (the rest is outstanding, due at the end of September).
"""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Min, Q

from accounts.models import User
from accounts.roles import Role
from applications.demo_years import YEARS
from applications.models import Round
from core import clock
from disbursements.demo import at, demo_pdf
from disbursements.models import Commitment
from disbursements.workflow import PaymentStatus

from . import demo_followup, demo_routine, services
from .models import Acceptance
from .workflow import Action

# fund year: (accepted at once, accepted after a rectification, one failing with a clawback)
PLANS = {2021: (3, 1, True), 2022: (8, 2, False)}


def _user(username, **defaults):
    user, created = User.objects.get_or_create(username=username, defaults={
        **defaults, "email": f"{username}@example.cn"})
    if created:
        user.set_unusable_password()
        user.save()
    return user


def _enterprise_user(commitment):
    user = User.objects.filter(role=Role.ENTERPRISE, organisation=commitment.payee, is_active=True).first()
    return user or _user(f"demo_ent_{commitment.payee_id}", role=Role.ENTERPRISE, organisation=commitment.payee,
                         first_name=f"{commitment.payee.name}经办人")


def _county_user(commitment):
    user = User.objects.filter(role=Role.COUNTY, county=commitment.county, is_active=True).first()
    return user or _user(f"demo_county_{commitment.county_id}", role=Role.COUNTY, county=commitment.county,
                         first_name=f"{commitment.county.name}工信局验收专员")


def _projects(profile, count):
    """The first paid projects of the year (by county, then payment); one per county outside the year of the
    stories."""
    paid = Q(payments__status=PaymentStatus.PAID)
    found = (Commitment.objects.filter(fund_year=profile.year, application__isnull=False, county__isnull=False)
             .annotate(first_paid=Min("payments__paid_on", filter=paid)).filter(first_paid__isnull=False)
             .select_related("payee", "county", "application").order_by("-county__name", "first_paid", "id"))
    if profile.stories:
        return list(found[:count])
    by_county = {}
    for project in found:
        by_county.setdefault(project.county_id, project)
    return list(by_county.values())[:count]


def _report(project, day, invoice_share="1.00"):
    owner = _enterprise_user(project)
    investment = project.application.eligible_investment or project.approved_amount * 5
    with clock.at(at(day)):
        return services.report_submit(
            actor=owner, commitment_id=project.pk, actual_investment=investment,
            invoice_amount=(investment * Decimal(invoice_share)).quantize(Decimal("0.01")),
            equipment_list="智能加工中心 4台\n工业机器人 6台\n制造执行系统（MES）1套",
            files=[SimpleUploadedFile("项目完工报告.pdf", demo_pdf(f"completion-{project.pk}"))])


def _inspect(project, acceptance, day, recommendation, findings):
    with clock.at(at(day, 15)):
        return services.inspection_record(
            actor=_county_user(project), acceptance_id=acceptance.pk, visit_date=day, inspectors="县区工信局验收组",
            findings=findings, recommendation=recommendation,
            files=[SimpleUploadedFile("现场照片.pdf", demo_pdf(f"visit-{project.pk}-{day}"))])


def _decide(city, acceptance, day, action, note="", rectify_by=None):
    with clock.at(at(day, 11)):
        return services.decide(actor=city, acceptance_id=acceptance.pk, action=action, note=note,
                               rectify_by=rectify_by)


def seed(stdout=None):
    city = User.objects.filter(username="demo_city").first()
    if city is None:
        return
    city2 = _user("demo_city_reviewer", role=Role.CITY, first_name="王科长（市工信局·复核）",
                  organisation=city.organisation)
    for year, plan in PLANS.items():
        if not Acceptance.objects.filter(commitment__fund_year=year).exists():
            _seed_year(YEARS[year], plan, city, city2, stdout)
    demo_routine.seed(Round.objects.filter(year__in=PLANS), city, stdout)  # the other projects, accepted on time
    demo_followup.seed(stdout)  # the follow-up reports on 2022, reported in 2023


def _seed_year(profile, plan, city, city2, stdout):
    accepted_count, rectified_count, clawback = plan
    projects = _projects(profile, accepted_count + rectified_count + clawback)
    if len(projects) < accepted_count + rectified_count + clawback:
        if stdout:
            stdout.write(f"aftercare: too few paid {profile.year} projects; skipped")
        return
    accepted, rectified = projects[:accepted_count], projects[accepted_count:accepted_count + rectified_count]
    for index, project in enumerate(accepted):
        acceptance = _report(project, profile.date(1, 3, 10 + index))
        acceptance = _inspect(project, acceptance, profile.date(1, 3, 22 + index), "pass",
                              "设备已安装调试并投入生产，发票与清单相符。")
        _decide(city, acceptance, profile.date(1, 4, 8), Action.ACCEPT)

    for index, project in enumerate(rectified):
        acceptance = _report(project, profile.date(1, 4, 11 + index), invoice_share="0.82")
        acceptance = _inspect(project, acceptance, profile.date(1, 4, 20 + index), "rectify",
                              "部分设备发票未提供，MES 系统尚未上线。")
        _decide(city, acceptance, profile.date(1, 4, 28), Action.RECTIFY,
                note="补齐设备发票，MES 系统上线运行后重新申请验收。", rectify_by=profile.date(1, 6, 30))
        acceptance = _report(project, profile.date(1, 6, 15 + index))
        acceptance = _inspect(project, acceptance, profile.date(1, 6, 22 + index), "pass",
                              "整改完成，发票齐全，系统已运行。")
        _decide(city, acceptance, profile.date(1, 7, 1), Action.ACCEPT)
    amount = _clawback(projects[-1], profile, city, city2) if clawback else None
    if stdout:
        stdout.write(f"aftercare: {profile.year} projects, {len(projects)} completion reports, "
                     f"{len(accepted) + len(rectified)} accepted ({len(rectified)} after rectification)"
                     + (f", 1 clawback of {amount / 10000:.2f}万元 with a partial refund" if clawback else ""))


def _clawback(failed, profile, city, city2):
    """The project fails its acceptance: half its award is clawed back (four eyes) and partly refunded."""
    acceptance = _report(failed, profile.date(1, 5, 9), invoice_share="0.35")
    acceptance = _inspect(failed, acceptance, profile.date(1, 5, 18), "fail",
                          "项目主体设备未购置，实际投资远低于申报。")
    acceptance = _decide(city, acceptance, profile.date(1, 5, 27), Action.CLAWBACK, note="项目未按申报内容实施。")
    paid = failed.payments.filter(status=PaymentStatus.PAID).values_list("amount", flat=True)
    amount = (sum(paid, Decimal(0)) / 2).quantize(Decimal("0.01"))
    with clock.at(at(profile.date(1, 6, 2))):
        clawback = services.clawback_propose(actor=city, acceptance_id=acceptance.pk, amount=amount,
                                             reason="项目未按申报内容实施，主体设备未购置。",
                                             legal_basis="《郑州市制造业高质量发展专项资金管理办法》第二十二条",
                                             refund_due=profile.date(1, 9, 30))
    with clock.at(at(profile.date(1, 6, 6))):
        services.clawback_confirm(actor=city2, clawback_id=clawback.pk)
    prep = User.objects.filter(username="demo_fin_prep").first() or city
    with clock.at(at(profile.date(1, 8, 16))):
        services.refund_record(actor=prep, clawback_id=clawback.pk, received_on=profile.date(1, 8, 15),
                               bank_reference=f"TK{profile.year + 1}081500017",
                               amount=(amount * Decimal("0.6")).quantize(Decimal("0.01")))
    return amount
