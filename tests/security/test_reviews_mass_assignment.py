"""Mass assignment on every form of reviews/forms.py that a view accepts by POST.

Each case posts the form's real fields plus hostile extras: workflow fields (status, outcome, dates), amounts
(proposed / audited / approved / adjusted / scaled), foreign keys pointing at another call's panel, expert,
application, firm, county and user, authorship (created_by, assigned_by, handled_by ...), version, role and flags
(is_locked, is_outlier, is_superuser), the total, and the points of another rubric's criterion. A fresh read of
every column of the watched rows shows exactly the intended change; the rows of the other call do not move.

Forms and views: DeclarationForm (declare), ScoreForm (score), ReasonForm (remove an assignment), ExpertEditForm
(expert_edit), ExpertCreateForm (expert_new), ReviewConfigForm (config), PanelForm (panel_new), PanelEditForm
(panel_members), CriterionForm / CriterionEditForm (rubric), HandAssignForm (panel_action assign), ScaleForm
(results), AdjustForm (award), AuditAssignForm (audit_assign), AuditForm (audit_detail), PublicityForm
(publicity_list), ObjectionForm (public publicity page), ObjectionHandleForm (objection_handle), SupportListForm
(support_lists), VersionForm (support_list_action submit), VersionedReasonForm (support_list_action return)."""

from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from applications.workflow import Status
from reviews.models import (
    Assignment,
    Audit,
    AwardProposal,
    ConflictDeclaration,
    Criterion,
    ExpertProfile,
    Objection,
    Panel,
    Publicity,
    Score,
    SupportList,
)
from reviews.services.common import config_for
from reviews.services.scoring import score_save
from reviews.services.support import support_list_submit
from tests.factories import UserFactory, county
from tests.factories.applications import category_with_rules, changed_columns, db_row
from tests.factories.reviews import (
    ExpertFactory,
    active_assignments,
    audit_given,
    auditor_firm,
    auditor_user,
    draft_support_list,
    fill_rubric,
    logged_in,
    opened_panel,
    panel_with,
    points_for,
    published_publicity,
    with_proposal,
)

pytestmark = pytest.mark.django_db
ALWAYS = {"updated_at"}


@pytest.fixture
def ctx(db):
    """The city officer, and another call's records that the hostile extras point at."""
    city = UserFactory(role=Role.CITY)
    panel, members, apps = opened_panel(city, experts=2, applications=1, per_application=1)
    assignment = active_assignments(panel).select_related("expert__user").get()
    score = score_save(actor=assignment.expert.user, assignment=assignment, points=points_for(panel, "0.5"))
    proposal_app = with_proposal(Status.REVIEWED, city, panel.category)
    other = SimpleNamespace(
        panel=panel, round=panel.round, category=panel.category, expert=members[0], application=apps[0],
        assignment=assignment, score=score, criterion=panel.category.rubric.criteria.first(),
        proposal=AwardProposal.objects.get(application=proposal_app), firm=auditor_firm("另一会计师事务所"),
        user=UserFactory(role=Role.CITY), county=county("金水区"))
    return SimpleNamespace(city=city, client=logged_in(city), other=other)


def hostile(other):
    return {
        "status": "submitted", "outcome": "passed", "is_locked": "on", "is_outlier": "on", "is_superuser": "on",
        "is_staff": "on", "role": Role.ADMIN, "version": "999", "total": "100", "rank": "1",
        "proposed_amount": "99999999", "audited_amount": "99999999", "approved_amount": "99999999",
        "adjusted_amount": "99999999", "scaled_amount": "99999999", "computed_amount": "99999999",
        "final_amount": "99999999", "auditor_amount": "99999999", "amount": "99999999",
        "county": other.county.pk, "round": other.round.pk, "category": other.category.pk, "panel": other.panel.pk,
        "expert": other.expert.pk, "application": other.application.pk, "assignment": other.assignment.pk,
        "score": other.score.pk, "rubric": other.criterion.rubric_id, "firm": other.firm.pk,
        "enterprise": other.application.enterprise_id, "user": other.user.pk, "created_by": other.user.pk,
        "assigned_by": other.user.pk, "entered_by": other.user.pk, "handled_by": other.user.pk,
        "approved_by": other.user.pk, "proposed_by": other.user.pk, "adjusted_by": other.user.pk,
        "replaced_by": other.assignment.pk, "publicity": "999999", "fund_year": "1999", "working_days": "1",
        "starts_on": "2000-01-01", "ends_on": "2000-01-02", "opened_at": "2000-01-01 00:00",
        "submitted_at": "2000-01-01 00:00", "entered_at": "2000-01-01 00:00", "handling_note": "伪造的处理意见",
        "report_sha256": "0" * 64, "report_name": "../../etc/passwd", "ip": "1.2.3.4", "return_note": "伪造",
        f"crit_{other.criterion.pk}": "25",
    }


