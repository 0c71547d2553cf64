"""Demo data for the first half of the cycle (idempotent, bulk inserts, a few seconds).

- the calls of the demo's fund years (``demo_years.YEARS``: 2021, notice September 2020, window October 2020;
  2022, one year later) with the categories of DOMAIN.md, award rules and materials; about 250 enterprises in
  the 16 counties (valid credit codes) and each year's applications in its own mix of states and counties
  (about 320 in 2021, 265 in 2022), most of them qualified so the review stage can carry them on;
- an open 2027 call (window open now), where the demo enterprise has a draft, a submitted application
  and one returned for correction, made through the real services (with their history);
- the demo enterprise's profile is completed, and it has a qualified application in each fund year;
- the applications carry their history as audit rows dated by the cycle's timeline (submission in October,
  county intake and forwarding in early November, the city's acceptance and qualification review in
  mid-November, the 2021 re-review requests after it). The first qualification decisions were taken by a
  colleague of demo_city, so that demo_city may decide the pending re-reviews (a re-review needs another city
  user).
"""

import datetime
import hashlib
import random
import uuid
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import County, Industry, Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.validators import make_credit_code
from core.audit import audit_entry
from core.models import AuditLog

from .demo_matching import credit_list, registry
from .demo_years import YEARS
from .duplicates import refresh_all
from .models import (
    Application,
    ApplicationVersion,
    Attachment,
    AwardRule,
    Category,
    Material,
    Programme,
    QualificationDecision,
    ReceiptCounter,
    Round,
)
from .services.submission import snapshot
from .workflow import Status

TZ = ZoneInfo("Asia/Shanghai")
LEGAL_BASIS = "《郑州市人民政府关于印发郑州市支持制造业高质量发展若干政策的通知》（郑政〔2020〕20号）"
WAN = Decimal(10000)
DEMO_CREDIT_CODE = make_credit_code("91410102MA44XJ8G1")


def at(y, m, d, hh=9, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=TZ)


NOTICE = """各县（市、区）工业和信息化主管部门，郑州经济技术开发区、郑州高新技术产业开发区、\
郑州航空港经济综合实验区、郑东新区经济发展局：

根据《郑州市人民政府关于印发郑州市支持制造业高质量发展若干政策的通知》（郑政〔2020〕20号），经研究，\
现组织开展{year}年度郑州市制造业高质量发展专项资金项目申报工作。有关事项通知如下：

一、申报范围
在我市依法登记注册、具有独立法人资格、财务管理制度健全、信用记录良好的制造业企业。

二、申报方式
本年度实行网上申报。企业通过本平台注册并填写申报书、上传申报材料、在线确认承诺书后提交；各县（市、区）工信部门在线受理、审核并择优推荐上报；市工信局会同市财政局集中受理、开展资格审核（含复审）并组织专家评审。

三、时间安排
企业网上申报截止时间以本页“时间安排”为准，逾期系统不再受理。

四、其他要求
企业对申报材料的真实性负责。同一项目不得重复申报市级财政资金；已获得其他财政资金支持的，应如实申报。对弄虚作假的，取消申报资格，已拨付资金予以追回，并纳入信用记录。

联系电话：0371-67181234（市工信局规划处）"""

