"""The acceptance pages: scope (foreign projects 404), the step each role sees, forms keeping what was typed;
withdrawing a clawback proposal (reason required, city only, proposed only, audited, the enterprise told) and the
XLSX of the overdue refunds (scoped, what is still outstanding, days overdue)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import County
from accounts.roles import Role
from aftercare import services
from aftercare.models import Acceptance, Clawback
from aftercare.workflow import ClawbackStatus, Status
from core import clock
from core.models import AuditLog, Notification
from tests.factories.accounts import UserFactory
from tests.factories.applications import enterprise_user, pdf_upload
from tests.helpers import login, xlsx_book, xlsx_cells

from .conftest import paid_project
from .test_clawback import propose

pytestmark = pytest.mark.django_db


def report_post(**kw):
    data = {"version": "0", "actual_investment": "26,000,000.00", "invoice_amount": "24500000",
            "equipment_list": "数控机床 2台", "files": [pdf_upload("完工报告.pdf")]}
    data.update(kw)
    return data


def test_the_enterprise_sees_only_its_projects_and_reports_with_files(client, project, owner):
    other = paid_project()
    login(client, owner)
    page = client.get(reverse("aftercare:list")).content.decode()
    assert project.application.project_name in page and other.application.project_name not in page
    assert client.get(reverse("aftercare:detail", args=[other.pk])).status_code == 404
    assert client.post(reverse("aftercare:report", args=[other.pk]), report_post()).status_code == 404
    detail = client.get(reverse("aftercare:detail", args=[project.pk])).content.decode()
    assert "提交完工报告" in detail and "2022-03-31" in detail  # twelve months after the first payment
    response = client.post(reverse("aftercare:report", args=[project.pk]), report_post())
    assert response.status_code == 302
    acceptance = Acceptance.objects.get()
    assert acceptance.status == Status.SUBMITTED and str(acceptance.actual_investment) == "26000000.00"
    item = acceptance.files.get()
    download = client.get(reverse("aftercare:file", args=[project.pk, item.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_bad_report_shows_chinese_errors_and_keeps_the_text(client, project, owner):
    login(client, owner)
    response = client.post(reverse("aftercare:report", args=[project.pk]),
                           report_post(actual_investment="12ab", equipment_list="机床三台"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "机床三台" in page and 'value="12ab"' in page and "is-invalid" in page
    assert not Acceptance.objects.exists()


def test_county_inspects_its_county_only_and_city_decides(client, project, owner, county_user, city):
    login(client, owner)
    client.post(reverse("aftercare:report", args=[project.pk]), report_post())
    acceptance = Acceptance.objects.get()
    outsider = UserFactory(role=Role.COUNTY, county=County.objects.exclude(pk=project.county_id).first())
    login(client, outsider)
    assert client.get(reverse("aftercare:detail", args=[project.pk])).status_code == 404
    login(client, county_user)
    page = client.get(reverse("aftercare:detail", args=[project.pk])).content.decode()
    assert '<h2 class="h5">登记现场核查</h2>' in page and "数控机床 2台" in page
    response = client.post(reverse("aftercare:inspection", args=[project.pk]), {
        "version": acceptance.version, "visit_date": "2020-05-06", "inspectors": "王科长", "findings": "设备已投产",
        "recommendation": "pass"})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient__role=Role.CITY, kind="acceptance.inspect").exists()
    login(client, county_user)
    assert client.post(reverse("aftercare:decision", args=[project.pk]), {"action": "accept"}).status_code == 403
    login(client, city)
    acceptance.refresh_from_db()
    response = client.post(reverse("aftercare:decision", args=[project.pk]),
                           {"version": acceptance.version, "action": "rectify", "note": ""})
    assert response.status_code == 400 and "请设定整改期限" in response.content.decode()
    response = client.post(reverse("aftercare:decision", args=[project.pk]),
                           {"version": acceptance.version, "action": "accept"})
    assert response.status_code == 302
    assert Acceptance.objects.get().status == Status.ACCEPTED
    assert Notification.objects.filter(recipient=owner, kind="acceptance.accept").exists()


def test_the_export_lists_the_county_rows_only(client, project, county_user):
    other = paid_project(county=County.objects.exclude(pk=project.county_id).first())
    login(client, county_user)
    response = client.get(reverse("aftercare:export"))
    assert response.status_code == 200
    texts = {cell.value for cell in xlsx_cells(response, filled=True)}
    assert project.application.project_name in texts and other.application.project_name not in texts
    assert project.county.name in " ".join(str(t) for t in texts)  # the title names the county
    assert Acceptance.objects.count() == 0


def test_other_roles_are_refused(client, project):
    login(client, UserFactory(role=Role.EXPERT))
    assert client.get(reverse("aftercare:list")).status_code == 403
    login(client, enterprise_user(project.application))
    assert client.get(reverse("aftercare:export")).status_code == 403

def withdraw(client, project, clawback, note="企业已补充证明材料，追回依据不足"):
    return client.post(reverse("aftercare:clawback_withdraw", args=[project.pk]),
                       {"withdraw-version": clawback.version, "withdraw-note": note})


def test_a_city_officer_withdraws_a_proposal_with_a_reason_and_the_enterprise_is_told(
        client, project, opened, city, city2, owner):
    clawback = propose(city, opened)
    login(client, city2)
    page = client.get(reverse("aftercare:detail", args=[project.pk])).content.decode()
    assert "撤回追回提议" in page and 'name="withdraw-note"' in page
    response = withdraw(client, project, clawback, note="  ")
    assert response.status_code == 400 and "请填写作出该决定的原因" in response.content.decode()
    assert Clawback.objects.get().status == ClawbackStatus.PROPOSED
    response = withdraw(client, project, clawback)
    assert response.status_code == 302
    assert Clawback.objects.get().status == ClawbackStatus.WITHDRAWN
    row = AuditLog.objects.get(action="clawback.withdraw")
    assert row.actor == city2 and row.note == "企业已补充证明材料，追回依据不足" and row.data["amount_yuan"]
    told = Notification.objects.get(recipient=owner, kind="clawback.withdraw")
    assert "企业已补充证明材料" in told.body and "30.00 万元" in told.body
    # the page offers a new proposal again
    page = client.get(reverse("aftercare:detail", args=[project.pk])).content.decode()
    assert f'action="{reverse("aftercare:clawback", args=[project.pk])}"' in page


def test_a_decided_clawback_cannot_be_withdrawn(client, project, opened, city, city2):
    clawback = services.clawback_confirm(actor=city2, clawback_id=propose(city, opened).pk)
    login(client, city)
    page = client.get(reverse("aftercare:detail", args=[project.pk])).content.decode()
    assert 'name="withdraw-note"' not in page
    response = withdraw(client, project, clawback)
    assert response.status_code == 400 and "当前状态下不允许此操作" in response.content.decode()
    assert Clawback.objects.get().status == ClawbackStatus.CONFIRMED
    assert not AuditLog.objects.filter(action="clawback.withdraw").exists()


def test_only_the_city_withdraws_and_a_project_without_a_clawback_answers_404(
        client, project, opened, city, owner, county_user):
    clawback = propose(city, opened)
    for user in (owner, county_user, UserFactory(role=Role.FINANCE_PREPARER)):
        login(client, user)
        assert withdraw(client, project, clawback).status_code == 403
    other = paid_project()
    login(client, city)
    assert withdraw(client, other, clawback).status_code == 404
    assert Clawback.objects.get().status == ClawbackStatus.PROPOSED


def test_the_overdue_export_lists_what_is_outstanding_in_the_users_scope(
        client, project, opened, city, city2, county_user):
    clawback = services.clawback_confirm(actor=city2, clawback_id=propose(city, opened).pk)
    services.refund_record(actor=city, clawback_id=clawback.pk, received_on=clock.today(), bank_reference="TK01",
                           amount=Decimal("100000.00"))
    Clawback.objects.filter(pk=clawback.pk).update(refund_due=clock.today() - datetime.timedelta(days=12))
    login(client, city)
    assert reverse("aftercare:overdue_export") in client.get(reverse("aftercare:overdue")).content.decode()
    sheet = xlsx_book(client.get(reverse("aftercare:overdue_export"))).worksheets[0]
    assert "逾期" in sheet["A1"].value and "全市" in sheet["A1"].value
    header = [cell.value for cell in sheet[3]]
    row = dict(zip(header, [cell.value for cell in sheet[4]], strict=True))
    payee = project.payee
    assert row["企业"] == payee.name and row["统一社会信用代码"] == payee.credit_code
    assert row["县（市、区）"] == project.county.name
    assert (row["追回金额（元）"], row["已退款（元）"], row["尚未退款（元）"]) == (300000, 100000, 200000)
    assert row["逾期天数"] == 12
    outsider = UserFactory(role=Role.COUNTY, county=County.objects.exclude(pk=project.county_id).first())
    login(client, outsider)
    assert xlsx_book(client.get(reverse("aftercare:overdue_export"))).worksheets[0].max_row <= 3
    login(client, county_user)
    assert xlsx_book(client.get(reverse("aftercare:overdue_export"))).worksheets[0]["A4"].value == payee.name