@dataclass
class Post:
    client: Client
    url: str
    data: dict
    watch: list = field(default_factory=list)  # (row, columns allowed to change)
    check: object = None  # called after the post: the intended change happened, with the right author

    def send(self, extras):
        return self.client.post(self.url, {**extras, **self.data})


CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


def untouched(other):
    """The other call's rows: nothing may change there."""
    return [(other.panel, set()), (other.assignment, set()), (other.score, set()), (other.criterion, set()),
            (other.proposal, set()), (other.expert, set()), (other.application, set()), (other.user, set())]


@case
def declaration(ctx):
    panel, _members, _apps = opened_panel(ctx.city, experts=1, applications=1, per_application=1, declare_all=False)
    assignment = active_assignments(panel).select_related("expert__user").get()

    def check():
        assignment.refresh_from_db()
        assert assignment.status == "confirmed"
        assert ConflictDeclaration.objects.get(assignment=assignment).has_conflict is False

    return Post(logged_in(assignment.expert.user), reverse("reviews:declare", args=[assignment.pk]),
                {"has_conflict": "no", "reason": ""}, [(assignment, {"status", "version"})], check)


@case
def score(ctx):
    panel, _members, _apps = opened_panel(ctx.city, experts=1, applications=1, per_application=1)
    assignment = active_assignments(panel).select_related("expert__user").get()
    points = points_for(panel, "0.8")
    data = {f"crit_{pk}": str(value) for pk, value in points.items()}

    def check():
        saved = Score.objects.get(assignment=assignment)
        assert saved.status == "draft" and not saved.is_outlier and saved.reopen_count == 0
        assert saved.total == sum(points.values()) == Decimal("80.0")
        assert set(saved.items.values_list("criterion_id", flat=True)) == set(points)

    return Post(logged_in(assignment.expert.user), reverse("reviews:score", args=[assignment.pk]),
                {**data, "comment": "评分意见", "save": "1", "version": "0"}, [(assignment, set())], check)


@case
def assignment_removal(ctx):
    panel, _members, _apps = opened_panel(ctx.city, experts=2, applications=1, per_application=1)
    assignment = active_assignments(panel).get()

    def check():
        assignment.refresh_from_db()
        assert assignment.status == "removed" and assignment.replaced_by_id is None

    return Post(ctx.client, reverse("reviews:assignment_remove", args=[assignment.pk]), {"reason": "回避"},
                [(assignment, {"status", "removal_reason", "version"})], check)


def expert_data(expert, **overrides):
    return {"name": expert.name, "title": expert.title, "specialties": expert.specialties,
            "employer_name": expert.employer_name, "employer_credit_code": expert.employer_credit_code,
            "county": expert.county_id, "contact_phone": expert.contact_phone, "is_active": "on", **overrides}


@case
def expert_edit(ctx):
    expert = ExpertFactory()
    data = expert_data(expert, title="研究员", version=expert.version)

    def check():
        expert.refresh_from_db()
        assert expert.title == "研究员" and expert.user.role == Role.EXPERT

    return Post(ctx.client, reverse("reviews:expert_edit", args=[expert.pk]), data,
                [(expert, {"title", "version"}), (expert.user, set())], check)


@case
def expert_new(ctx):
    template = ExpertFactory.build(county=county("中原区"))
    data = expert_data(template, username="new-expert", email="e@example.com")

    def check():
        profile = ExpertProfile.objects.get(user__username="new-expert")
        user = profile.user
        assert user.role == Role.EXPERT and not user.is_superuser and not user.is_staff
        assert profile.version == 1 and profile.county.name == "中原区"

    return Post(ctx.client, reverse("reviews:expert_new"), data, [], check)


@case
def review_settings(ctx):
    round_ = panel_with(experts=1, applications=0)[0].round
    config = config_for(round_)
    config.save()  # a stored row, so that every column of it is watched
    data = {"experts_per_application": config.experts_per_application, "aggregation_method": config.aggregation_method,
            "outlier_distance": "15", "comment_required_below": "60", "publicity_working_days": "7",
            "version": config.version}

    def check():
        config.refresh_from_db()
        assert config.publicity_working_days == 7 and config.round_id == round_.pk

    return Post(ctx.client, reverse("reviews:config", args=[round_.pk]), data,
                [(config, {"publicity_working_days", "version"}), (round_, set())], check)


@case
def panel_new(ctx):
    category = category_with_rules()
    member = ExpertFactory()

    def check():
        panel = Panel.objects.get(category=category)
        assert panel.status == "draft" and panel.round_id == category.round_id and panel.created_by == ctx.city
        assert panel.opened_at is None and list(panel.members.all()) == [member]

    return Post(ctx.client, reverse("reviews:panel_new", args=[category.pk]),
                {"name": "新评审组", "members": [member.pk], "chair": ""}, [], check)


