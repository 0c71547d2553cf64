"""Policy matching: registry entries that qualify for a category and have not applied to it, with reasons; the
city's invitations (draft and notification for registered enterprises); the enterprise's dashboard part and the
call page's funnel."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from applications.matching import category_matches, funnel, invitations_send, matches_for_enterprise
from applications.models import Application, Invitation
from applications.workflow import Status
from core.dashboard import dashboard_for
from core.models import AuditLog
from core.workflow import TransitionNotAllowed
from credit.models import RegistryEntry, RegistryImport
from tests.factories.accounts import UserFactory, county
from tests.factories.applications import (
    ApplicationFactory,
    CategoryFactory,
    ProfiledEnterpriseFactory,
    browser,
    enterprise_user,
)
from tests.factories.disbursements import credit_code

pytestmark = pytest.mark.django_db


def registry(*rows, year=2026):
    city = UserFactory.for_role(Role.CITY)
    imported = RegistryImport.objects.create(year=year, source="郑州市统计局", sha256="x", rows=len(rows),
                                             imported_by=city)
    for n, (code, industry, above, investment) in enumerate(rows):
        RegistryEntry.objects.create(registry=imported, year=year, credit_code=code, name=f"企业{n}",
                                     county=county(), industry_code=industry, above_scale=above,
                                     revenue=Decimal("1"), investment=Decimal(investment))
    return imported


def codes(matches):
    return {m.entry.credit_code for m in matches}


def test_each_rule_excludes_and_reasons_are_given():
    category = CategoryFactory(above_scale_only=True, min_eligible_investment=Decimal("20000000"))
    ok, small, low, service = credit_code(1), credit_code(2), credit_code(3), credit_code(4)
    registry((ok, "3411", True, "32000000"), (small, "3411", False, "32000000"), (low, "3411", True, "1000"),
             (service, "5211", True, "32000000"))
    found = category_matches(category)
    assert codes(found) == {ok}
    text = found[0].reasons_text
    assert "3,200" in text and "2,000" in text and "34" in text


def test_only_the_latest_registry_counts_and_county_filters():
    category = CategoryFactory()
    registry((credit_code(5), "3411", True, "1"))
    registry((credit_code(6), "3411", True, "1"))
    assert codes(category_matches(category)) == {credit_code(6)}
    assert category_matches(category, county=county("金水区")) == []


def test_an_enterprise_that_applied_is_not_listed_but_a_draft_does_not_count():
    category = CategoryFactory()
    applied = ApplicationFactory(category=category, round=category.round, status=Status.SUBMITTED)
    drafting = ApplicationFactory(category=category, round=category.round)
    registry((applied.enterprise.credit_code, "3411", True, "1"), (drafting.enterprise.credit_code, "3411", True, "1"))
    found = category_matches(category)
    assert codes(found) == {drafting.enterprise.credit_code}
    assert found[0].organisation == drafting.enterprise


def test_inviting_a_registered_enterprise_creates_a_draft_and_a_notification():
    category = CategoryFactory()
    org = ProfiledEnterpriseFactory()
    user = enterprise_user(org)
    outsider = credit_code(7)
    registry((org.credit_code, "3411", True, "1"), (outsider, "3411", True, "1"))
    city = UserFactory.for_role(Role.CITY)
    created = invitations_send(actor=city, category=category, credit_codes=[org.credit_code, outsider])
    assert len(created) == 2
    mine = Invitation.objects.get(credit_code=org.credit_code)
    assert mine.organisation == org and mine.draft.status == Status.DRAFT and mine.draft.enterprise == org
    assert mine.draft.location == org.address and mine.invited_by == city
    unregistered = Invitation.objects.get(credit_code=outsider)
    assert unregistered.organisation is None and unregistered.draft is None
    notice = user.notifications.get(kind="invitation.send")
    assert notice.email_wanted and notice.link == reverse("applications:edit", args=[mine.draft.pk])
    assert category.name in notice.subject and "行业 C34" in notice.body
    assert AuditLog.objects.filter(action="invitation.send").count() == 2
    from django.utils import translation

    from core.audit_notes import render_note

    with translation.override("zh-hans"):
        note = render_note(AuditLog.objects.get(action="invitation.send", object_id=str(mine.pk)))
    assert note == f"邀请{mine.name}申报“{category.name}”"
    # inviting again changes nothing
    with pytest.raises(ValidationError):
        invitations_send(actor=city, category=category, credit_codes=[org.credit_code])
    assert Application.objects.filter(enterprise=org).count() == 1


def test_only_the_city_invites():
    category = CategoryFactory()
    registry((credit_code(8), "3411", True, "1"))
    for role in (Role.COUNTY, Role.ENTERPRISE):
        with pytest.raises(TransitionNotAllowed):
            invitations_send(actor=UserFactory.for_role(role), category=category, credit_codes=[credit_code(8)])
    assert not Invitation.objects.exists()


def test_the_matching_page_lists_and_invites():
    category = CategoryFactory()
    registry((credit_code(9), "3411", True, "1"))
    client = browser(Role.CITY)
    url = reverse("applications:call_matches", args=[category.round.pk])
    page = client.get(url, {"category": category.pk})
    assert page.status_code == 200 and credit_code(9) in page.content.decode()
    answer = client.post(url, {"category": category.pk, "code": [credit_code(9)]})
    assert answer.status_code == 302 and Invitation.objects.filter(credit_code=credit_code(9)).exists()
    assert client.post(url, {"category": CategoryFactory().pk, "code": [credit_code(9)]}).status_code == 404
    assert browser(Role.COUNTY).get(url).status_code == 403
    assert client.get(reverse("applications:call_matches", args=[999999])).status_code == 404


def test_the_enterprise_dashboard_lists_matching_categories():
    category = CategoryFactory(above_scale_only=True)
    CategoryFactory(round=category.round, min_eligible_investment=Decimal("99000000"), name="高门槛")
    org = ProfiledEnterpriseFactory()
    user = enterprise_user(org)
    registry((org.credit_code, "3411", True, "1000"))
    assert [c for c, _r, _d in matches_for_enterprise(org, category.round)] == [category]
    parts = [p for p in dashboard_for(user).figures if p.value in (category.name, "高门槛")]
    assert [p.value for p in parts] == [category.name]
    assert "规上工业企业" in parts[0].basis and parts[0].url == reverse("applications:apply")


def test_funnel_counts_invitations_drafts_and_submissions():
    category = CategoryFactory()
    a, b = ProfiledEnterpriseFactory(), ProfiledEnterpriseFactory()
    registry((a.credit_code, "3411", True, "1"), (b.credit_code, "3411", True, "1"),
             (credit_code(10), "3411", True, "1"))
    invitations_send(actor=UserFactory.for_role(Role.CITY), category=category,
                     credit_codes=[a.credit_code, b.credit_code, credit_code(10)])
    Application.objects.filter(enterprise=a).update(status=Status.SUBMITTED)
    row = next(r for r in funnel(category.round) if r["category"] == category)
    assert (row["invitations"], row["drafts"], row["submissions"]) == (3, 2, 1)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_city_users_inviting_at_once_make_one_invitation_and_one_draft(postgres):
    from tests.factories.applications import ensure_counties
    from tests.race import race

    ensure_counties()
    category = CategoryFactory()
    org = ProfiledEnterpriseFactory()
    registry((org.credit_code, "3411", True, "1"))
    first, second = UserFactory.for_role(Role.CITY), UserFactory.for_role(Role.CITY)

    def invite(actor):
        return len(invitations_send(actor=actor, category=category, credit_codes=[org.credit_code]))

    outcomes = race(invite, [(first,), (second,)])
    assert sorted(kind for kind, _value in outcomes) == ["error", "ok"], outcomes
    assert isinstance(next(v for k, v in outcomes if k == "error"), ValidationError)
    assert Invitation.objects.count() == 1 and Application.objects.filter(enterprise=org).count() == 1


def test_the_county_sees_its_unregistered_invited_enterprises_to_contact():
    category = CategoryFactory()
    outsider = credit_code(11)
    registry((outsider, "3411", True, "1"))
    invitations_send(actor=UserFactory.for_role(Role.CITY), category=category, credit_codes=[outsider])
    url = reverse("applications:invitations_to_contact")
    own = browser(UserFactory.for_role(Role.COUNTY, county=county())).get(url).content.decode()
    assert outsider in own and "平台没有其电子邮箱" in own
    other = browser(UserFactory.for_role(Role.COUNTY, county=county("金水区"))).get(url).content.decode()
    assert outsider not in other
    assert outsider in browser(Role.CITY).get(url).content.decode()
    assert browser(Role.ENTERPRISE).get(url).status_code == 403
