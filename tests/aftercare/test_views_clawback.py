"""The clawback's pages: withdrawing a proposal (reason required, city only, proposed only, audited, the
enterprise told) and the XLSX of the overdue refunds (scoped, what is still outstanding, days overdue)."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import County
from accounts.roles import Role
from aftercare import services
from aftercare.models import Clawback
from aftercare.workflow import ClawbackStatus
from core import clock
from core.models import AuditLog, Notification
from tests.factories.accounts import UserFactory
from tests.helpers import login, xlsx_book

from .conftest import paid_project
from .test_clawback import propose

pytestmark = pytest.mark.django_db


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