@case
def panel_members(ctx):
    panel, members, _ = panel_with(experts=2, applications=0)

    def check():
        panel.refresh_from_db()
        assert panel.name == "改名的评审组" and panel.chair == members[1] and panel.status == "draft"

    return Post(ctx.client, reverse("reviews:panel_members", args=[panel.pk]),
                {"name": "改名的评审组", "members": [m.pk for m in members], "chair": members[1].pk,
                 "version": panel.version},
                [(panel, {"name", "chair_id", "version"})], check)


@case
def criterion_add(ctx):
    category = category_with_rules()
    rubric = fill_rubric(category)
    count = rubric.criteria.count()

    def check():
        assert rubric.criteria.count() == count + 1
        assert Criterion.objects.filter(name="新增指标").get().rubric_id == rubric.pk

    return Post(ctx.client, reverse("reviews:rubric", args=[category.pk]),
                {"action": "save", "name": "新增指标", "max_points": "5", "guidance": "", "order": "9"}, [], check)


@case
def criterion_edit(ctx):
    category = category_with_rules()
    criterion = fill_rubric(category).criteria.first()

    def check():
        criterion.refresh_from_db()
        assert criterion.name == "改过的指标"

    return Post(ctx.client, reverse("reviews:rubric", args=[category.pk]),
                {"action": "save", "criterion": criterion.pk, "name": "改过的指标", "max_points": "25",
                 "guidance": criterion.guidance, "order": criterion.order, "version": criterion.version},
                [(criterion, {"name", "version"})], check)


@case
def hand_assignment(ctx):
    panel, members, apps = panel_with(experts=1, applications=1)

    def check():
        made = Assignment.objects.get(panel=panel)
        assert made.status == "assigned" and made.assigned_by == ctx.city and made.by_hand
        assert (made.application, made.expert) == (apps[0], members[0])

    return Post(ctx.client, reverse("reviews:panel_action", args=[panel.pk, "assign"]),
                {"application": apps[0].pk, "expert": members[0].pk}, [(panel, set())], check)


@case
def scaling(ctx):
    category = category_with_rules()
    app = with_proposal(Status.REVIEWED, ctx.city, category)
    proposal = AwardProposal.objects.get(application=app)

    def check():
        proposal.refresh_from_db()
        assert proposal.scaled_amount == Decimal("1000000.00") and proposal.adjusted_amount is None

    return Post(ctx.client, reverse("reviews:results", args=[category.round_id]),
                {"category": category.pk, "budget": "100"},
                [(proposal, {"scaled_amount", "scaling_budget", "scaling_scope", "version"}), (app, set())], check)


@case
def award_adjustment(ctx):
    app = with_proposal(Status.REVIEWED, ctx.city, category_with_rules())
    proposal = AwardProposal.objects.get(application=app)

    def check():
        proposal.refresh_from_db()
        assert proposal.pending_amount == Decimal("1500000.00") and proposal.pending_by == ctx.city

    return Post(ctx.client, reverse("reviews:award", args=[app.pk]),
                {"amount": "150", "reason": "部分设备不符合", "version": proposal.version},
                [(proposal, {"pending_amount", "pending_reason", "pending_by_id", "pending_at", "version"}),
                 (app, set())], check)


@case
def audit_assignment(ctx):
    category = category_with_rules()
    fill_rubric(category)
    app = with_proposal(Status.REVIEWED, ctx.city, category)
    firm = auditor_firm()

    def check():
        audit = Audit.objects.get(application=app)
        assert (audit.firm, audit.status, audit.assigned_by) == (firm, "assigned", ctx.city)
        assert audit.audited_amount is None and audit.entered_by is None

    return Post(ctx.client, reverse("reviews:audit_assign", args=[category.round_id]),
                {"firm": firm.pk, "applications": [app.pk]}, [(app, set())], check)


@case
def audit_entry(ctx):
    audit = audit_given(ctx.city)
    auditor = auditor_user(audit.firm)
    proposal = AwardProposal.objects.get(application=audit.application)

    def check():
        audit.refresh_from_db()
        assert audit.audited_amount == Decimal("1800000.00") and audit.status == "assigned"
        assert audit.firm_id != ctx.other.firm.pk and audit.entered_by == auditor and not audit.report

    return Post(logged_in(auditor), reverse("reviews:audit_detail", args=[audit.pk]),
                {"audited_investment": "1800", "audited_amount": "180", "opinion": "审定", "save": "1",
                 "version": audit.version},
                [(audit, {"audited_investment", "audited_amount", "opinion", "entered_by_id", "version"}),
                 (proposal, set()), (audit.application, set())], check)


