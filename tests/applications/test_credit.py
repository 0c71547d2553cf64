"""Credit screening on the way through the cycle: checks at intake recorded and told, qualification refused for a
listed enterprise until a reason is written by one city user and confirmed by another, and a new list checks
the open applications again."""

import datetime

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications.credit import credit_clearance_confirm, credit_clearance_propose
from applications.services.intake import application_accept
from applications.services.qualification import application_qualify
from applications.workflow import Status
from core.models import AuditLog, Notification
from core.workflow import TransitionNotAllowed
from credit.models import CreditList, CreditRecord, ListKind
from tests.factories.accounts import UserFactory
from tests.factories.applications import application_in

pytestmark = pytest.mark.django_db


def listed(application, source="最高人民法院"):
    city = UserFactory.for_role(Role.CITY)
    credit_list = CreditList.objects.create(kind=ListKind.DISHONEST_DEBTOR, source=source, rows=1, sha256="x",
                                            published_on=datetime.date(2021, 3, 1), imported_by=city)
    CreditRecord.objects.create(credit_list=credit_list, credit_code=application.enterprise.credit_code,
                                name=application.enterprise.name, reason="拒不履行生效判决")
    return credit_list


def test_county_intake_records_the_check_and_tells_the_city():
    clean = application_in(Status.SUBMITTED)
    flagged = application_in(Status.SUBMITTED, county=clean.county)
    listed(flagged)
    county = UserFactory.for_role(Role.COUNTY, county=clean.county)
    city = UserFactory.for_role(Role.CITY)
    application_accept(application=clean, actor=county)
    application_accept(application=flagged, actor=county)
    checks = {a.object_id: a.data for a in AuditLog.objects.filter(action="credit.check")}
    assert checks[str(clean.pk)]["count"] == 0 and checks[str(flagged.pk)]["count"] == 1
    assert checks[str(flagged.pk)]["hits"][0]["source"] == "最高人民法院"
    told = Notification.objects.filter(recipient=city, subject__contains="企业在信用名单中")
    assert told.count() == 1 and flagged.receipt_no in told.get().subject


def test_qualification_needs_a_reason_and_a_second_city_user():
    application = application_in(Status.CITY_ACCEPTED)
    listed(application)
    first, second = UserFactory.for_role(Role.CITY), UserFactory.for_role(Role.CITY)
    with pytest.raises(TransitionNotAllowed):
        application_qualify(application=application, actor=first)
    application.refresh_from_db()
    assert application.status == Status.CITY_ACCEPTED
    credit_clearance_propose(actor=first, application=application, reason="已履行完毕，法院已出具结案证明")
    with pytest.raises(TransitionNotAllowed):
        application_qualify(application=application, actor=first)
    with pytest.raises(TransitionNotAllowed):
        credit_clearance_confirm(actor=first, application=application)
    credit_clearance_confirm(actor=second, application=application)
    application_qualify(application=application, actor=first)
    application.refresh_from_db()
    assert application.status == Status.QUALIFIED
    actions = list(AuditLog.objects.filter(object_id=str(application.pk)).values_list("action", flat=True))
    assert "credit.clearance_propose" in actions and "credit.clearance_confirm" in actions


def test_an_unlisted_enterprise_qualifies_as_before():
    application = application_in(Status.CITY_ACCEPTED)
    application_qualify(application=application, actor=UserFactory.for_role(Role.CITY))
    application.refresh_from_db()
    assert application.status == Status.QUALIFIED


def test_a_new_list_checks_open_applications_again_and_tells_county_and_city(client_for):
    from credit.services import credit_list_import
    from tests.credit.test_services import xlsx

    open_app = application_in(Status.FORWARDED)
    closed_app = application_in(Status.WITHDRAWN)
    county = UserFactory.for_role(Role.COUNTY, county=open_app.county)
    city = UserFactory.for_role(Role.CITY)
    credit_list_import(actor=city, kind=ListKind.SERIOUS_VIOLATION, source="河南省发展改革委",
                       published_on=datetime.date(2021, 5, 1), filename="名单.xlsx",
                       data=xlsx([(open_app.enterprise.credit_code, open_app.enterprise.name, "", ""),
                                  (closed_app.enterprise.credit_code, closed_app.enterprise.name, "", "")]))
    checked = AuditLog.objects.filter(action="credit.check", data__stage="new_list")
    assert [c.object_id for c in checked] == [str(open_app.pk)]
    for user in (county, city):
        assert Notification.objects.filter(recipient=user, subject__contains=open_app.receipt_no).exists()
    page = client_for(city).get(reverse("applications:detail", args=[open_app.pk])).content.decode()
    assert "信用核查" in page and "河南省发展改革委" in page and "严重违法失信主体" in page
    enterprise_page = client_for(UserFactory(role=Role.ENTERPRISE, organisation=open_app.enterprise)).get(
        reverse("applications:detail", args=[open_app.pk])).content.decode()
    assert 'id="credit-h"' not in enterprise_page and "河南省发展改革委" not in enterprise_page


def test_the_clearance_pages_answer_by_role(client_for):
    application = application_in(Status.CITY_ACCEPTED)
    listed(application)
    url = reverse("applications:credit_clearance", args=[application.pk])
    assert client_for(Role.COUNTY, county=application.county).post(url, {"reason": "x"}).status_code in (403, 404)
    city = client_for(Role.CITY)
    response = city.post(url, {"reason": ""})
    assert response.status_code == 302 and not hasattr(application, "credit_clearance_cached")
    page = city.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "请说明该企业虽在信用名单中仍可通过资格审核的理由" in page
    assert city.post(url, {"reason": "已结案"}).status_code == 302
    assert application.__class__.objects.get(pk=application.pk).credit_clearance.reason == "已结案"


def test_lists_filter_by_credit_hits_and_exports_name_them(client_for):
    from tests.helpers import xlsx_book

    flagged = application_in(Status.FORWARDED)
    clean = application_in(Status.FORWARDED, county=flagged.county)
    listed(flagged, source="最高人民法院")
    city = client_for(Role.CITY)
    page = city.get(reverse("applications:list"), {"credit": "on"})
    shown = {row["id"] for row in page.context["page"].object_list}
    assert shown == {flagged.pk}
    assert "仅看信用名单内企业" in page.content.decode()
    book = xlsx_book(city.get(reverse("applications:export"), {"credit": "on"}))
    cells = [cell for row in book.worksheets[0].iter_rows(values_only=True) for cell in row if cell]
    assert any("失信被执行人" in str(c) and "最高人民法院" in str(c) and "2021-03-01" in str(c) for c in cells)
    everything = xlsx_book(city.get(reverse("applications:export")))
    receipts = [str(c) for row in everything.worksheets[0].iter_rows(values_only=True) for c in row if c]
    assert flagged.receipt_no in receipts and clean.receipt_no in receipts
    enterprise = client_for(UserFactory(role=Role.ENTERPRISE, organisation=flagged.enterprise))
    assert "仅看信用名单内企业" not in enterprise.get(reverse("applications:list")).content.decode()
