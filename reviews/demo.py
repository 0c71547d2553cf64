"""Demo data for the review stage of each demo year's call (``applications.demo_years``; idempotent per year).

Carries the qualified applications of applications/demo.py through the real services: an expert pool
(the demo user demo_expert included), one panel per category with the usual rubric, automatic assignment
with conflict exclusion, scores, panel results and award proposals, the audit by the demo auditor's firm, a
closed publicity and the support list approved by demo_fin_appr (made payable through disbursements). The 2022
call goes through every step. In 2021 (the year of the stories) one expert declares a conflict and is replaced,
the publicity has one upheld objection, and a few applications are left at every step so that each role has
something to do:

- demo_expert: applications to declare and to score in the still open 数字化转型 panel (and is its chair);
- demo_auditor: audits given to the firm and not yet entered;
- demo_city: reviewed applications not yet given to an auditor, audited ones waiting for the next publicity;
- demo_fin_appr: a second support list waiting for approval.

Bulk inserts stand in for the expert's clicks (declarations and points); every state change goes through
the services with their audit rows, each step inside ``core.clock.at`` the day it happened in the cycle
(panels in November, audits, publicity and the approved support list in December of the call's year), so that
audit rows, notifications and recorded times read as the real history.
"""

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import County, User
from accounts.roles import Role
from accounts.validators import make_credit_code
from applications.demo_years import YEARS
from applications.models import Application, Category, Round
from applications.selectors import status_counts
from applications.workflow import Status as AppStatus
from core import clock, notifications
from core.models import Notification

from .models import (
    Assignment,
    Audit,
    ConflictDeclaration,
    ExpertProfile,
    Panel,
    Score,
    ScoreItem,
    SupportList,
)
from .services import payable
from .services.assignment import auto_assign, declare
from .services.audits import audit_assign, audit_save, audit_submit
from .services.experts import config_update
from .services.panels import panel_close, panel_create, panel_open
from .services.publicity import objection_file, objection_handle, publicity_close, publicity_create, publicity_publish
from .services.rubrics import rubric_fill_defaults, rubric_for
from .services.support import support_list_approve, support_list_create, support_list_remove_entry, support_list_submit
from .workflow import AssignmentStatus, ScoreStatus

TZ = ZoneInfo("Asia/Shanghai")
DEMO_PASSWORD = "Zz-Demo-2021"
OPEN_CATEGORY = "数字化转型"  # its panel stays open: demo_expert declares and scores there
# (month, day) in the autumn of the call: panels, scores, panels closed, audits given, publicity, list approved
TIMELINE = {"panels": (11, 18), "scored": (11, 21), "closed_panels": (11, 23), "audits_given": (11, 24),
            "published": (12, 7), "closed": (12, 15), "approved": (12, 28)}
ONE = Decimal("0.1")
# experts per panel (demo_expert sits on every panel besides) and per application (None: the default, five)
PANEL_SIZE = {2021: 9, 2022: 6}
EXPERTS_PER_APPLICATION = {2021: None, 2022: 3}

