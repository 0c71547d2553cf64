"""The application form's amounts (万元) go through core.money's strict parser: odd input is refused with a
Chinese reason, nothing is stored and what was typed stays in the field."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from applications.forms import ApplicationForm, ListFilterForm
from tests.factories import ApplicationFactory
from tests.factories.applications import edit_draft
from tests.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client, draft):
    login(client, draft.user)
    return draft


def post(client, app, **fields):
    app.refresh_from_db()
    return client.post(reverse("applications:edit", args=[app.pk]),
                       {"version": app.version, "project_name": app.project_name, **fields})


@pytest.mark.parametrize(("typed", "reason"), [
    ("100,00.5", "千位分隔符必须每三位一组"),
    ("1e3", "科学计数法"),
    ("１００", "半角数字"),
    ("1.2345678", "最多保留 6 位小数"),
])
def test_odd_amounts_are_refused_and_kept(client, draft, typed, reason):
    before = draft.requested_amount
    response = post(client, draft, requested_amount=typed)
    assert response.status_code == 200
    assert reason in response.context["form"].errors["requested_amount"][0]
    assert f'value="{typed}"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.requested_amount == before


def test_grouped_amount_is_stored_in_yuan(client, draft):
    response = post(client, draft, requested_amount="1,000.5", total_investment="3,000")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.requested_amount == Decimal("10005000.00") and draft.total_investment == Decimal("30000000.00")


def test_stored_yuan_is_shown_in_wan_as_typed():
    app = ApplicationFactory(requested_amount=Decimal("1000250.00"))
    assert 'value="100.025"' in str(ApplicationForm(instance=app)["requested_amount"])


def test_list_filter_cleans_wan_to_yuan():
    with translation.override("zh-hans"):
        form = ListFilterForm({"amount_min": "1,000.5", "amount_max": "1e3"})
        assert not form.is_valid()
        assert form.cleaned_data["amount_min"] == Decimal("10005000.00")
        assert "科学计数法" in form.errors["amount_max"][0]


MONEY = ("total_investment", "eligible_investment", "equipment_investment", "requested_amount")


@pytest.mark.parametrize("typed", ["1,000", "1，000", "1 000", "1,000.5", "12,345,678.25", " 2,000 "])
def test_money_fields_accept_thousands_separators(client_for, draft, typed):
    client = client_for(draft.user)
    response = edit_draft(client, draft, project_name=draft.project_name,
                          **dict.fromkeys(MONEY, typed))
    assert response.status_code == 302, response.context and response.context["form"].errors
    draft.refresh_from_db()
    expected = Decimal(typed.replace(",", "").replace("，", "").replace(" ", "")) * 10000
    assert [getattr(draft, name) for name in MONEY] == [expected] * 4


@pytest.mark.parametrize("typed", ["1,0a0", "1,5", "12,34,567", "1,000,00", ",100"])
def test_misplaced_separators_and_letters_are_refused_and_kept(client_for, draft, typed):
    before = draft.total_investment
    response = edit_draft(client_for(draft.user), draft, project_name=draft.project_name, total_investment=typed)
    assert response.status_code == 200
    assert response.context["form"].errors["total_investment"][0] in (
        "千位分隔符必须每三位一组，例如 1,000,000.50。", "请输入数字金额，例如 1,000.50。")
    assert f'value="{typed}"' in response.content.decode()
    draft.refresh_from_db()
    assert draft.total_investment == before
