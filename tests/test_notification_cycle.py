"""Who is told what over one application's cycle, walked through the services: submission, a return for
correction, county acceptance and forwarding, city acceptance, a failed qualification and its re-review, the
expert review, the audit, publicity with an objection, and the approval of the support list.

Every role's users receive exactly the notifications of their part (kinds in order), nobody else hears of it, the
texts are Chinese (no English words, no usernames, no internal codes) and only the enterprise gets an e-mail per
notification (staff get theirs in the daily digest)."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from applications.services import (
    application_accept,
    application_city_accept,
    application_disqualify,
    application_forward,
    application_qualify,
    application_request_re_review,
    application_return,
    application_submit,
)
from applications.workflow import Status
from core.models import Notification
from core.money import format_wan
from reviews.models import Assignment, Audit, AwardProposal, Panel
from reviews.services.audits import audit_assign, audit_save, audit_submit
from reviews.services.panels import panel_close
from reviews.services.publicity import (
    objection_file,
    objection_handle,
    publicity_close,
    publicity_create,
    publicity_publish,
)
from reviews.services.scoring import score_save
from reviews.services.support import support_list_approve, support_list_create, support_list_submit
from tests.factories import ApplicationFactory, UserFactory, category_with_rules
from tests.factories.accounts import county
from tests.factories.applications import MINIMAL_PDF, attach_required, enterprise_user
from tests.factories.disbursements import ensure_counties
from tests.factories.reviews import ExpertFactory, auditor_firm, auditor_user, fill_rubric, open_panel, points_for

pytestmark = pytest.mark.django_db

ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
LINK = re.compile(r"/[\w/.-]*/")  # a page's address in the text (the objection channel), not words


def kinds(user):
    return list(Notification.objects.filter(recipient=user).order_by("id").values_list("kind", flat=True))


@pytest.fixture
def cast(db):
    """The application (a complete draft) and everyone who might hear of it, concerned or not."""
    ensure_counties()
    category = category_with_rules()
    fill_rubric(category)
    app = ApplicationFactory(category=category)
    enterprise = enterprise_user(app)
    attach_required(app, enterprise)
    other_county = county("金水区") if app.county.name != "金水区" else county("二七区")
    firm = auditor_firm("甲会计师事务所")
    return {
        "app": app,
        "enterprise": [enterprise, enterprise_user(app)],
        "other_enterprise": [enterprise_user(ApplicationFactory())],
        "county": [UserFactory(role=Role.COUNTY, county=app.county)],
        "other_county": [UserFactory(role=Role.COUNTY, county=other_county)],
        "city": [UserFactory(role=Role.CITY, first_name="张处长"), UserFactory(role=Role.CITY)],
        "auditor": [auditor_user(firm)],
        "other_auditor": [auditor_user(auditor_firm("乙会计师事务所"))],
        "approver": [UserFactory(role=Role.FINANCE_APPROVER)],
        "firm": firm,
    }


def walk(cast):
    app, (enterprise, _colleague), (county_user,), (city, city2) = (
        cast["app"], cast["enterprise"], cast["county"], cast["city"])
    application_submit(application=app, actor=enterprise, declaration=True)
    application_return(application=app, actor=county_user, note="缺少项目备案文件的盖章页")
    application_submit(application=app, actor=enterprise, declaration=True)
    application_accept(application=app, actor=county_user)
    application_forward(application=app, actor=county_user, note="材料齐全，同意推荐", rank=1)
    application_city_accept(application=app, actor=city)
    application_disqualify(application=app, actor=city, note="未提供近三年审计报告")
    application_request_re_review(application=app, actor=enterprise, note="审计报告已在附件中补充")
    application_qualify(application=app, actor=city2, note="复审材料齐全")  # a re-review is another person's

    # expert review: two panel members, one assigned
    panel = Panel.objects.create(round=app.round, category=app.category, name="智能制造评审组")
    members = ExpertFactory.create_batch(2)
    panel.members.set(members)
    panel = open_panel(city, panel, per_application=1)
    assignment = Assignment.objects.select_related("expert__user").get(panel=panel)
    score_save(actor=assignment.expert.user, assignment=assignment, points=points_for(panel, "0.9"),
               comment="技术先进", submit=True)
    panel_close(actor=city, panel=panel)

    # audit
    audit_assign(actor=city, applications=[app], firm=cast["firm"])
    audit = Audit.objects.get(application=app)
    audit_save(actor=cast["auditor"][0], audit=audit, audited_investment="20000000", audited_amount="2000000",
               opinion="经审定", report=SimpleUploadedFile("审计报告.pdf", MINIMAL_PDF, content_type="application/pdf"))
    audit_submit(actor=cast["auditor"][0], audit=audit)

    # publicity with one objection about the project, rejected
    today = timezone.localdate()
    publicity = publicity_publish(actor=city, publicity=publicity_create(actor=city, round_=app.round), today=today)
    objection = objection_file(publicity=publicity, entry=publicity.entries.get(), name="王五",
                               contact="13900000000", text="该项目设备已获省级补助", today=today)
    objection_handle(actor=city, objection=objection, upheld=False, note="经核实未获省级补助，异议不成立")
    publicity_close(actor=city, publicity=publicity, today=publicity.ends_on + datetime.timedelta(days=1))

    support_list = support_list_create(actor=city, round_=app.round)
    support_list_submit(actor=city, support_list=support_list)
    support_list_approve(actor=cast["approver"][0], support_list=support_list)
    app.refresh_from_db()
    assert app.status == Status.BUDGET_LISTED
    return panel, assignment, members, publicity


def test_each_role_hears_exactly_its_part_of_the_cycle_in_chinese(cast):
    panel, assignment, members, publicity = walk(cast)
    app = cast["app"]

    expected = {
        "enterprise": ["application.submit", "application.return", "application.submit", "application.accept",
                       "application.forward", "application.city_accept", "application.disqualify",
                       "application.request_re_review", "application.qualify", "application.publish",
                       "objection.reject", "application.pass_publicity", "application.budget_list"],
        "county": ["application.submit", "application.submit", "application.disqualify", "application.qualify"],
        "city": ["application.forward", "application.request_re_review", "application.submit_audit",
                 "objection.received", "support_list.approve"],
        "auditor": ["audit.assigned"],
        "approver": ["support_list.submit"],
        "other_enterprise": [], "other_county": [], "other_auditor": [],
    }
    for role, kinds_expected in expected.items():
        for user in cast[role]:
            assert kinds(user) == kinds_expected, role
    expert, idle = assignment.expert.user, next(m.user for m in members if m.pk != assignment.expert_id)
    assert kinds(expert) == ["panel.open", "panel.close"]
    assert kinds(idle) == []

    # only the enterprise is e-mailed each notification; staff get the daily digest
    enterprise_users = [u.pk for u in cast["enterprise"]]
    notes = list(Notification.objects.all())
    assert all(n.email_wanted == (n.recipient_id in enterprise_users) for n in notes)

    # what the enterprise reads: the reasons of the return, the proposed amount in 万元 and the objection deadline,
    # the objection's outcome and the approved amount
    mine = {n.kind: n for n in Notification.objects.filter(recipient=cast["enterprise"][0])}
    assert mine["application.return"].subject.startswith("申报被退回补正：")
    assert "缺少项目备案文件的盖章页" in mine["application.return"].body
    award = AwardProposal.objects.get(application=app).final_amount
    publicity_note = mine["application.publish"]
    assert format_wan(award, unit=True) in publicity_note.body and "万元" in publicity_note.body
    assert publicity.ends_on.isoformat() in publicity_note.body and "异议" in publicity_note.body
    assert f"/public/publicity/{publicity.pk}/" in publicity_note.body
    assert "异议不成立" in mine["objection.reject"].body
    assert format_wan(award, unit=True) in mine["application.budget_list"].body
    assert all(app.project_name in n.subject for n in mine.values())

    # Chinese only: no English words, no usernames, no internal codes
    usernames = {u.username for u in type(cast["city"][0]).objects.all()}
    for note in notes:
        text = f"{note.subject}\n{note.body}"
        assert not ENGLISH_WORD.findall(LINK.sub("", text)), text
        assert not any(name in text for name in usernames), text
        assert note.object_key and note.object_key not in text