# name, title, specialties, employer, county (None: outside Zhengzhou)
EXPERTS = [
    ("刘建华", "教授", "智能制造, 工业机器人", "郑州大学", "二七区"),
    ("陈晓峰", "正高级工程师", "工业互联网, 数字化车间", "中国电子信息产业发展研究院", None),
    ("王丽娟", "高级会计师", "财务审计, 投资评估", "河南财经政法大学", "金水区"),
    ("赵国强", "教授级高工", "节能环保, 余热利用", "河南省节能监察中心", "金水区"),
    ("孙明", "研究员", "新材料, 超硬材料", "郑州磨料磨具磨削研究所", "中原区"),
    ("周海燕", "副教授", "产业经济, 市场营销", "郑州轻工业大学", "惠济区"),
    ("吴志刚", "正高级工程师", "装备制造, 液压", "郑州煤矿机械集团股份有限公司", "郑东新区"),
    ("郑伟", "高级工程师", "汽车零部件, 质量管理", "宇通客车股份有限公司", "管城回族区"),
    ("冯雪", "教授", "生物医药, 制药工程", "河南中医药大学", "金水区"),
    ("何军", "高级工程师", "电子信息, 智能终端", "河南省电子产品质量检验所", "郑州高新技术产业开发区"),
    ("马骏", "高级经济师", "项目管理, 投资评估", "河南省工程咨询公司", "金水区"),
    ("高原", "教授", "绿色制造, 清洁生产", "华北水利水电大学", "金水区"),
    ("罗斌", "正高级工程师", "铝加工, 冶金", "中铝郑州有色金属研究院", "上街区"),
    ("梁静", "副研究员", "食品工程, 冷链", "河南省农业科学院", "金水区"),
    ("宋涛", "高级工程师", "数字化转型, ERP/MES", "郑州信大捷安信息技术股份有限公司", "郑州高新技术产业开发区"),
    ("谢芳", "注册会计师", "财务审计, 税务", "河南正永会计师事务所", "郑东新区"),
    ("韩磊", "教授", "控制工程, 工业软件", "河南工业大学", "郑州高新技术产业开发区"),
    ("唐红", "高级工程师", "纺织服装, 家居", "郑州纺织机械有限公司", "中原区"),
    ("董亮", "正高级工程师", "电力电子, 节能电机", "许继集团有限公司", None),
    ("袁媛", "副教授", "物流, 供应链管理", "郑州航空工业管理学院", "郑州航空港经济综合实验区"),
    ("邓超", "高级工程师", "智能装备, 机器视觉", "中国船舶集团第七一三研究所", "金水区"),
    ("许可", "研究员", "知识产权, 科技评估", "河南省科学技术信息研究院", "金水区"),
    ("彭飞", "教授", "材料成型, 模具", "郑州大学", "二七区"),
    ("曹颖", "高级经济师", "产业政策, 区域经济", "郑州市社会科学院", "郑东新区"),
]


def seed(stdout=None):
    city = User.objects.filter(username="demo_city").first()
    if city is None:
        return
    for profile in YEARS.values():
        round_ = Round.objects.filter(year=profile.year).first()
        if round_ is not None:
            _seed_year(profile, round_, city, stdout)


def _seed_year(profile, round_, city, stdout):
    if Panel.objects.filter(round=round_).exists():
        if stdout:
            stdout.write(f"reviews: the {profile.year} review is already seeded")
        return
    started = timezone.now()
    rng = random.Random(4 if profile.stories else profile.rng_seed)
    days = {key: profile.date(-1, month, day) for key, (month, day) in TIMELINE.items()}
    if EXPERTS_PER_APPLICATION[profile.year]:
        with on(days["panels"], 8):
            config_update(actor=city, round_=round_, experts_per_application=EXPERTS_PER_APPLICATION[profile.year])
    last_notification = Notification.objects.order_by("-id").values_list("id", flat=True).first() or 0
    # The seeded events happened long ago: their notifications are kept as in-app rows, but no e-mail goes out.
    with mock.patch.object(notifications, "kick_outbox", lambda: None), transaction.atomic():
        with on(days["panels"], 9):
            experts = _experts(profile)
            panels = _panels(round_, city, experts, profile)
            for panel in panels.values():
                auto_assign(actor=city, panel=panel)
                panel_open(actor=city, panel=panel)
        if profile.stories:
            with on(days["panels"] + datetime.timedelta(days=1), 15):
                _declared_conflict(panels)
        with on(days["scored"], 16):
            _scores(panels, rng, profile)
        with on(days["closed_panels"]):
            for category_name, panel in panels.items():
                if category_name != OPEN_CATEGORY or not profile.stories:
                    panel_close(actor=city, panel=panel)
        audited = _audits(round_, city, rng, days, profile)
        publicity = _publicity(round_, city, audited, days, profile)
        lists = _support_lists(round_, city, days, profile)
        Notification.objects.filter(id__gt=last_notification).update(email_wanted=False)
    if stdout:
        seconds = (timezone.now() - started).total_seconds()
        counts = status_counts(Application.objects.filter(round=round_), (
            AppStatus.UNDER_REVIEW, AppStatus.REVIEWED, AppStatus.AUDITED, AppStatus.BUDGET_LISTED))
        stdout.write(f"reviews: {len(experts)} experts, {len(panels)} panels, publicity with "
                     f"{publicity.entries.count()} entries, {lists} support lists; {profile.year} applications "
                     f"under review {counts['under_review']}, reviewed {counts['reviewed']}, audited "
                     f"{counts['audited']}, budget-listed {counts['budget_listed']} ({seconds:.1f} s)")


