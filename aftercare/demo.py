"""The demo's 2022 aftercare of the 2021 awards (runs after disbursements.demo; idempotent: skipped once any
acceptance exists). Every step goes through the services inside ``core.clock.at`` the day it happened:

- five funded 2021 projects submit their completion reports in spring 2022; the county inspects each;
- three are accepted; one is sent back for rectification, reports again and is accepted;
- one fails: the city opens a clawback of half the paid award, a second city officer confirms it, and the
  enterprise refunds part of it by August (the rest is outstanding, due at the end of September).
"""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Min, Q

from accounts.models import User
from accounts.roles import Role
from core import clock
from disbursements.demo import at, demo_pdf
from disbursements.models import Commitment
from disbursements.workflow import PaymentStatus

from . import demo_followup, services
from .models import Acceptance
from .workflow import Action

YEAR = 2021
D = datetime.date


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


def _projects(count):
    paid = Q(payments__status=PaymentStatus.PAID)
    return list(Commitment.objects.filter(fund_year=YEAR, application__isnull=False, county__isnull=False)
                .annotate(first_paid=Min("payments__paid_on", filter=paid)).filter(first_paid__isnull=False)
                .select_related("payee", "county", "application").order_by("-county__name", "first_paid", "id")
                [:count])


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
    if Acceptance.objects.exists():
        return
    city = User.objects.filter(username="demo_city").first()
    if city is None:
        return
    city2 = _user("demo_city_reviewer", role=Role.CITY, first_name="王科长（市工信局·复核）",
                  organisation=city.organisation)
    projects = _projects(5)
    if len(projects) < 5:
        if stdout:
            stdout.write("aftercare: fewer than five paid 2021 projects; skipped")
        return
    accepted, rectified, failed = projects[:3], projects[3], projects[4]
    for index, project in enumerate(accepted):
        acceptance = _report(project, D(2022, 3, 10 + index))
        acceptance = _inspect(project, acceptance, D(2022, 3, 22 + index), "pass",
                              "设备已安装调试并投入生产，发票与清单相符。")
        _decide(city, acceptance, D(2022, 4, 8), Action.ACCEPT)

    acceptance = _report(rectified, D(2022, 4, 11), invoice_share="0.82")
    acceptance = _inspect(rectified, acceptance, D(2022, 4, 20), "rectify", "部分设备发票未提供，MES 系统尚未上线。")
    _decide(city, acceptance, D(2022, 4, 28), Action.RECTIFY, note="补齐设备发票，MES 系统上线运行后重新申请验收。",
            rectify_by=D(2022, 6, 30))
    acceptance = _report(rectified, D(2022, 6, 15))
    acceptance = _inspect(rectified, acceptance, D(2022, 6, 22), "pass", "整改完成，发票齐全，系统已运行。")
    _decide(city, acceptance, D(2022, 7, 1), Action.ACCEPT)

    acceptance = _report(failed, D(2022, 5, 9), invoice_share="0.35")
    acceptance = _inspect(failed, acceptance, D(2022, 5, 18), "fail", "项目主体设备未购置，实际投资远低于申报。")
    acceptance = _decide(city, acceptance, D(2022, 5, 27), Action.CLAWBACK, note="项目未按申报内容实施。")
    paid = failed.payments.filter(status=PaymentStatus.PAID).values_list("amount", flat=True)
    amount = (sum(paid, Decimal(0)) / 2).quantize(Decimal("0.01"))
    with clock.at(at(D(2022, 6, 2))):
        clawback = services.clawback_propose(actor=city, acceptance_id=acceptance.pk, amount=amount,
                                             reason="项目未按申报内容实施，主体设备未购置。",
                                             legal_basis="《郑州市制造业高质量发展专项资金管理办法》第二十二条",
                                             refund_due=D(2022, 9, 30))
    with clock.at(at(D(2022, 6, 6))):
        services.clawback_confirm(actor=city2, clawback_id=clawback.pk)
    prep = User.objects.filter(username="demo_fin_prep").first() or city
    with clock.at(at(D(2022, 8, 16))):
        services.refund_record(actor=prep, clawback_id=clawback.pk, received_on=D(2022, 8, 15),
                               bank_reference="TK2022081500017", amount=(amount * Decimal("0.6")).quantize(
                                   Decimal("0.01")))
    if stdout:
        stdout.write(f"aftercare: 5 completion reports, 4 accepted (1 after rectification), 1 clawback of "
                     f"{amount / 10000:.2f}万元 with a partial refund")
    demo_followup.seed(stdout)  # the follow-up reports of 2022, reported in 2023
