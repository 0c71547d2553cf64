"""The third-party audit pages (reviews/views/audits.py): figures typed in 万元 and stored as exact yuan, a
firm's draft hidden from city staff and the official until submitted, ticks kept when the assignment form comes
back, headings translated."""

import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from applications.workflow import Status
from reviews.models import Audit
from reviews.services.audits import audit_save, audit_submit
from tests.factories import UserFactory
from tests.factories.applications import MINIMAL_PDF, category_with_rules
from tests.factories.reviews import (
    audit_given,
    auditor_user,
    fill_rubric,
    logged_in,
    with_proposal,
)
from tests.helpers import input_value

pytestmark = pytest.mark.django_db


def test_ticked_applications_stay_ticked_when_the_assignment_form_comes_back():
    city = UserFactory(role=Role.CITY)
    category = category_with_rules()
    fill_rubric(category)
    apps = [with_proposal(Status.REVIEWED, city, category) for _ in range(3)]
    response = logged_in(city).post(reverse("reviews:audit_assign", args=[category.round_id]),
                                    {"firm": "", "applications": [apps[0].pk, apps[2].pk]})
    assert response.status_code == 200 and response.context["form"].errors["firm"]
    body = response.content.decode()
    boxes = {int(m.group(1)): "checked" in m.group(0)
             for m in re.finditer(r'<input[^>]*name="applications" value="(\d+)"[^>]*>', body)}
    assert boxes == {apps[0].pk: True, apps[1].pk: False, apps[2].pk: True}


PENDING = "审计中（未提交）"


@pytest.fixture
def draft_audit():
    city = UserFactory(role=Role.CITY)
    audit = audit_given(city)
    auditor = auditor_user(audit.firm)
    audit_save(actor=auditor, audit=audit, audited_investment=Decimal("18505000.00"),
               audited_amount=Decimal("987600.00"), opinion="A的意见草稿",
               report=SimpleUploadedFile("草稿报告.pdf", MINIMAL_PDF, content_type="application/pdf"))
    return city, auditor, Audit.objects.get(pk=audit.pk)


def staff_pages(audit):
    return [reverse("reviews:audit_list"), reverse("reviews:audit_detail", args=[audit.pk]),
            reverse("reviews:award", args=[audit.application_id])]


def test_city_and_official_see_a_draft_audit_as_not_submitted(draft_audit):
    city, auditor, audit = draft_audit
    report_url = reverse("reviews:audit_report", args=[audit.pk])
    for client in (logged_in(city), logged_in(role=Role.OFFICIAL)):
        for url in staff_pages(audit):
            response = client.get(url)
            assert response.status_code == 200, url
            body = response.content.decode()
            assert "1,850.50" not in body and "925.25" not in body and "98.76" not in body, url
            assert "A的意见草稿" not in body and report_url not in body, url
            assert PENDING in body, url
        assert client.get(report_url).status_code == 302  # the draft report is not handed out either

    # the firm's own auditor still sees the draft
    own = logged_in(auditor)
    body = own.get(reverse("reviews:audit_detail", args=[audit.pk])).content.decode()
    assert "1,850.50" in body and "A的意见草稿" in body
    assert "1,850.50" in own.get(reverse("reviews:audit_list")).content.decode()
    assert PENDING not in body
    assert own.get(report_url).status_code == 200


def test_after_submit_city_and_official_see_the_figures(draft_audit):
    city, auditor, audit = draft_audit
    audit_submit(actor=auditor, audit=audit)
    for client in (logged_in(city), logged_in(role=Role.OFFICIAL)):
        lst, detail, award = (client.get(url).content.decode() for url in staff_pages(audit))
        assert "1,850.50" in lst and PENDING not in lst
        assert "1,850.50" in detail and "A的意见草稿" in detail and PENDING not in detail
        assert "A的意见草稿" in award and PENDING not in award
        assert reverse("reviews:audit_report", args=[audit.pk]) in award
        assert client.get(reverse("reviews:audit_report", args=[audit.pk])).status_code == 200


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_auditor_types_the_figures_in_wan_and_they_are_stored_as_exact_yuan():
    audit = audit_given(UserFactory(role=Role.CITY))
    client = logged_in(auditor_user(audit.firm))
    url = reverse("reviews:audit_detail", args=[audit.pk])
    body = client.get(url).content.decode()
    assert "审定投资额（万元）" in body and "审定金额（万元）" in body
    assert "（元）" not in body  # no yuan label next to the 万元 comparison figures
    proposal = audit.application.award_proposal
    if proposal.rule_cap is not None:  # the cap of the rule carries its unit
        assert re.search(r"上限 [\d,]+\.\d\d 万元", body), "the cap has no unit"

    response = client.post(url, {"audited_investment": "1,850.5", "audited_amount": "185.000001", "opinion": "",
                                 "save": "1", "version": audit.version})
    assert response.status_code == 302, response.content.decode()[:2000]
    audit.refresh_from_db()
    assert audit.audited_investment == Decimal("18505000.00")
    assert audit.audited_amount == Decimal("1850000.01")  # 6 decimals of 万元: exact to the fen
    body = client.get(url).content.decode()
    assert input_value(body, "audited_investment") == "1850.5"  # shown back in 万元, not 18505000
    assert input_value(body, "audited_amount") == "185.000001"
    assert "1,850.50" in body  # the comparison table, same unit


def test_a_wan_figure_with_too_many_digits_is_refused_and_kept():
    audit = audit_given(UserFactory(role=Role.CITY))
    client = logged_in(auditor_user(audit.firm))
    url = reverse("reviews:audit_detail", args=[audit.pk])
    version = audit.version
    response = client.post(url, {"audited_investment": "123456789", "audited_amount": "1.0000001", "opinion": "x",
                                 "save": "1", "version": version})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"audited_investment", "audited_amount"}
    body = response.content.decode()
    assert input_value(body, "audited_investment") == "123456789"
    audit.refresh_from_db()
    assert audit.audited_investment is None and audit.version == version


def test_the_audit_headings_are_translated():
    audit = audit_given(UserFactory(role=Role.CITY))
    city = english(logged_in(role=Role.CITY))
    for url in (reverse("reviews:audit_list"), reverse("reviews:audit_assign", args=[audit.application.round_id])):
        heading = re.search(r"<h1[^>]*>(.*?)</h1>", city.get(url).content.decode(), re.S).group(1)
        assert "Third-party audit (verification)" in heading and "审定" not in heading, heading
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", logged_in(role=Role.CITY).get(reverse("reviews:audit_list"))
                        .content.decode(), re.S).group(1)
    assert "第三方审计（审定）" in heading