def on(day, hour=10, minute=0):
    """Run the block as the moment ``day`` ``hour``:``minute`` in Zhengzhou (the cycle's timeline)."""
    return clock.at(datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ))


def _experts(cycle):
    """The pool: demo_expert gets a profile; the others get logins with the demo password."""
    password = make_password(DEMO_PASSWORD)  # hashed once: one slow hash, not one per expert
    counties = {c.name: c for c in County.objects.all()}
    profiles = []
    demo = User.objects.filter(username="demo_expert").first()
    rows = list(EXPERTS)
    for index, (name, title, specialties, employer, county) in enumerate(rows):
        if index == 0 and demo is not None:
            user = demo
        else:
            user, _created = User.objects.get_or_create(
                username=f"expert{index:02d}", defaults={"role": Role.EXPERT, "first_name": f"{name}（评审专家）",
                                                         "email": f"expert{index:02d}@example.cn",
                                                         "password": password})
        code = make_credit_code(f"12410100{index:02d}{7770000 + index:07d}"[:17])
        profile, _created = ExpertProfile.objects.get_or_create(user=user, defaults={
            "name": name, "title": title, "specialties": specialties, "employer_name": employer,
            "employer_credit_code": code, "county": counties.get(county),
            "contact_phone": f"1390371{index:04d}"})
        profiles.append(profile)
    # one expert works for an applicant: the automatic assignment leaves that application out for them
    applicant = (Application.objects.filter(round__year=cycle.year, status=AppStatus.QUALIFIED,
                                            category__name="智能化改造").select_related("enterprise").first())
    if applicant is not None and cycle.stories:
        insider = profiles[6]
        ExpertProfile.objects.filter(pk=insider.pk).update(employer_name=applicant.enterprise.name,
                                                           employer_credit_code=applicant.enterprise.credit_code)
        insider.refresh_from_db()
    return profiles


def _panels(round_, city, experts, profile):
    panels = {}
    categories = list(Category.objects.filter(round=round_).order_by("sort_order", "id"))
    for index, category in enumerate(categories):
        if not Application.objects.filter(category=category, status=AppStatus.QUALIFIED).exists():
            continue
        rubric_fill_defaults(actor=city, rubric=rubric_for(category))
        start = (index * 3) % len(experts)
        members = [experts[(start + i) % len(experts)] for i in range(PANEL_SIZE[profile.year])]
        chair = members[0]
        if category.name == OPEN_CATEGORY and profile.stories:
            chair = experts[0]  # demo_expert chairs the open panel
            members = [chair, *[m for m in members if m != chair]]
        elif experts[0] not in members:
            members.append(experts[0])
        panels[category.name] = panel_create(actor=city, category=category, members=members, chair=chair)
    return panels


def _declared_conflict(panels):
    """One expert declares a conflict (回避) in a panel that closes later: the replacement is assigned."""
    panel = panels.get("智能化改造") or next(iter(panels.values()))
    assignment = (Assignment.objects.filter(panel=panel, status=AssignmentStatus.ASSIGNED)
                  .exclude(expert__user__username="demo_expert").select_related("expert__user").first())
    if assignment is not None:
        declare(actor=assignment.expert.user, assignment=assignment, has_conflict=True,
                reason="本人近两年为该企业提供过技术咨询服务，申请回避。")