# name, three upgrades, green, above-scale only, min eligible (万元), rate, base, cap (万元), payment, materials
CATEGORIES = [
    ("智能化改造", True, False, True, 500, "0.10", "equipment", 1200, "one_off", "smart"),
    ("绿色化改造", True, False, True, 300, "0.10", "equipment", 800, "one_off", "green"),
    ("技术改造", True, False, True, 500, "0.08", "equipment", 1200, "one_off", "upgrade"),
    ("扩大规模", False, False, True, None, "0.02", "total", 500, "annual", "scale"),
    ("市场推广", False, False, False, None, "0.50", "eligible", 100, "one_off", "market"),
    ("数字化转型", False, False, False, 100, "0.20", "eligible", 500, "one_off", "digital"),
    ("绿色制造体系", False, True, False, None, "1.00", "eligible", 200, "one_off", "greenfactory"),
    ("项目建设", False, False, True, 5000, "0.05", "eligible", 2000, "one_off", "project"),
]
COMMON_MATERIALS = [
    ("营业执照副本", "", ["pdf", "jpg", "png"], True),
    ("上年度财务审计报告", "会计师事务所出具，含资产负债表、利润表", ["pdf"], True),
]
EXTRA_MATERIALS = {
    "smart": [("项目备案（核准）文件", "", ["pdf"], True),
              ("设备购置合同及发票汇总表", "按设备逐项列示", ["xlsx", "pdf"], True),
              ("项目专项审计报告", "", ["pdf"], False)],
    "green": [("项目备案（核准）文件", "", ["pdf"], True), ("节能（环保）效果评估报告", "", ["pdf", "docx"], True)],
    "upgrade": [("项目备案（核准）文件", "", ["pdf"], True), ("设备购置合同及发票汇总表", "", ["xlsx", "pdf"], True)],
    "scale": [("主营业务收入增长情况说明", "", ["pdf", "docx"], True)],
    "market": [("参展（推广）合同及费用凭证", "", ["pdf", "jpg", "png"], True)],
    "digital": [("数字化转型项目合同", "", ["pdf"], True), ("系统上线验收报告", "", ["pdf", "docx"], False)],
    "greenfactory": [("绿色工厂（绿色产品、绿色供应链）认定文件", "国家级或省级公告页", ["pdf", "jpg", "png"], True)],
    "project": [("项目备案（核准）文件", "", ["pdf"], True), ("项目用地及环评批复", "", ["pdf"], True)],
}
NAME_PARTS = ("华宇瑞恒中嘉鼎卓正金远信博联新海天巨泰汇", "科达通盛诚创安隆晟利源峰邦润力航驰星凯祥")
TRADES = {
    Industry.ELECTRONICS: ["电子科技", "智能终端", "光电"], Industry.AUTOMOTIVE: ["汽车零部件", "新能源汽车配件"],
    Industry.EQUIPMENT: ["智能装备", "机械制造", "重工"], Industry.NEW_MATERIALS: ["新材料", "超硬材料", "耐材"],
    Industry.FOOD: ["食品", "冷链食品"], Industry.ALUMINIUM: ["铝业", "铝材"],
    Industry.BIOMEDICINE: ["生物医药", "制药"],
    Industry.APPAREL: ["服饰", "家居"], Industry.OTHER: ["包装", "印务"],
}
PROJECTS = {
    "smart": ["智能化生产线改造项目", "数字化车间建设项目", "工业机器人应用项目"],
    "green": ["余热回收利用改造项目", "VOCs治理改造项目", "节能电机替换项目"],
    "upgrade": ["生产设备更新改造项目", "工艺升级技术改造项目"],
    "scale": ["产能扩大规模奖励"], "market": ["国内外展会参展推广", "品牌市场推广项目"],
    "digital": ["企业上云及ERP/MES集成项目", "工业互联网平台应用项目"],
    "greenfactory": ["国家级绿色工厂创建", "省级绿色供应链管理企业创建"],
    "project": ["年产新材料扩建项目", "智能制造产业园建设项目"],
}
def demo_pdf(label):
    """A small, valid, unique PDF (its hash differs per label, so demo files are not all 'duplicates')."""
    return (b"%PDF-1.4\n% " + label.encode() + b"\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R"
            b"/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


def seed(stdout=None):
    started = timezone.now()
    rng = random.Random(YEARS[2021].rng_seed)  # the enterprises, then the 2021 applications
    made = {}
    with transaction.atomic():
        programme, _ = Programme.objects.get_or_create(
            name="郑州市支持制造业高质量发展若干政策",
            defaults={"legal_basis": LEGAL_BASIS})
        rounds = {year: create_round(programme, year, p.at(-1, 10, 8), p.at(-1, 10, 31, 17, 30), {
            "notice_date": p.date(-1, 9, 15), "county_deadline": p.date(-1, 11, 10),
            "expert_review_date": p.date(-1, 11, 20), "audit_date": p.date(-1, 11, 30),
            "publicity_date": p.date(-1, 12, 10), "budget_listing_date": p.date(-1, 12, 31),
            "total_budget": Decimal(p.budget_wan) * WAN}) for year, p in YEARS.items()}
        now = timezone.now()
        opens = min(at(2026, 11, 2), now - datetime.timedelta(days=1))
        closes = max(at(2026, 12, 31, 17, 30), now + datetime.timedelta(days=30))
        round_2027, _ = create_round(programme, 2027, opens, closes, {
            "notice_date": (opens - datetime.timedelta(days=20)).date(),
            "county_deadline": (closes + datetime.timedelta(days=10)).date(),
            "expert_review_date": (closes + datetime.timedelta(days=20)).date(),
            "audit_date": (closes + datetime.timedelta(days=30)).date(),
            "publicity_date": (closes + datetime.timedelta(days=40)).date(),
            "budget_listing_date": (closes + datetime.timedelta(days=60)).date(),
            "payment_deadline": (closes + datetime.timedelta(days=150)).date(),
            # a month ahead as well: the demo's run of the reminders (seed_demo) finds the drafts of this call
            "reminder_days": "30,7,3,1",
            "total_budget": Decimal("600000000.00")})
        demo_org = _complete_demo_enterprise()
        enterprises = _enterprises(rng)
        for year, profile in YEARS.items():
            round_, created = rounds[year]
            if created or not round_.applications.exists():
                made[year] = _applications(round_, profile, [demo_org, *enterprises],
                                           rng if profile.stories else random.Random(profile.rng_seed))
    demo_made = _demo_enterprise_2027(round_2027, demo_org)
    credit_list(rounds[2021][0])
    registry(round_2027, demo_org)
    if stdout:
        seconds = (timezone.now() - started).total_seconds()
        made_text = ", ".join(f"{n} of {year}" for year, n in made.items()) or "none new"
        stdout.write(f"applications: calls {', '.join(map(str, YEARS))} and 2027, {len(enterprises) + 1} "
                     f"enterprises, applications {made_text}, {demo_made} of the demo enterprise in 2027 "
                     f"({seconds:.1f} s)")


def create_round(programme, year, opens, closes, extra):
    round_, created = Round.objects.get_or_create(year=year, defaults={
        "programme": programme, "title": f"{year}年度郑州市制造业高质量发展专项资金",
        "notice": NOTICE.format(year=year),
        "opens_at": opens, "closes_at": closes, "is_published": True, **extra})
    if created:
        for order, (name, three, green, above, minimum, rate, base, cap, payment, key) in enumerate(CATEGORIES):
            category = Category.objects.create(
                round=round_, name=name, is_three_upgrades=three, is_green_manufacturing=green, above_scale_only=above,
                min_eligible_investment=Decimal(minimum) * WAN if minimum else None, sort_order=order,
                description=f"对符合条件的{name}项目给予奖补。")
            AwardRule.objects.create(category=category, rate=Decimal(rate), base=base, cap=Decimal(cap) * WAN,
                                     payment=payment)
            Material.objects.bulk_create([
                Material(category=category, name=m_name, description=desc, allowed_types=types, required=req,
                         sort_order=i)
                for i, (m_name, desc, types, req) in enumerate(EXTRA_MATERIALS[key] + COMMON_MATERIALS)])
    return round_, created


def _complete_demo_enterprise():
    org = Organisation.objects.filter(credit_code=DEMO_CREDIT_CODE).first()
    if org is None:  # accounts.demo makes it; be safe when run alone
        org = Organisation.objects.create(kind=OrganisationKind.ENTERPRISE, credit_code=DEMO_CREDIT_CODE,
                                          name="郑州示范智能装备有限公司", county=County.objects.get(name="中原区"))
    if not org.bank_account_no:
        Organisation.objects.filter(pk=org.pk).update(
            industry=Industry.EQUIPMENT, is_above_scale=True, legal_representative="王建国", contact_person="王经理",
            contact_phone="0371-68886666", address="郑州市中原区科学大道100号", bank_account_name=org.name,
            bank_name="中国工商银行郑州中原支行", bank_account_no="1702021109000012345", is_verified=True,
            verified_at=at(2020, 9, 20))
        org.refresh_from_db()
    return org


def _enterprises(rng, count=250):
    counties = list(County.objects.order_by("sort_order", "id"))
    demo_orgs = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, credit_code__contains="MA4",
                                            name__endswith="（示例）")
    existing = set(demo_orgs.values_list("credit_code", flat=True))
    rows = []
    industries = list(TRADES)
    for n in range(count):
        county = counties[n % len(counties)]
        division = county.division_code or "410100"
        code = make_credit_code(f"91{division}MA{4000000 + n:07d}")
        if code in existing:
            continue
        industry = industries[n % len(industries)]
        name = f"郑州{NAME_PARTS[0][n % 20]}{NAME_PARTS[1][(n * 7) % 20]}{rng.choice(TRADES[industry])}有限公司（示例）"
        rows.append(Organisation(
            kind=OrganisationKind.ENTERPRISE, name=name, credit_code=code, county=county, industry=industry,
            is_above_scale=n % 5 != 0,
            legal_representative=rng.choice("王李张刘陈杨赵黄周吴") + rng.choice("伟芳军磊静强"),
            contact_person=rng.choice("王李张刘陈杨赵黄周吴") + "经理", contact_phone=f"0371-6{n:07d}",
            address=f"郑州市{county.name}示例路{n + 1}号", bank_account_name=name, bank_name="中国建设银行郑州分行",
            bank_account_no=f"4100150{n:012d}", is_verified=n % 17 != 0,
            verified_at=at(2020, 9, 25) if n % 17 else None))
    Organisation.objects.bulk_create(rows)
    return list(demo_orgs.select_related("county").order_by("credit_code"))


