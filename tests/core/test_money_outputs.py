"""One figure everywhere: for random amounts (half-fen-of-万元 boundaries included) the application's detail page,
its PDF and the city's XLSX export show the same 万元 figure, rounded half-up by core.money."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from applications.services import application_submit
from core.money import format_wan, to_wan
from tests.factories import ApplicationFactory, UserFactory
from tests.factories.applications import attach_required, enterprise_user
from tests.helpers import login, pdf_text, xlsx_book

pytestmark = pytest.mark.django_db

# Yuan amounts ending in 50.00 are x.xx5 万元: the half-fen boundary where half-even and half-up disagree.
def half_fen(low, high):
    return st.integers(min_value=low // 100, max_value=high // 100 - 1).map(lambda k: Decimal(f"{k * 100 + 50}.00"))


def amounts(low, high):
    """Yuan between low and high (the factory's application allows them): on the boundary or anywhere."""
    return st.one_of(half_fen(low, high), st.decimals(min_value=low, max_value=high, places=2))


def export_row(client, receipt_no):
    response = client.get(reverse("applications:export"))
    assert response.status_code == 200
    rows = list(xlsx_book(response).active.iter_rows(values_only=True))
    at = next(i for i, row in enumerate(rows) if "申请奖补金额（万元）" in row)  # below the title rows
    return next(dict(zip(rows[at], row, strict=True)) for row in rows[at + 1:] if receipt_no in row)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(requested=amounts(1, 2_000_000), eligible=amounts(1_000_000, 30_000_000))
@example(requested=Decimal("1000250.00"), eligible=Decimal("25000050.00"))  # 100.025 万元 -> 100.03, never 100.02
def test_page_pdf_and_xlsx_show_the_same_wan_figure(client, tmp_path, requested, eligible):
    translation.activate("zh-hans")
    app = ApplicationFactory(requested_amount=requested, eligible_investment=eligible)
    user = enterprise_user(app)
    attach_required(app, user)
    application_submit(application=app, actor=user, declaration=True)
    app.refresh_from_db()
    wan_requested, wan_eligible = format_wan(requested), format_wan(eligible)
    assert wan_requested == f"{(requested / 10000).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"

    login(client, user)
    page = client.get(reverse("applications:detail", args=[app.pk])).content.decode()
    assert f"{wan_requested} 万元" in page and f"{wan_eligible} 万元" in page

    response = client.get(reverse("applications:pdf", args=[app.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert f"{wan_requested} 万元" in text and f"{wan_eligible} 万元" in text

    login(client, UserFactory(role=Role.CITY))
    row = export_row(client, app.receipt_no)
    assert Decimal(str(row["申请奖补金额（万元）"])) == to_wan(requested)
    assert f'{Decimal(str(row["申请奖补金额（万元）"])):,.2f}' == wan_requested
    assert f'{Decimal(str(row["符合条件投资（万元）"])):,.2f}' == wan_eligible