def _scores(panels, rng, profile):
    """Declarations and submitted scores as bulk rows (the experts' clicks); in the open panel demo_expert
    keeps two applications to declare and two to score."""
    open_panel = panels.get(OPEN_CATEGORY) if profile.stories else None
    keep_declare, keep_score = set(), set()
    if open_panel is not None:
        mine = list(Assignment.objects.filter(panel=open_panel, expert__user__username="demo_expert",
                                              status=AssignmentStatus.ASSIGNED).order_by("id"))
        keep_declare = {a.pk for a in mine[:2]}
        keep_score = {a.pk for a in mine[2:4]}
        # a few other experts of the open panel have not finished either
        others = list(Assignment.objects.filter(panel=open_panel, status=AssignmentStatus.ASSIGNED)
                      .exclude(expert__user__username="demo_expert").order_by("id")[:3])
        keep_score |= {a.pk for a in others}
    assignments = list(Assignment.objects.filter(panel__in=panels.values(), status=AssignmentStatus.ASSIGNED)
                       .exclude(pk__in=keep_declare).select_related("panel__category__rubric"))
    Assignment.objects.filter(pk__in=[a.pk for a in assignments]).update(status=AssignmentStatus.CONFIRMED)
    ConflictDeclaration.objects.bulk_create(
        [ConflictDeclaration(assignment=a, has_conflict=False) for a in assignments])
    criteria = {}
    quality = {}
    scores, items_for = [], []
    now = clock.now()
    for assignment in assignments:
        if assignment.pk in keep_score:
            continue
        rubric = assignment.panel.category.rubric
        if rubric.pk not in criteria:
            criteria[rubric.pk] = list(rubric.criteria.all())
        q = quality.setdefault(assignment.application_id, Decimal(rng.randint(58, 93)) / 100)
        spread = Decimal(rng.randint(-8, 8)) / 100
        if rng.random() < 0.03:
            spread = Decimal("-0.30")  # the occasional outlier
        points = []
        for criterion in criteria[rubric.pk]:
            share = min(max(q + spread + Decimal(rng.randint(-5, 5)) / 100, Decimal("0.2")), Decimal(1))
            points.append((criterion, (criterion.max_points * share).quantize(ONE, rounding=ROUND_HALF_UP)))
        total = sum(p for _c, p in points)
        scores.append(Score(assignment=assignment, status=ScoreStatus.SUBMITTED, total=total, submitted_at=now,
                            comment="" if total >= 60 else "投资测算依据不足，带动作用有限。"))
        items_for.append(points)
    Score.objects.bulk_create(scores)
    saved = {s.assignment_id: s for s in Score.objects.filter(assignment__in=[s.assignment for s in scores])}
    ScoreItem.objects.bulk_create([
        ScoreItem(score=saved[score.assignment.pk], criterion=criterion, points=value)
        for score, points in zip(scores, items_for, strict=True) for criterion, value in points])


def _audits(round_, city, rng, days, profile):
    """All reviewed applications but three go to the demo auditor's firm; five stay to be entered (in the year
    of the stories; in another year all are audited before the publicity)."""
    auditor = User.objects.filter(username="demo_auditor").select_related("organisation").first()
    if auditor is None or auditor.organisation is None:
        return []
    reviewed = list(Application.objects.filter(round=round_, status=AppStatus.REVIEWED,
                                               award_proposal__isnull=False).order_by("id"))
    left = 3 if profile.stories else 0
    given = reviewed[:len(reviewed) - left]
    with on(days["audits_given"]):
        audit_assign(actor=city, applications=given, firm=auditor.organisation)
    audits = list(Audit.objects.filter(application__in=given).select_related("application__award_proposal")
                  .order_by("application_id"))
    done = []
    for index, audit in enumerate(audits[:len(audits) - (5 if profile.stories else 0)]):
        proposal = audit.application.award_proposal
        share = Decimal(rng.choice([100, 100, 100, 97, 95, 92, 88])) / 100
        investment = (proposal.base_amount * share).quantize(Decimal("0.01"))
        amount = min(proposal.computed_amount, (investment * proposal.rule_rate).quantize(Decimal("0.01")))
        if proposal.rule_cap is not None:
            amount = min(amount, proposal.rule_cap)
        if index % 17 == 5:
            amount = (amount * Decimal("0.9")).quantize(Decimal("0.01"))  # the auditor confirms less
        report = SimpleUploadedFile(f"审计报告-{audit.application.receipt_no}.pdf", _pdf(audit.application.receipt_no),
                                    content_type="application/pdf")
        with on(days["audits_given"] + datetime.timedelta(days=2 + index % 5), 9 + index % 8):
            audit_save(actor=auditor, audit=audit, audited_investment=investment, audited_amount=amount,
                       opinion="经审核项目投资凭证、合同及发票，审定如上。", report=report)
        done.append(audit)
    # in the year of the stories the last two are submitted after the publicity (they wait for the next one)
    later = 2 if profile.stories else 0
    with on(days["audits_given"] + datetime.timedelta(days=8), 17):
        for audit in done[:len(done) - later]:
            audit_submit(actor=auditor, audit=audit)
    return done[len(done) - later:]


