"""Stale edits on the review stage (optimistic locking, core/locking.py): every record two staff can edit carries
the version its page was opened with. Staff member A saves first; B, posting what B typed on the page opened
before A's save, is refused with the Chinese message, what B typed is still on the page (or, for the action
buttons, nothing was typed), the record keeps A's values and version, and no audit row is written. The same post
with the current version goes through.

Records: review settings, expert, panel (name, members, chair), rubric criterion (edit and delete), audit (two
auditors of the firm), award adjustment, objection handling, publicity publish, support list (remove an entry,
send, return)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from applications.workflow import Status
from core.models import AuditLog
from reviews.models import AwardProposal, Objection
from reviews.services.common import config_for
from reviews.services.publicity import publicity_create
from reviews.services.support import support_list_submit
from tests.factories import UserFactory
from tests.factories.applications import category_with_rules, db_row
from tests.factories.reviews import (
    ExpertFactory,
    audit_given,
    auditor_user,
    draft_support_list,
    fill_rubric,
    logged_in,
    panel_with,
    published_publicity,
    with_proposal,
)

pytestmark = pytest.mark.django_db
STALE = "已被他人修改"


@pytest.fixture
def two_city():
    return logged_in(), logged_in()


def refused_stale(client, url, data, record, typed=()):
    """``client`` posts ``data`` (an old version): refused, record and audit log untouched, typed text kept."""
    before, audits = db_row(record), AuditLog.objects.count()
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert STALE in page, "no stale-edit message"
    assert db_row(record) == before, "the stale post changed the record"
    assert AuditLog.objects.count() == audits, "the stale post wrote an audit row"
    for text in typed:
        assert text in page, f"what was typed is lost: {text}"


def accepted(client, url, data):
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def test_review_settings(two_city):
    a, b = two_city
    round_ = panel_with(experts=1, applications=0)[0].round
    config = config_for(round_)
    url = reverse("reviews:config", args=[round_.pk])

    def post(n, version):
        return {"experts_per_application": n, "aggregation_method": config.aggregation_method,
                "outlier_distance": "15", "comment_required_below": "60", "publicity_working_days": "5",
                "version": version}

    opened = config.version
    assert config.pk is None  # the defaults, not stored: the first save stores them
    accepted(a, url, post(3, opened))
    config = config_for(round_)
    refused_stale(b, url, post(7, opened), config)
    config.refresh_from_db()
    assert config.experts_per_application == 3 and config.version == opened + 1
    accepted(b, url, post(7, config.version))
    config.refresh_from_db()
    assert config.experts_per_application == 7


def test_expert_record(two_city):
    a, b = two_city
    expert = ExpertFactory()
    url = reverse("reviews:expert_edit", args=[expert.pk])

    def post(title, version):
        return {"name": expert.name, "title": title, "specialties": expert.specialties,
                "employer_name": expert.employer_name, "employer_credit_code": expert.employer_credit_code,
                "county": expert.county_id, "contact_phone": expert.contact_phone, "is_active": "on",
                "version": version}

    opened = expert.version
    accepted(a, url, post("教授", opened))
    refused_stale(b, url, post("研究员（B输入）", opened), expert, typed=["研究员（B输入）"])
    expert.refresh_from_db()
    assert expert.title == "教授"
    accepted(b, url, post("研究员", expert.version))
    expert.refresh_from_db()
    assert expert.title == "研究员"


def test_panel_members(two_city):
    a, b = two_city
    panel, members, _ = panel_with(experts=3, applications=0)
    url = reverse("reviews:panel_members", args=[panel.pk])

    def post(name, chair, version):
        return {"name": name, "members": [m.pk for m in members], "chair": chair.pk, "version": version}

    opened = panel.version
    accepted(a, url, post("A的评审组", members[0], opened))
    refused_stale(b, url, post("B的评审组", members[1], opened), panel, typed=["B的评审组"])
    panel.refresh_from_db()
    assert panel.name == "A的评审组" and panel.chair == members[0]
    accepted(b, url, post("B的评审组", members[1], panel.version))
    panel.refresh_from_db()
    assert panel.name == "B的评审组" and panel.chair == members[1]


def test_rubric_criterion_edit_and_delete(two_city):
    a, b = two_city
    category = category_with_rules()
    criterion = fill_rubric(category).criteria.first()
    url = reverse("reviews:rubric", args=[category.pk])

    def post(name, version):
        return {"action": "save", "criterion": criterion.pk, "name": name, "max_points": "25", "guidance": "",
                "order": criterion.order, "version": version}

    opened = criterion.version
    accepted(a, url, post("技术先进性（A）", opened))
    refused_stale(b, url, post("技术水平（B输入）", opened), criterion, typed=["技术水平（B输入）"])
    refused_stale(b, url, {"action": "delete", "criterion": criterion.pk, "version": opened}, criterion)
    criterion.refresh_from_db()
    assert criterion.name == "技术先进性（A）"
    accepted(b, url, post("技术水平", criterion.version))
    criterion.refresh_from_db()
    assert criterion.name == "技术水平"
    accepted(b, url, {"action": "delete", "criterion": criterion.pk, "version": criterion.version})
    assert not type(criterion).objects.filter(pk=criterion.pk).exists()


def test_audit_by_two_auditors_of_the_firm():
    audit = audit_given(UserFactory(role=Role.CITY))
    a, b = logged_in(user=auditor_user(audit.firm)), logged_in(user=auditor_user(audit.firm))
    url = reverse("reviews:audit_detail", args=[audit.pk])

    def post(amount, opinion, version):
        return {"audited_investment": "1800", "audited_amount": amount, "opinion": opinion, "save": "1",
                "version": version}

    opened = audit.version
    accepted(a, url, post("180", "A的审定意见", opened))
    refused_stale(b, url, post("170", "B的审定意见", opened), audit, typed=["B的审定意见", "170"])
    audit.refresh_from_db()
    assert audit.audited_amount == Decimal("1800000.00") and audit.opinion == "A的审定意见"
    accepted(b, url, post("170", "B的审定意见", audit.version))
    audit.refresh_from_db()
    assert audit.audited_amount == Decimal("1700000.00")


def test_award_adjustment(two_city):
    a, b = two_city
    app = with_proposal(Status.REVIEWED, a.user, category_with_rules())
    proposal = AwardProposal.objects.get(application=app)
    url = reverse("reviews:award", args=[app.pk])
    opened = proposal.version
    accepted(a, url, {"amount": "150", "reason": "A：部分设备不符合", "version": opened})
    refused_stale(b, url, {"amount": "120", "reason": "B：重复申报", "version": opened}, proposal,
                  typed=["B：重复申报", "120"])
    proposal.refresh_from_db()
    assert proposal.pending_amount == Decimal("1500000.00") and proposal.pending_by == a.user
    accepted(b, url, {"amount": "120", "reason": "B：重复申报", "version": proposal.version})
    proposal.refresh_from_db()
    assert proposal.pending_amount == Decimal("1200000.00") and proposal.adjusted_amount is None
    opened = proposal.version  # A confirms B's proposal; a stale second confirmation changes nothing
    accepted(a, url, {"op": "confirm", "version": opened})
    proposal.refresh_from_db()
    assert proposal.adjusted_amount == Decimal("1200000.00") and proposal.adjustment_confirmed_by == a.user


def test_objection_handled_by_two_city_officers(two_city):
    a, b = two_city
    publicity = published_publicity(a.user, entries=1)
    objection = publicity.objections.get()
    url = reverse("reviews:objection_handle", args=[objection.pk])
    prefix = f"o{objection.pk}"

    def post(decision, note, version):
        return {f"{prefix}-decision": decision, f"{prefix}-entry": objection.entry_id, f"{prefix}-note": note,
                f"{prefix}-version": version}

    opened = objection.version
    accepted(a, url, post("rejected", "A：经核实材料真实", opened))
    refused_stale(b, url, post("upheld", "B：经核实情况属实", opened), objection, typed=["B：经核实情况属实"])
    objection.refresh_from_db()
    assert objection.status == "rejected" and objection.handling_note == "A：经核实材料真实"
    # the current version on an objection still waiting goes through
    fresh = Objection.objects.create(publicity=publicity, entry=objection.entry, name="赵六", contact="138",
                                     text="异议")
    prefix = f"o{fresh.pk}"
    accepted(b, reverse("reviews:objection_handle", args=[fresh.pk]),
             {f"{prefix}-decision": "rejected", f"{prefix}-note": "已核实", f"{prefix}-version": fresh.version})
    fresh.refresh_from_db()
    assert fresh.status == "rejected"


def test_publicity_publish_by_two_city_officers(two_city):
    a, b = two_city
    category = category_with_rules()
    with_proposal(Status.AUDITED, a.user, category)
    publicity = publicity_create(actor=a.user, round_=category.round)
    url = reverse("reviews:publicity_action", args=[publicity.pk, "publish"])
    opened = publicity.version
    publicity.version += 1  # B's colleague changed it meanwhile (the service bumps on every change)
    publicity.save(update_fields=["version"])
    refused_stale(b, url, {"version": opened}, publicity)
    assert publicity.entries.count() == 0
    accepted(a, url, {"version": publicity.version})
    publicity.refresh_from_db()
    assert publicity.status == "published" and publicity.entries.count() == 1


def test_support_list_actions(two_city):
    a, b = two_city
    support_list = draft_support_list(a.user, entries=2)
    first, second = support_list.entries.order_by("id")
    action = "reviews:support_list_action"
    opened = support_list.version
    accepted(a, reverse(action, args=[support_list.pk, "remove"]),
             {"entry": first.pk, "reason": "A：资料不全", "version": opened})
    refused_stale(b, reverse(action, args=[support_list.pk, "remove"]),
                  {"entry": second.pk, "reason": "B：重复", "version": opened}, support_list, typed=["B：重复"])
    refused_stale(b, reverse(action, args=[support_list.pk, "submit"]), {"version": opened}, support_list)
    assert support_list.entries.filter(pk=second.pk).exists()
    support_list.refresh_from_db()
    accepted(b, reverse(action, args=[support_list.pk, "submit"]), {"version": support_list.version})
    support_list.refresh_from_db()
    assert support_list.status == "submitted"
    # two finance approvers: one returns it, the other's stale return is refused
    approver_a, approver_b = logged_in(role=Role.FINANCE_APPROVER), logged_in(role=Role.FINANCE_APPROVER)
    opened = support_list.version
    accepted(approver_a, reverse(action, args=[support_list.pk, "return"]), {"reason": "金额需复核", "version": opened})
    support_list.refresh_from_db()
    support_list_submit(actor=a.user, support_list=support_list)
    refused_stale(approver_b, reverse(action, args=[support_list.pk, "return"]),
                  {"reason": "B：再次退回", "version": opened}, support_list, typed=["B：再次退回"])
