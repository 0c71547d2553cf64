"""Submission: the window (server time), receipt numbers (gap-free per round and county), versions, eligibility."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import County
from accounts.roles import Role
from applications.models import Application, ApplicationVersion, ReceiptCounter
from applications.services import (
    application_create_draft,
    application_return,
    application_save_draft,
    application_submit,
    application_withdraw,
)
from applications.workflow import Status
from core.models import Notification
from tests.factories import ApplicationFactory, ProfiledEnterpriseFactory, UserFactory, category_with_rules
from tests.factories.applications import attach_required, ensure_counties, enterprise_user
from tests.race import race

pytestmark = pytest.mark.django_db


def ready(category=None, **kwargs):
    """A complete draft with its files, and its enterprise user."""
    app = ApplicationFactory(**({"category": category} if category else {}), **kwargs)
    user = enterprise_user(app)
    attach_required(app, user)
    return app, user


def submit(app, user, **kwargs):
    return application_submit(application=app, actor=user, declaration=True, **kwargs)


def test_submission_gives_a_receipt_number_and_freezes_a_version():
    app, user = ready()
    county_staff = UserFactory(role=Role.COUNTY, county=app.county)
    submit(app, user)
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    assert app.receipt_no == f"{app.round.year}-ZY-0001"
    assert app.first_submitted_at and app.declaration_accepted_at
    version = ApplicationVersion.objects.get(application=app)
    assert version.number == 1 and version.data["project_name"] == app.project_name
    assert version.data["attachments"][0]["sha256"]
    assert Notification.objects.filter(recipient=county_staff, subject__contains=app.receipt_no).exists()
    assert Notification.objects.filter(recipient=user, subject__contains="申报已提交").exists()


def test_submission_after_the_deadline_is_refused_with_a_clear_message():
    app, user = ready()
    round_ = app.round
    round_.opens_at = timezone.now() - datetime.timedelta(days=30)
    round_.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    round_.save()
    with pytest.raises(ValidationError) as excinfo:
        submit(app, user)
    assert excinfo.value.code == "window"
    assert "截止" in excinfo.value.messages[0] and "服务器时间" in excinfo.value.messages[0]
    app.refresh_from_db()
    assert (app.status, app.receipt_no) == (Status.DRAFT, "")
    assert not ReceiptCounter.objects.filter(round=round_, last_number__gt=0).exists()


def test_submission_before_the_window_opens_is_refused():
    app, user = ready()
    app.round.opens_at = timezone.now() + datetime.timedelta(days=1)
    app.round.closes_at = timezone.now() + datetime.timedelta(days=30)
    app.round.save()
    with pytest.raises(ValidationError) as excinfo:
        submit(app, user)
    assert "开始" in excinfo.value.messages[0]


def test_the_deadline_uses_server_time_not_what_the_browser_says(client_for):
    app, user = ready()
    app.round.closes_at = timezone.now() - datetime.timedelta(seconds=5)
    app.round.save()
    client = client_for(user)
    response = client.post(reverse("applications:submit", args=[app.pk]),
                           {"declaration": "on", "version": app.version}, HTTP_DATE="Mon, 01 Jan 2001 00:00:00 GMT",
                           follow=True)
    assert "截止" in response.content.decode()
    app.refresh_from_db()
    assert app.status == Status.DRAFT


def test_corrections_are_accepted_until_the_county_deadline():
    app, user = ready()
    submit(app, user)
    county = UserFactory(role=Role.COUNTY, county=app.county)
    app = application_return(application=Application.objects.get(pk=app.pk), actor=county, note="请补充发票")
    round_ = app.round
    round_.closes_at = timezone.now() - datetime.timedelta(hours=1)
    round_.opens_at = timezone.now() - datetime.timedelta(days=20)
    round_.county_deadline = timezone.localdate() + datetime.timedelta(days=3)
    round_.save()
    submit(Application.objects.get(pk=app.pk), user)
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
    assert app.receipt_no.endswith("-0001")  # the receipt number stays
    assert list(app.versions.values_list("number", flat=True)) == [1, 2]
    # a fresh draft after the close is refused even though corrections are still accepted
    other, other_user = ready(category=app.category)
    with pytest.raises(ValidationError):
        submit(other, other_user)


def test_incomplete_applications_are_refused_and_consume_no_number():
    app = ApplicationFactory(total_investment=None)
    user = enterprise_user(app)
    with pytest.raises(ValidationError) as excinfo:
        submit(app, user)
    messages = " ".join(excinfo.value.messages)
    assert "项目总投资" in messages and "项目备案文件" in messages
    complete, complete_user = ready(category=app.category)
    submit(complete, complete_user)
    complete.refresh_from_db()
    assert complete.receipt_no.endswith("-0001")


def test_declaration_is_required():
    app, user = ready()
    with pytest.raises(ValidationError) as excinfo:
        application_submit(application=app, actor=user, declaration=False)
    assert excinfo.value.code == "declaration"


def test_requested_amount_above_the_award_rule_is_refused():
    app, user = ready(requested_amount=Decimal("2000000.01"))  # 10% of 20,000,000 = 2,000,000.00
    with pytest.raises(ValidationError) as excinfo:
        submit(app, user)
    assert "200.00" in " ".join(excinfo.value.messages)


def test_receipt_numbers_are_per_county_and_gap_free():
    category = category_with_rules()
    zy, js = County.objects.get(name="中原区"), County.objects.get(name="金水区")
    numbers = []
    for county in (zy, js, zy, zy, js):
        app, user = ready(category=category, enterprise=ProfiledEnterpriseFactory(county=county))
        submit(app, user)
        app.refresh_from_db()
        numbers.append(app.receipt_no)
    year = category.round.year
    assert numbers == [f"{year}-ZY-0001", f"{year}-JS-0001", f"{year}-ZY-0002", f"{year}-ZY-0003",
                       f"{year}-JS-0002"]


def test_county_is_copied_from_the_enterprise_at_submission():
    app, user = ready()
    app.enterprise.county = County.objects.get(name="二七区")
    app.enterprise.save()
    submit(app, user)
    app.refresh_from_db()
    assert app.county.name == "二七区" and "-EQ-" in app.receipt_no


def test_withdrawal_before_county_acceptance_only():
    app, user = ready()
    submit(app, user)
    application_withdraw(application=Application.objects.get(pk=app.pk), actor=user, note="重复提交")
    app.refresh_from_db()
    assert app.status == Status.WITHDRAWN


def test_above_scale_only_category_refuses_small_enterprises_at_the_pre_check(client_for):
    category = category_with_rules(above_scale_only=True)
    small = ProfiledEnterpriseFactory(is_above_scale=False)
    user = UserFactory(role=Role.ENTERPRISE, organisation=small)
    with pytest.raises(ValidationError):
        application_create_draft(actor=user, category=category)
    page = client_for(user).get(reverse("applications:apply"))
    check = next(c for c in page.context["checks"] if c.category == category)
    assert not check.eligible and "规上" in check.reasons[0]
    assert "仅限规上" in page.content.decode()


def test_versions_can_be_compared(client_for):
    app, user = ready()
    submit(app, user)
    county = UserFactory(role=Role.COUNTY, county=app.county)
    application_return(application=Application.objects.get(pk=app.pk), actor=county, note="金额有误")
    app.refresh_from_db()
    application_save_draft(application=app, actor=user, data={"requested_amount": Decimal("1500000.00")},
                           expected_version=app.version)
    submit(Application.objects.get(pk=app.pk), user)
    response = client_for(county).get(reverse("applications:compare", args=[app.pk]), {"a": 1, "b": 2})
    assert response.status_code == 200
    changed = [(label, old, new) for label, old, new, flag in response.context["rows"] if flag]
    assert len(changed) == 1
    label, old, new = changed[0]
    assert "申请奖补金额" in label and "200.00" in old and "150.00" in new
    assert "有变化" in response.content.decode()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_get_unique_gap_free_numbers(postgres):
    ensure_counties()
    category = category_with_rules()
    prepared = [ready(category=category) for _ in range(8)]
    outcomes = race(lambda app, user: submit(Application.objects.get(pk=app.pk), user), prepared)
    errors = [value for kind, value in outcomes if kind == "error"]
    assert errors == []
    numbers = sorted(Application.objects.filter(round=category.round).values_list("receipt_no", flat=True))
    year = category.round.year
    assert numbers == [f"{year}-ZY-{n:04d}" for n in range(1, 9)]
    assert ReceiptCounter.objects.get(round=category.round).last_number == 8