def _publicity(round_, city, later_audits, days, profile):
    auditor = User.objects.filter(username="demo_auditor").first()
    published, closed = days["published"], days["closed"]
    with on(published - datetime.timedelta(days=3), 15):
        publicity = publicity_create(actor=city, round_=round_, notice=(
            "根据《郑州市支持制造业高质量发展若干政策》（郑政〔2020〕20号），经企业申报、县（市、区）推荐、资格审核、"
            f"专家评审和第三方审计，现将{profile.year}年度郑州市制造业高质量发展专项资金拟支持项目予以公示。\n"
            "公示期内如有异议，请以书面形式实名反映，并提供联系方式。"))
    with on(published, 9):
        publicity = publicity_publish(actor=city, publicity=publicity, today=published)
    if profile.stories:
        _objection(city, publicity, published)
    with on(closed, 17, 30):
        publicity_close(actor=city, publicity=publicity, today=closed)
    with on(closed + datetime.timedelta(days=1)):
        for audit in later_audits:
            audit_submit(actor=auditor, audit=audit)
    return publicity


def _objection(city, publicity, published):
    """An objection filed and upheld during the publicity period."""
    entry = publicity.entries.order_by("-number").first()
    with on(published + datetime.timedelta(days=2), 15, 20):
        objection = objection_file(publicity=publicity, entry=entry, name="李明", contact="13803710000",
                                   text="该企业申报的部分设备为二手设备，与申报材料不符。",
                                   today=published + datetime.timedelta(days=2))
    with on(published + datetime.timedelta(days=5)):
        objection_handle(actor=city, objection=objection, upheld=True,
                         note="经实地核查，申报设备中有二手设备计入投资额，异议成立，取消本次奖补资格。")


def _support_lists(round_, city, days, profile):
    """The year's support list, approved by demo_fin_appr; in the year of the stories three applications wait on
    a second list."""
    approver = User.objects.filter(username="demo_fin_appr").first()
    approved_at = datetime.datetime.combine(days["approved"], datetime.time(10), tzinfo=TZ)
    with on(days["closed"] + datetime.timedelta(days=3)):
        first = support_list_create(actor=city, round_=round_,
                                    title=f"{profile.year}年度郑州市制造业高质量发展专项资金支持项目名单")
        for entry in first.entries.order_by("-id")[:3 if profile.stories else 0]:
            support_list_remove_entry(actor=city, entry=entry, reason="待补充项目竣工验收材料后另行报送")
    with on(days["closed"] + datetime.timedelta(days=5), 16):
        support_list_submit(actor=city, support_list=first)
    if approver is not None and payable.available():
        with clock.at(approved_at):
            support_list_approve(actor=approver, support_list=first, approved_at=approved_at)
    if profile.stories:
        with on(days["approved"] + datetime.timedelta(days=1), 11):
            second = support_list_create(actor=city, round_=round_, title=f"{profile.year}年度支持项目名单（第二批）")
            support_list_submit(actor=city, support_list=second)
    return SupportList.objects.filter(round=round_).count()


def _pdf(label):
    return (b"%PDF-1.4\n% " + label.encode() + b"\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R"
            b"/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

