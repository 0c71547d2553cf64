"""XSS through the accounts app's free text: every company-profile field, colleague names and e-mails, the city's
deactivation reasons. Escaped in every page that shows them (the enterprise's own pages, the county's and the
city's enterprise list and detail, the application pages that name the enterprise), and in the forms shown again
with what was typed."""

import pytest
from django.urls import reverse

from accounts.models import County, User
from accounts.roles import Role
from applications.workflow import Status
from tests.factories import ProfiledEnterpriseFactory, UserFactory
from tests.factories.applications import application_in, browser, enterprise_user, profile_post
from tests.security.xss import ESCAPED, XSS, assert_escaped

pytestmark = pytest.mark.django_db
SHORT = "<svg/onload=alert(1)>"  # for the short columns (phone, bank account ...)


@pytest.fixture
def hostile_company():
    org = ProfiledEnterpriseFactory(
        county=County.objects.get(name="中原区"), name=f"企业{XSS}", legal_representative=XSS[:50],
        contact_person=XSS[:50], contact_phone=SHORT, address=XSS, bank_account_name=f"企业{XSS}", bank_name=XSS,
        bank_account_no=SHORT, is_verified=False)
    org.me = UserFactory(role=Role.ENTERPRISE, organisation=org, first_name=XSS[:150], last_name=SHORT,
                         email="x@example.cn")
    org.app = application_in(Status.SUBMITTED, enterprise=org)
    return org


def no_short_payload(body):
    assert "<svg/onload" not in body
    return body


def test_profile_fields_are_escaped_on_the_enterprises_own_pages(hostile_company):
    client = browser(hostile_company.me)
    no_short_payload(assert_escaped(client.get(reverse("accounts:company"))))
    body = no_short_payload(assert_escaped(client.get(reverse("accounts:company") + "?edit=1")))
    assert "&lt;svg/onload=alert(1)&gt;" in body  # the short fields too, inside the inputs' values
    no_short_payload(assert_escaped(client.get(reverse("accounts:colleagues"))))
    no_short_payload(assert_escaped(client.get(reverse("accounts:profile"))))
    no_short_payload(assert_escaped(client.get(reverse("applications:detail", args=[hostile_company.app.pk]))))


@pytest.mark.parametrize("role", [Role.CITY, Role.COUNTY])
def test_profile_fields_and_user_names_are_escaped_on_the_bureaus_pages(hostile_company, role):
    client = browser(UserFactory.for_role(role, **({"county": hostile_company.county} if role == Role.COUNTY
                                                   else {})))
    no_short_payload(assert_escaped(client.get(reverse("accounts:enterprises"))))
    body = no_short_payload(assert_escaped(client.get(reverse("accounts:enterprise", args=[hostile_company.pk]))))
    assert body.count("&lt;script&gt;") >= 3  # name, representative, address, user name ...
    no_short_payload(assert_escaped(client.get(reverse("applications:list"))))
    no_short_payload(assert_escaped(client.get(reverse("applications:detail", args=[hostile_company.app.pk]))))


def test_the_citys_deactivation_reason_is_escaped_in_the_enterprises_notifications(hostile_company):
    city = browser(Role.CITY)
    city.post(reverse("accounts:enterprise_action", args=[hostile_company.pk, "deactivate"]),
              {"reason": XSS, "version": hostile_company.version})
    hostile_company.refresh_from_db()
    assert not hostile_company.is_active
    city.post(reverse("accounts:enterprise_action", args=[hostile_company.pk, "reactivate"]),
              {"version": hostile_company.version})
    hostile_company.refresh_from_db()
    assert hostile_company.is_active
    assert_escaped(browser(hostile_company.me).get(reverse("core:notifications")))


def test_a_colleague_named_with_the_payload_is_escaped(hostile_company):
    client = browser(hostile_company.me)
    response = client.post(reverse("accounts:colleagues"), {
        "username": "colleague_x", "full_name": XSS, "email": "c@example.cn", "phone": ""}, follow=True)
    assert User.objects.filter(username="colleague_x", first_name=XSS).exists()
    body = no_short_payload(assert_escaped(response))
    assert body.count(ESCAPED) >= 2  # the success message and the list of users


def test_typed_payload_is_escaped_when_the_registration_form_is_shown_again(client):
    response = client.post(reverse("accounts:register"), {
        "credit_code": XSS[:30], "name": XSS, "address": XSS, "username": "x", "full_name": XSS,
        "contact_person": XSS[:50], "email": "not-an-email", "password1": "a", "password2": "b"})
    body = assert_escaped(response)
    assert body.count(ESCAPED) >= 2


def test_typed_payload_is_escaped_when_the_profile_form_is_shown_again(hostile_company):
    client = browser(hostile_company.me)
    response = client.post(reverse("accounts:company"), profile_post(hostile_company, contact_phone="", address=XSS))
    assert response.status_code == 200  # the phone is required: shown again with what was typed
    assert_escaped(response)


def test_the_enterprise_user_sees_colleagues_names_escaped_in_their_notifications(hostile_company):
    colleague = enterprise_user(hostile_company, first_name=XSS[:150])
    assert_escaped(browser(colleague).get(reverse("accounts:colleagues")))
