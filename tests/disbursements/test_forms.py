"""The commitment page's tranche form and the budget form: amounts in yuan go through core.money's strict parser;
odd input is refused with a Chinese reason, nothing is stored and what was typed stays in the field."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from disbursements.forms import BudgetEntryForm
from disbursements.models import Payment
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("typed", "reason"), [
    ("100,00.5", "千位分隔符必须每三位一组"),
    ("1e3", "科学计数法"),
    ("１００", "半角数字"),
    ("1.234", "最多保留 2 位小数"),
])
def test_odd_tranche_amounts_are_refused_and_kept(client, prep, commitment, typed, reason):
    login(client, prep)
    response = client.post(reverse("disbursements:commitment_detail", args=[commitment.pk]),
                           {"amount": typed, "purpose": ""})
    assert response.status_code == 400
    assert reason in response.context["form"].errors["amount"][0]
    assert f'value="{typed}"' in response.content.decode()
    assert not Payment.objects.exists()


def test_grouped_tranche_amount_is_stored(client, prep, commitment):
    login(client, prep)
    response = client.post(reverse("disbursements:commitment_detail", args=[commitment.pk]),
                           {"amount": "1,000.5", "purpose": ""})
    assert response.status_code == 302
    assert Payment.objects.get().amount == Decimal("1000.50")


def test_budget_entry_may_be_a_negative_adjustment_but_not_zero():
    with translation.override("zh-hans"):
        form = BudgetEntryForm({"fund_year": "2026", "kind": "adjustment", "amount": "-1,000.50",
                                "date": "2026-03-01"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["amount"] == Decimal("-1000.50")
        zero = BudgetEntryForm({"fund_year": "2026", "kind": "adjustment", "amount": "0", "date": "2026-03-01"})
        assert "必须大于零" in zero.errors["amount"][0]