@case
def publicity_create(ctx):
    round_ = category_with_rules().round

    def check():
        publicity = Publicity.objects.get(round=round_)
        assert publicity.status == "draft" and publicity.created_by == ctx.city and publicity.published_at is None
        assert publicity.working_days == config_for(round_).publicity_working_days
        assert publicity.title == "公示标题"

    return Post(ctx.client, reverse("reviews:publicity_list"),
                {"round": round_.pk, "title": "公示标题", "notice": "公示说明"}, [], check)


@case
def public_objection(ctx):
    publicity = published_publicity(ctx.city)
    entry = publicity.entries.get()

    def check():
        objection = Objection.objects.get(name="李四")
        assert objection.status == "received" and objection.handling_note == "" and objection.handled_by is None
        assert objection.publicity == publicity and objection.entry == entry and objection.version == 1

    return Post(Client(), reverse("publicity:detail", args=[publicity.pk]),
                {"entry": entry.pk, "name": "李四", "contact": "13800000000", "text": "材料不实", "website": ""},
                [(publicity, set()), (entry, set())], check)


@case
def objection_handling(ctx):
    publicity = published_publicity(ctx.city)
    objection = publicity.objections.get()
    prefix = f"o{objection.pk}"
    data = {f"{prefix}-decision": "rejected", f"{prefix}-entry": objection.entry_id, f"{prefix}-note": "已核实",
            f"{prefix}-version": objection.version}
    data.update({f"{prefix}-{k}": v for k, v in {"status": "upheld", "name": "改名", "text": "改写",
                                                  "handled_by": ctx.other.user.pk, "publicity": "1"}.items()})

    def check():
        objection.refresh_from_db()
        assert objection.status == "rejected" and objection.handled_by == ctx.city
        assert (objection.name, objection.text) == ("王五", "申报材料与实际不符")

    return Post(ctx.client, reverse("reviews:objection_handle", args=[objection.pk]), data,
                [(objection, {"status", "handling_note", "handled_by_id", "handled_at", "entry_id", "version"}),
                 (publicity, set())], check)


@case
def support_list_create(ctx):
    category = category_with_rules()
    with_proposal(Status.PUBLICITY_PASSED, ctx.city, category)

    def check():
        made = SupportList.objects.get(round=category.round)
        assert made.status == "draft" and made.fund_year == category.round.year
        assert made.proposed_by == ctx.city and made.approved_by is None and made.return_note == ""

    return Post(ctx.client, reverse("reviews:support_lists"), {"round": category.round_id, "title": "支持清单"},
                [], check)


@case
def support_list_submit_action(ctx):
    support_list = draft_support_list(ctx.city, entries=1)
    entry = support_list.entries.get()

    def check():
        support_list.refresh_from_db()
        assert support_list.status == "submitted" and support_list.approved_by is None
        assert support_list.fund_year == support_list.round.year

    return Post(ctx.client, reverse("reviews:support_list_action", args=[support_list.pk, "submit"]),
                {"version": support_list.version},
                [(support_list, {"status", "proposed_by_id", "proposed_at", "return_note", "version"}),
                 (entry, set())], check)


@case
def support_list_return_action(ctx):
    support_list = draft_support_list(ctx.city, entries=1)
    support_list = support_list_submit(actor=ctx.city, support_list=support_list)
    entry = support_list.entries.get()

    def check():
        support_list.refresh_from_db()
        assert support_list.status == "draft" and support_list.return_note == "金额需复核"
        assert support_list.approved_by is None

    return Post(logged_in(role=Role.FINANCE_APPROVER),
                reverse("reviews:support_list_action", args=[support_list.pk, "return"]),
                {"reason": "金额需复核", "version": support_list.version},
                [(support_list, {"status", "return_note", "version"}), (entry, set())], check)


@pytest.mark.parametrize("name", list(CASES))
def test_extra_fields_are_ignored(ctx, name):
    post = CASES[name](ctx)
    watch = post.watch + untouched(ctx.other)
    before = [db_row(row) for row, _allowed in watch]
    users = get_user_model().objects.count()
    extras = {key: value for key, value in hostile(ctx.other).items() if key not in post.data}
    response = post.send(extras)
    assert response.status_code == 302, response.content.decode()[:3000]
    for (row, allowed), old in zip(watch, before, strict=True):
        changed = changed_columns(old, row)
        assert changed <= allowed | ALWAYS, f"{name}: {type(row).__name__} {row.pk} changed {changed - allowed}"
    post.check()
    assert get_user_model().objects.count() == users + (1 if name == "expert_new" else 0)
    assert not get_user_model().objects.filter(is_superuser=True).exists()