def _applications(round_, profile, enterprises, rng):
    categories = list(round_.categories.select_related("award_rule").prefetch_related("materials"))
    keys = {name: key for name, *_rest, key in CATEGORIES}
    city = _first_reviewer()
    statuses = [status for status, n in profile.status_mix for _ in range(n)]
    rng.shuffle(statuses)
    choose = _chooser(profile, enterprises, rng)
    apps, taken = [], set()
    for i, status in enumerate(statuses):
        enterprise = choose(i)
        if i == 0:
            status = Status.QUALIFIED
        eligible = [c for c in categories if enterprise.is_above_scale or not c.above_scale_only]
        k = (i * 5) % len(eligible)
        category = eligible[k]
        if not profile.stories:  # an enterprise drawn twice applies in another category
            category = next((c for c in eligible[k:] + eligible[:k] if (enterprise.pk, c.pk) not in taken), category)
        taken.add((enterprise.pk, category.pk))
        apps.append(_application(round_, category, enterprise, status, i, rng, keys[category.name], profile))
    # a few deliberate duplicates for the duplicate checks: same enterprise, same category
    for j in range(3 if profile.stories else 0):
        twin = apps[10 + j * 40]
        apps.append(_application(round_, twin.category, twin.enterprise, Status.COUNTY_ACCEPTED, 400 + j, rng,
                                 keys[twin.category.name], profile))
    _number(round_, apps)
    Application.objects.bulk_create(apps)
    apps = list(round_.applications.select_related("enterprise", "county", "category", "round").order_by("id"))
    _attachments(apps, categories)
    refresh_all()  # the rows went in by bulk_create, which no post_save follows
    _versions_and_decisions(apps, city, rng, profile)
    _history(apps, city, profile)
    return len(apps)


