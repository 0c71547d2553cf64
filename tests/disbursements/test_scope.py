"""Scope matrix: an enterprise sees only its own payments (foreign ids answer 404), county staff their
county's, city-wide roles all, experts and auditors nothing."""


import pytest
from django.urls import reverse

from accounts.roles import Role
from tests.factories import UserFactory, county
from tests.factories import disbursements as f
from tests.factories.applications import ProfiledEnterpriseFactory, enterprise_user
from tests.helpers import login, xlsx_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(prep, appr):
    own = f.commitment("1000.00")  # 中原区
    other_org = ProfiledEnterpriseFactory(county=county("金水区"))
    foreign = f.sibling(own, "2000.00")
    foreign.application.enterprise = other_org
    foreign.payee = other_org
    foreign.county = other_org.county
    foreign.save()
    batch = f.sent_batch(prep, appr, [own, foreign])
    return {"own": own, "foreign": foreign, "batch": batch, "own_payment": own.payments.get(),
            "foreign_payment": foreign.payments.get()}


def get(client, name, *args):
    return client.get(reverse(f"disbursements:{name}", args=args))


def test_enterprise_sees_only_its_own(client_for, world):
    client = client_for(enterprise_user(world["own"].payee))
    assert get(client, "commitment_detail", world["own"].pk).status_code == 200
    assert get(client, "commitment_detail", world["foreign"].pk).status_code == 404
    assert get(client, "commitment_detail", 999999).status_code == 404
    page = get(client, "my_funds").content.decode()
    assert world["own"].purpose in page and world["foreign"].purpose not in page
    text = get(client, "payments").content.decode()
    assert world["own_payment"].reference in text and world["foreign_payment"].reference not in text
    for name, args in [("batch_detail", [world["batch"].pk]), ("batches", []), ("budget", []),
                       ("reconciliations", []), ("bank_file", [world["batch"].pk])]:
        assert get(client, name, *args).status_code == 403, name
    assert client.post(reverse("disbursements:payment_cancel", args=[world["foreign_payment"].pk]),
                       {"reason": "x"}).status_code == 403


def test_county_sees_its_county(client_for, world):
    client = client_for(Role.COUNTY)  # 中原区
    assert get(client, "commitment_detail", world["own"].pk).status_code == 200
    assert get(client, "commitment_detail", world["foreign"].pk).status_code == 404
    text = get(client, "commitments").content.decode()
    assert world["own"].payee.name in text and world["foreign"].payee.name not in text
    assert get(client, "batch_detail", world["batch"].pk).status_code == 403


@pytest.mark.parametrize("role", [Role.CITY, Role.OFFICIAL, Role.FINANCE_PREPARER, Role.FINANCE_APPROVER,
                                  Role.ADMIN])
def test_citywide_roles_see_all(client_for, world, role):
    client = client_for(role)
    for commitment in (world["own"], world["foreign"]):
        assert get(client, "commitment_detail", commitment.pk).status_code == 200
    text = get(client, "batch_detail", world["batch"].pk).content.decode()
    assert world["own_payment"].reference in text and world["foreign_payment"].reference in text
    assert get(client, "budget").status_code == 200


@pytest.mark.parametrize("role", [Role.EXPERT, Role.AUDITOR])
def test_other_roles_see_nothing(client_for, world, role):
    client = client_for(role)
    for name, args in [("payments", []), ("commitments", []), ("commitment_detail", [world["own"].pk]),
                       ("my_funds", []), ("batches", []), ("programmes", [])]:
        assert get(client, name, *args).status_code == 403, name


def test_enterprise_without_organisation_sees_nothing(client_for, world):
    client = client_for(UserFactory(role=Role.ENTERPRISE, organisation=None))
    assert get(client, "my_funds").status_code == 403


def test_anonymous_is_sent_to_login(client, world):
    response = get(client, "payments")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_enterprise_export_holds_only_its_rows(client_for, world):


    client = client_for(enterprise_user(world["own"].payee))
    response = get(client, "payments_export")
    sheet = xlsx_book(response).worksheets[0]
    refs = [row[0] for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert refs == [world["own_payment"].reference]


def test_an_enterprise_on_the_staff_lists_gets_only_its_own_filters(client, prep, appr):
    commitment = f.commitment("1000.00")
    payment = f.sent_batch(prep, appr, [commitment]).payments.get()
    user = enterprise_user(commitment.payee)
    login(client, user)
    for name, own in (("payments", payment.reference), ("commitments", commitment.purpose[:30])):
        response = client.get(reverse(f"disbursements:{name}"))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'name="county"' not in html and 'name="status"' not in html
        assert "已发送银行" not in html.split("<table")[0]  # no staff statuses offered as filters
        assert "金水区" not in html and reverse("disbursements:my_funds") in html
        assert own in html and '<th scope="col">收款单位</th>' not in html
    # a county filter typed into the address changes nothing for the enterprise
    html = client.get(reverse("disbursements:commitments") + "?county=999").content.decode()
    assert commitment.purpose[:30] in html


@pytest.mark.parametrize(("role", "county", "status"), [
    (Role.COUNTY, False, True), (Role.CITY, True, True), (Role.FINANCE_PREPARER, True, True)])
def test_staff_filters_follow_the_scope(client_for, role, county, status):
    client = client_for(role)
    commitments = client.get(reverse("disbursements:commitments")).content.decode()
    payments = client.get(reverse("disbursements:payments")).content.decode()
    assert ('name="county"' in commitments) is county and ("金水区" in commitments) is county
    assert ('name="status"' in payments) is status
