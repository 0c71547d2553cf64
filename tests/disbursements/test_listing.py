"""disbursements.listing: the finance list's rows, rendered in Python, show what the template showed."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.roles import Role
from disbursements.listing import payment_rows_html
from disbursements.models import Payment
from tests.factories import ProfiledEnterpriseFactory
from tests.factories import disbursements as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(counties, prep, appr):
    commitment = f.commitment("1234567.80", application=f.budget_listed_application(
        enterprise=ProfiledEnterpriseFactory(name="郑州<b>重工</b>有限公司")))
    return f.approved_batch(prep, appr, [commitment])


def test_the_finance_list_shows_each_payments_link_payee_amount_status_batch_and_dates(batch, client_for):
    payment = Payment.objects.get(batch=batch)
    Payment.objects.filter(pk=payment.pk).update(paid_on=date(2021, 5, 6))
    payment.refresh_from_db()
    body = client_for(Role.CITY).get(reverse("disbursements:payments")).content.decode()
    detail = reverse("disbursements:payment_detail", args=[payment.pk])
    assert f'<td class="text-nowrap"><a href="{detail}">{payment.reference}</a></td>' in body
    assert "<td>郑州&lt;b&gt;重工&lt;/b&gt;有限公司</td>" in body and "<b>重工" not in body
    assert f'<td class="hide-sm">{payment.commitment.county.name}</td>' in body
    assert f'<td class="num">{payment.amount:,.2f}</td>' in body
    assert '<span class="badge dsb-badge' in body and payment.get_status_display() in body
    batch_link = reverse("disbursements:batch_detail", args=[batch.pk])
    assert f'<td class="hide-sm text-nowrap"><a href="{batch_link}">{batch.reference}</a></td>' in body
    assert '<td class="text-nowrap">2021-05-06</td>' in body
    assert f'<td class="hide-sm text-nowrap">{payment.commitment.due_date:%Y-%m-%d}</td>' in body


def test_an_enterprise_sees_its_own_payments_without_payee_county_or_batch(batch):
    from disbursements.selectors import payment_list_shown
    from tests.factories import UserFactory

    payment = payment_list_shown(UserFactory.for_role(Role.CITY)).get(batch=batch)
    own = str(payment_rows_html([payment], own_only=True, link_batches=False))
    assert payment["reference"] in own and "重工" not in own and batch.reference not in own
    assert own.count("<td") == 5 and '<td class="text-nowrap">—</td>' in own  # not paid yet
    other = str(payment_rows_html([payment], own_only=False, link_batches=False))
    assert other.count("<td") == 8 and batch.reference not in other  # the batch is linked to finance roles only


def test_a_batch_page_shows_each_payments_commitment_link_payee_account_amount_preparer_and_failure(batch, client_for):
    from disbursements.listing import batch_payment_rows_html
    from disbursements.workflow import PaymentStatus

    payment = Payment.objects.select_related("prepared_by").get(batch=batch)
    page = client_for(Role.FINANCE_APPROVER).get(reverse("disbursements:batch_detail", args=[batch.pk]))
    body = page.content.decode()
    commitment = reverse("disbursements:commitment_detail", args=[payment.commitment_id])
    assert f'<td class="text-nowrap"><a href="{commitment}">{payment.reference}</a></td>' in body
    assert "<td>郑州&lt;b&gt;重工&lt;/b&gt;有限公司</td>" in body and "<b>重工" not in body
    assert f'<td class="word-break">{payment.payee_account}</td>' in body
    assert f'<td class="num">{payment.amount:,.2f}</td>' in body
    assert f'<td class="hide-sm">{payment.prepared_by}</td>' in body
    assert '<td class="text-nowrap">—</td>' in body  # not paid yet
    payment.status, payment.failure_code = PaymentStatus.FAILED, "account_closed"
    payment.failure_reason = "<户名>已销户"
    failed = str(batch_payment_rows_html([payment]))
    assert f"{payment.get_failure_code_display()}：&lt;户名&gt;已销户</div>" in failed
    payment.failure_reason = ""
    assert f'text-danger">{payment.get_failure_code_display()}</div>' in str(batch_payment_rows_html([payment]))
    assert str(batch_payment_rows_html([])) == ""