def _chooser(profile, enterprises, rng):
    """Which enterprise makes the i-th application: the demo enterprise first, then evenly over the enterprises,
    or drawn county by county with the year's weights."""
    if not profile.county_weights:
        return lambda i: enterprises[0] if i == 0 else enterprises[1 + (i * 37) % (len(enterprises) - 1)]
    by_county = {}
    for org in enterprises[1:]:
        by_county.setdefault(org.county.name, []).append(org)
    names = list(by_county)
    weights = [profile.county_weights.get(name, 1) for name in names]
    return lambda i: enterprises[0] if i == 0 else rng.choice(by_county[rng.choices(names, weights)[0]])


def _first_reviewer():
    """The city colleague who took the 2021 first qualification decisions (no login of its own)."""
    if not User.objects.filter(role=Role.CITY).exists():
        return None
    user, created = User.objects.get_or_create(username="city_reviewer_2021", defaults={
        "role": Role.CITY, "first_name": "韩科长（市工信局）", "email": "city_reviewer_2021@example.cn"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def _history(apps, city, profile):
    """The audit rows of each application's steps, dated as they happened (bulk: no events are sent)."""
    county_staff = {u.county_id: u for u in User.objects.filter(role=Role.COUNTY, is_active=True).order_by("-id")}
    enterprise_staff = {u.organisation_id: u for u in User.objects.filter(role=Role.ENTERPRISE, is_active=True)
                        .order_by("-id")}
    decisions = {d.application_id: d for d in QualificationDecision.objects.filter(application__in=apps)}
    past_county = {Status.COUNTY_ACCEPTED, Status.FORWARDED, Status.CITY_ACCEPTED, Status.QUALIFIED,
                   Status.DISQUALIFIED, Status.RE_REVIEW}
    rows = []

    def row(app, when, action, source, target, who, name, note=""):
        rows.append(audit_entry(created_at=when, actor=who, actor_name=name, obj=app, action=f"application.{action}",
                                from_state=source, to_state=target, note=note))

    for app in apps:
        if app.first_submitted_at is None:
            continue
        firm = enterprise_staff.get(app.enterprise_id)
        county = county_staff.get(app.county_id)
        county_name = f"{app.county.name}工信局"
        row(app, app.first_submitted_at, "submit", Status.DRAFT, Status.SUBMITTED, firm, app.enterprise.name)
        if app.status == Status.WITHDRAWN:
            row(app, app.first_submitted_at + datetime.timedelta(days=2), "withdraw", Status.SUBMITTED,
                Status.WITHDRAWN, firm, app.enterprise.name)
        elif app.status == Status.RETURNED:
            row(app, profile.at(-1, 11, 2, 15), "return", Status.SUBMITTED, Status.RETURNED, county, county_name,
                app.return_reason)
        elif app.status == Status.DECLINED:
            row(app, app.county_decided_at, "decline", Status.SUBMITTED, Status.DECLINED, county, county_name,
                app.county_opinion)
        if app.status not in past_county:
            continue
        row(app, app.county_decided_at, "accept", Status.SUBMITTED, Status.COUNTY_ACCEPTED, county, county_name)
        if app.forwarded_at:
            row(app, app.forwarded_at, "forward", Status.COUNTY_ACCEPTED, Status.FORWARDED, county, county_name,
                app.county_opinion)
        if app.city_accepted_at:
            row(app, app.city_accepted_at, "city_accept", Status.FORWARDED, Status.CITY_ACCEPTED, city, "")
        decision = decisions.get(app.pk)
        if decision is not None:
            target = Status.QUALIFIED if decision.decision == "qualified" else Status.DISQUALIFIED
            action = "qualify" if target == Status.QUALIFIED else "disqualify"
            row(app, decision.decided_at, action, Status.CITY_ACCEPTED, target, decision.actor, "", decision.reasons)
        if app.status == Status.RE_REVIEW:
            row(app, profile.at(-1, 11, 19, 16), "request_re_review", Status.DISQUALIFIED, Status.RE_REVIEW, firm,
                app.enterprise.name, app.re_review_reason)
    AuditLog.objects.bulk_create(rows, batch_size=500)


def _application(round_, category, enterprise, status, i, rng, key, profile):
    rule = category.award_rule
    minimum = category.min_eligible_investment or Decimal(0)
    drawn = Decimal(rng.randrange(800, 20000)) * WAN * profile.investment_scale
    eligible = max(minimum, drawn).quantize(Decimal("0.01"))
    total = (eligible * Decimal(rng.choice(["1.1", "1.25", "1.4"]))).quantize(Decimal("0.01"))
    equipment = (eligible * Decimal("0.8")).quantize(Decimal("0.01"))
    app = Application(
        round=round_, category=category, enterprise=enterprise, county=enterprise.county, status=status,
        project_name=rng.choice(PROJECTS[key]), construction_type=rng.choice(["renovation", "expansion", "new"]),
        location=f"郑州市{enterprise.county.name}", start_date=datetime.date(profile.year - 1, rng.randrange(1, 7), 1),
        end_date=datetime.date(profile.year - 1, rng.randrange(8, 13), 1), total_investment=total,
        eligible_investment=eligible, equipment_investment=equipment,
        description="项目主要建设内容：购置先进设备，优化生产工艺，提升智能化、绿色化水平。",
        expected_outcomes="项目建成后，预计年新增产值约5000万元，单位产品能耗下降10%以上。",
        other_subsidy=i % 53 == 7, other_subsidy_detail="已获省级先进制造业发展专项资金支持" if i % 53 == 7 else "",
        created_at=profile.at(-1, 10, 8) + datetime.timedelta(hours=i % 200),
    )
    app.requested_amount = rule.compute(app)
    if status != Status.DRAFT:
        submitted = profile.at(-1, 10, 9) + datetime.timedelta(minutes=97 * i % (21 * 24 * 60))
        app.first_submitted_at = app.submitted_at = submitted
        app.declaration_accepted, app.declaration_accepted_at = True, submitted
    if status in (Status.DECLINED,):
        app.county_opinion = "经审核，项目设备投资未达到申报条件，不予推荐。"
        app.county_decided_at = profile.at(-1, 11, 3)
    if status == Status.RETURNED:
        app.return_reason = "设备购置发票汇总表与合同金额不一致，请核对后重新提交。"
    past_county = {Status.FORWARDED, Status.CITY_ACCEPTED, Status.QUALIFIED, Status.DISQUALIFIED, Status.RE_REVIEW}
    if status in past_county | {Status.COUNTY_ACCEPTED}:
        app.county_decided_at = profile.at(-1, 11, 2)
    if status in past_county:
        app.county_opinion = "材料齐全，符合申报条件，同意推荐。"
        app.forwarded_at = profile.at(-1, 11, 9)
    if status in past_county - {Status.FORWARDED}:
        app.city_accepted_at = profile.at(-1, 11, 12)
    if status == Status.QUALIFIED:
        app.qualified_at = profile.at(-1, 11, 17)
    if status == Status.RE_REVIEW:
        app.re_review_reason = "企业已补充提供设备发票原件，申请复审。"
    return app


def _number(round_, apps):
    """Receipt numbers per county in submission order, and the counters that continue from them."""
    counters = {}
    for app in sorted((a for a in apps if a.first_submitted_at), key=lambda a: a.first_submitted_at):
        counters[app.county_id] = counters.get(app.county_id, 0) + 1
        app.receipt_no = f"{round_.year}-{app.county.abbreviation}-{counters[app.county_id]:04d}"
    ReceiptCounter.objects.bulk_create([ReceiptCounter(round=round_, county_id=c, last_number=n)
                                        for c, n in counters.items()])
    ranks = {}
    for app in sorted((a for a in apps if a.forwarded_at), key=lambda a: a.receipt_no):
        ranks[app.county_id] = ranks.get(app.county_id, 0) + 1
        app.county_rank = ranks[app.county_id]


def _attachments(apps, categories):
    rows = []
    shared = demo_pdf("shared-licence-copy")
    for index, app in enumerate(apps):
        for material in app.category.materials.all():
            if not material.required and index % 3:
                continue
            content = shared if (material.name == "营业执照副本" and index in (21, 22)) else \
                demo_pdf(f"{app.receipt_no or app.pk}-{material.pk}")
            name = default_storage.save(f"applications/{app.round.year}/{uuid.uuid4().hex}.pdf", ContentFile(content))
            rows.append(Attachment(
                application=app, material=material, file=name, original_name=f"{material.name}.pdf",
                sha256=hashlib.sha256(content).hexdigest(), size=len(content), content_type="application/pdf",
                file_type="pdf", uploaded_at=app.created_at))
    Attachment.objects.bulk_create(rows, batch_size=500)


def _versions_and_decisions(apps, city, rng, profile):
    files = {}
    for attachment in Attachment.objects.filter(application__in=apps).select_related("material"):
        files.setdefault(attachment.application_id, []).append(attachment)
    versions, decisions = [], []
    for app in apps:
        if app.first_submitted_at is None:
            continue
        versions.append(ApplicationVersion(application=app, number=1, data=snapshot(app, files.get(app.pk, [])),
                                           submitted_at=app.first_submitted_at))
        if city is None:
            continue
        if app.status == Status.QUALIFIED:
            decisions.append(QualificationDecision(application=app, decision="qualified", actor=city,
                                                   reasons="符合申报条件。", decided_at=app.qualified_at))
        elif app.status in (Status.DISQUALIFIED, Status.RE_REVIEW):
            decisions.append(QualificationDecision(
                application=app, decision="disqualified", actor=city, decided_at=profile.at(-1, 11, 17),
                reasons=rng.choice(["设备购置发生在政策规定期限之外。", "企业上年度存在严重失信记录。",
                                    "同一项目已获得市级其他财政资金支持。"])))
    ApplicationVersion.objects.bulk_create(versions, batch_size=500)
    QualificationDecision.objects.bulk_create(decisions, batch_size=500)


def _demo_enterprise_2027(round_, org):
    """Three applications of the demo enterprise in the open call, made through the real services."""
    from .services import (
        application_create_draft,
        application_return,
        application_save_draft,
        application_submit,
        attachment_store,
    )

    user = User.objects.filter(username="demo_enterprise").first()
    county_user = User.objects.filter(username="demo_county").first()
    if user is None or county_user is None or round_.applications.filter(enterprise=org).exists():
        return 0
    categories = list(round_.categories.order_by("sort_order")[:3])
    plans = [("五轴数控加工中心智能化改造项目", "submit"), ("焊装车间机器人应用项目", "return"),
             ("企业上云及MES集成项目", "draft")]
    made = 0
    for category, (name, plan) in zip(categories, plans, strict=False):
        app = application_create_draft(actor=user, category=category, project_name=name)
        rule = category.award_rule
        data = {"construction_type": "renovation", "location": "郑州市中原区科学大道100号",
                "start_date": datetime.date(2026, 3, 1), "end_date": datetime.date(2026, 12, 31),
                "total_investment": Decimal("26800000.00"), "eligible_investment": Decimal("21500000.00"),
                "equipment_investment": Decimal("18600000.00"),
                "description": "购置五轴联动加工中心8台、工业机器人12台，建设智能化生产线。",
                "expected_outcomes": "生产效率提升35%，产品不良率下降至0.5%以下。"}
        app.total_investment, app.eligible_investment = data["total_investment"], data["eligible_investment"]
        app.equipment_investment = data["equipment_investment"]
        data["requested_amount"] = rule.compute(app)
        app = application_save_draft(application=app, actor=user, data=data, expected_version=app.version)
        if plan != "draft":
            for material in category.materials.filter(required=True):
                upload = SimpleUploadedFile(f"{material.name}.pdf", demo_pdf(f"demo-{app.pk}-{material.pk}"),
                                            content_type="application/pdf")
                attachment_store(application=app, material=material, upload=upload, actor=user)
            app = application_submit(application=app, actor=user, declaration=True)
            if plan == "return":
                application_return(application=app, actor=county_user,
                                   note="请补充上传设备购置发票汇总表，并核对符合条件投资金额。")
        made += 1
    return made
