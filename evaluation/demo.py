"""Demo data: the 2021 self-evaluation of the seed document, scored from data. Idempotent.

- Indicators: the 26 of the catalogue. Weights (total 100), after 财预〔2020〕10号 which gives budget
  execution 10 points in a self-evaluation: 决策 10 (2 预算编制合理性 4, 4 财务管理制度健全性 3, 8 项目管理
  制度健全性 3) · 过程 25 (1 预算执行率 10, 3, 5, 6, 7, 9 three each) · 产出 30 (10, 13–16 four each, 11 and
  12 five each) · 效益 25 (19 four, 23 满意度 six, the others three) · 影响力 10 (24 and 25 three, 26 four).
- Budget: 58000万元 budget (received in full) and 52013万元 spent, entered by hand on the year
  (手工录入（待与资金拨付模块对接）) until the disbursements module supplies them: 89.68 % execution.
- Statistics: only the figures the seed states (规上制造业 +11.8 %, 六大主导产业 +13.3 % / 82.1 %, 高技术
  制造业 +26.5 % / 32.7 %, 2 new 百亿级 enterprises, 万元增加值能耗 −11.78 %), imported through the real
  XLSX import. Revenue, taxes and the strategic-emerging share are not in the seed and stay empty.
- Judgements of the 7 qualitative indicators with their basis from the seed's text.
- A satisfaction survey of 8 enterprises; 7 have answered, demo_enterprise has not (try it).

The seed gives itself 100 points; the platform cannot: budget execution alone costs 1.03 points, and
the indicators that need the applications, reviews and disbursements records show "no data" until
those modules are connected.

The self-evaluation is written after the year closed: its steps run inside ``core.clock.at`` in January and
February 2022, so that its audit rows and notifications carry those dates.

The 2022 self-evaluation (``LATER_YEARS``) is made the same way a year later: the year is created as a copy of
2021 (indicators, weights, narrative moved on a year), with the statistics bureau's full figures for 2022, the
judgements and deviation reasons, a survey every invited enterprise answered (closed), and the report generated.
Its budget comes from the disbursements module. At the end the demo's past notifications are marked read.
"""

import datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import F
from openpyxl import load_workbook

from accounts.models import County, Organisation, User
from accounts.roles import OrganisationKind, Role
from accounts.validators import make_credit_code
from applications.demo_years import HISTORY_END
from core import clock
from core.models import Notification

from .constants import Grade, Section, StatisticKey, SurveyStatus
from .models import EvaluationYear, Survey
from .services import judgements, reports, statistics, surveys, years

YEAR = 2021
TZ = ZoneInfo("Asia/Shanghai")


def on(month, day, hour=10, year=YEAR):
    """The moment of the self-evaluation of fund year ``year`` (written in the following January and February)."""
    return clock.at(datetime.datetime(year + 1, month, day, hour, tzinfo=TZ))


SECTIONS = {
    Section.UNIT: (
        "郑州市工信局负责贯彻落实党中央关于工业和信息化工作的方针政策和决策部署，在履行职责过程中坚持和加强党对"
        "工业和信息化工作的集中统一领导。主要职责有：一是研究拟订全市新型工业化发展战略和政策、全市重大工业项目布局"
        "规划；二是拟定并组织实施全市工业和信息化发展规划，以及全市工业行业规划、计划和产业政策；三是监测分析全市"
        "工业运行态势，组织协调全市制造业高质量发展，指导推进全市先进制造业发展；四是负责全市电力、国防工业行业监管"
        "工作，组织推进全市新型工业化产业示范基地、产业集群建设，指导中小企业发展。"),
    Section.PROJECT: (
        "为加快建设国家中心城市，为打造具有国际竞争力的先进制造业基地，通过对工业和信息化企业和项目奖补，充分发挥"
        "财政资金促进和导向作用，加快制造强市建设，加大转型升级步伐，提升发展的质量和效益，推进郑州制造加快质量变革、"
        "效率变革、动力变革，实现高质量发展。以《郑州市人民政府关于印发郑州市支持制造业高质量发展若干政策的通知》"
        "（郑政〔2020〕20号）等文件为依据。\n\n"
        "该专项经费主要用于支持企业扩大规模，加大市场推广，加快项目建设和数字化转型，提高企业生产运营水平。"),
    Section.FUNDS: "该专项经费用于对企业和项目的奖补及智能化诊断服务，专款专用。",
    Section.GOALS: (
        "项目总目标：加大我市工业转型升级步伐，提升工业经济发展的质量和效益，提升全市信息化建设和发展水平，打造"
        "具有国际竞争力的先进制造业基地，实现高质量发展。\n\n"
        "项目实施计划：（1）专项资金申报工作：2020年9月份，制订印发申报通知；10月份，各县（市、区）受理企业申报"
        "材料，市工信局集中受理县（市、区）申报；10月份，市工信局联合市财政局，组织专家评审；11月底前，完成第三方"
        "审计、审核；12月底前，列入2021年专项资金预算，报财政局，2021年资金核拨。（2）支持智能化诊断服务：2021年1月"
        "开展系统解决方案供应商招标，1月-2月选定诊断对象企业，3月-7月组织开展诊断服务并形成诊断报告，9月底完成诊断"
        "服务工作，10月底验收后支付相关费用。"),
    Section.WORK_BASIC: (
        "此次部门绩效评价目的是评价制造业高质量发展项目资金取得的成效，采取查看资料、电话沟通、走访调研等形式，"
        "按照2021年制造业高质量发展目标设定，逐条对照，认真核对，做好部门绩效自评工作。"),
    Section.WORK_ORGANISATION: (
        "我部门在预算编制环节强化绩效目标管理，共设定26个绩效目标，在年中做好绩效监控工作，并将绩效监控结果应用于"
        "完善预算管理、合理安排下半年支出计划上，在决算环节全面开展绩效评价，对26个目标的完成情况进行自评价。\n\n"
        "通过对市统计局发函、向企业发放问卷调查、到企业实地调研考察等形式，完成基础数据的收集和资料信息汇总，并对"
        "目标完成情况进行实地核查，与服务对象沟通。本年度起，申报、评审、拨付数据和满意度问卷均在本平台形成，评分由"
        "平台根据数据计算。"),
    Section.DECISION: (
        "根据党中央、国务院关于推动经济高质量发展的指示精神，市政府制定印发了《郑州市人民政府关于印发郑州市支持"
        "制造业高质量发展若干政策的通知》（郑政〔2020〕20号），设立专项经费，主要用于对企业扩大生产、市场推广、项目"
        "建设等给予奖励或补贴，提高企业生产运营水平，推动制造业高质量发展。"),
    Section.MANAGEMENT: (
        "预算编制科学、规范，预算资金到位及时，立项依据充分。此项费用属于专款专用，资金使用规范，严格执行相关财务"
        "规定。"),
    Section.OUTPUT: "全市工业企业节能降耗工作开展扎实有效，超额完成省市既定目标。",
    Section.CONCLUSION: (
        "2021年通过制造业高质量项目申报，支持企业扩大生产、市场推广、加快项目建设，企业生产效益进一步提高，推动"
        "制造业高质量发展。"),
    Section.EXPERIENCE: (
        "一是高度重视项目评价工作，以绩效评价为抓手，将其作为提高自身财务制度建设、提高项目资金使用效益的重要手段。"
        "二是精心组织，充分认识和发挥自身绩效管理作用，理顺工作机制，加强与财政部门沟通联系，促进绩效评价工作顺利"
        "开展。三是积极推进，组织相关业务处室相互借鉴，交流经验，共同完成全局绩效评价工作。"),
    Section.PROBLEMS: "企业申报纸质材料过多，建议通过电子系统申报项目，并通过亲清在线系统拨付资金。",
    Section.OTHER: "建议财政部门加强业务培训，组织相关单位学习交流绩效评价工作经验。",
}

# figures stated in the seed (三（三）项目产出情况)
STATISTICS = {
    StatisticKey.MFG_VALUE_ADDED_GROWTH: Decimal("11.8"),
    StatisticKey.LEADING_SIX_GROWTH: Decimal("13.3"),
    StatisticKey.LEADING_SIX_SHARE: Decimal("82.1"),
    StatisticKey.HIGH_TECH_GROWTH: Decimal("26.5"),
    StatisticKey.HIGH_TECH_SHARE: Decimal("32.7"),
    StatisticKey.NEW_100B_ENTERPRISES: 2,
    StatisticKey.ENERGY_INTENSITY_CHANGE: Decimal("-11.78"),
}
STATISTICS_NOTE = "据2021年部门绩效评价报告（市统计局初步统计）"

# number: (grade, points, basis)
JUDGEMENTS = {
    2: (Grade.ACHIEVED, "4", "预算依据《郑州市人民政府关于印发郑州市支持制造业高质量发展若干政策的通知》（郑政〔2020〕"
        "20号）编制；支持名单经专家评审、第三方审计后于2020年12月底前列入2021年专项资金预算（报告一（四）3、三（二））。"),
    4: (Grade.ACHIEVED, "3", "专项经费专款专用，严格执行相关财务规定（报告三（二））。"),
    5: (Grade.ACHIEVED, "3", "资金用于对企业扩大生产、市场推广、项目建设等的奖补和诊断服务采购，未发现超范围使用"
        "（报告三（一）、三（二））。"),
    6: (Grade.ACHIEVED, "2.7", "年中开展绩效监控并用于安排下半年支出计划（报告二（二））；"
        "报告未附监控记录，酌减0.3分。"),
    8: (Grade.ACHIEVED, "3", "印发申报通知，明确县区受理、市级集中受理、专家评审、第三方审计、列入预算的流程和时间"
        "节点（报告一（四）3）。"),
    20: (Grade.PARTLY, "2.1", "报告未提供品牌知名度的直接证据；以全年新增百亿级企业2家作为间接佐证，评为部分达成。"),
    25: (Grade.ACHIEVED, "3", "市工信局联合市财政局组织专家评审，加强与财政部门沟通联系（报告一（四）3、五）。"),
}
REASONS = {
    14: "年初目标值按保底增速设定，实际增速11.8%大幅超出目标；建议下一年度据实调高目标值。",
    20: "缺少品牌知名度的量化数据；下一年度拟在满意度问卷和企业调研中增加品牌相关问题。",
}

SURVEY_ENTERPRISES = [  # name, first 17 characters of the credit code, county
    ("郑州宇信精密制造有限公司", "91410102MA45A0101", "中原区"),
    ("郑州中原数控装备有限公司", "91410103MA45A0102", "二七区"),
    ("郑州绿源新材料科技有限公司", "91410182MA45A0103", "荥阳市"),
    ("郑州华智电子信息有限公司", "91410105MA45A0104", "金水区"),
    ("郑州航港智能物流装备有限公司", "91410100MA45A0105", "郑州航空港经济综合实验区"),
    ("郑州嵩山汽车零部件有限公司", "91410185MA45A0106", "登封市"),
    ("郑州金水生物医药有限公司", "91410105MA45A0107", "金水区"),
]
# one row of six ratings per answering enterprise: 39 of 42 are 满意 or 非常满意 (92.86 %)
RATINGS = [[5, 5, 4, 4, 5, 5], [4, 4, 3, 4, 4, 5], [5, 4, 4, 3, 5, 4], [5, 5, 5, 4, 4, 5], [4, 4, 4, 4, 5, 4],
           [5, 4, 4, 3, 4, 5], [4, 5, 5, 4, 4, 4]]
COMMENTS = ["希望进一步简化申报材料。", "", "资金拨付希望更及时。", "", "", "建议增加政策解读培训。", ""]


# A later year's self-evaluation starts from a copy of the year before (indicators, weights, narrative, which
# is moved on a year); these are what differs.
LATER_YEARS = {
    2022: {
        "statistics": {
            StatisticKey.MFG_VALUE_ADDED_GROWTH: Decimal("7.9"), StatisticKey.REVENUE: Decimal("6218.5"),
            StatisticKey.REVENUE_GROWTH: Decimal("6.2"), StatisticKey.TAX_TOTAL: Decimal("318.7"),
            StatisticKey.TAX_GROWTH: Decimal("4.1"), StatisticKey.ENERGY_INTENSITY_CHANGE: Decimal("-5.3"),
            StatisticKey.STRATEGIC_EMERGING_SHARE: Decimal("27.4"), StatisticKey.LEADING_SIX_GROWTH: Decimal("8.6"),
            StatisticKey.LEADING_SIX_SHARE: Decimal("80.9"), StatisticKey.HIGH_TECH_GROWTH: Decimal("12.4"),
            StatisticKey.HIGH_TECH_SHARE: Decimal("34.1"), StatisticKey.NEW_100B_ENTERPRISES: 1,
        },
        "statistics_note": "据市统计局2022年统计年报（初步统计）",
        "sections": {
            Section.WORK_ORGANISATION: SECTIONS[Section.WORK_ORGANISATION].replace("本年度起，", ""),
            Section.PROBLEMS: "部分项目完工验收滞后于计划，个别企业整改周期较长，年末仍有部分资金未拨付；建议加强项目"
                              "实施过程跟踪，按验收进度及早安排拨付。",
        },
        "judgements": {  # the others as the year before
            6: (Grade.ACHIEVED, "3", "年中开展绩效监控，监控记录在平台形成，并用于安排下半年支出计划。"),
            20: (Grade.PARTLY, "2.3", "满意度问卷增加品牌相关问题，多数受访企业认为品牌知名度有所提高；仍缺少第三方"
                 "量化数据，评为部分达成。"),
        },
        "reasons": {
            1: "部分支持项目尚未完成验收，剩余资金按规定在验收后拨付。",
            10: "个别支持项目因企业自身原因年内未完成拨付，按程序结转办理。",
            11: "本年度支持资金向数字化转型和绿色制造倾斜，部分企业同时获得多个类别支持，支持企业家数低于年初目标；"
                "下一年度将据实设定目标值。",
            14: "年初目标值按保底增速设定，实际增速7.9%超出目标。",
            15: "部分退回补正的申报未在期限内重新提交，县区审核转报未能全部按期完成；下一年度将提前提醒补正期限。",
            16: "部分项目因收款账户核对和项目进度原因，未在预算批复后180日内拨付。",
            19: "绿色制造体系建设支持企业数超出年初目标；下一年度将据实调高目标值。",
            20: "缺少品牌知名度的第三方量化数据；下一年度拟委托第三方开展品牌评价。",
        },
        # the survey enterprises and the demo enterprise all answer: 45 of 48 are 满意 or 非常满意 (93.75 %)
        "ratings": [[5, 5, 5, 4, 5, 5], [4, 4, 4, 4, 5, 5], [5, 4, 3, 4, 5, 4], [5, 5, 5, 5, 4, 5],
                    [4, 4, 4, 4, 5, 4], [5, 4, 4, 3, 4, 5], [4, 5, 5, 4, 4, 4], [5, 4, 4, 5, 3, 4]],
        "comments": ["网上申报比纸质申报方便很多。", "", "希望验收后尽快拨付资金。", "", "", "",
                     "建议增加政策宣讲场次。", "申报和拨付进度在平台上一目了然。"],
    },
}


def _moved_on(text, number):
    """Last year's text about this year: each year named one later."""
    return text.replace(f"{number - 1}年", f"{number}年").replace(f"{number - 2}年", f"{number - 1}年")


def _seed_later(number, later, previous, city, stdout):
    """A later year's self-evaluation in January and February of the year after, through the same services."""
    year = EvaluationYear.objects.filter(year=number).first()
    if year is not None:
        return year
    with transaction.atomic():
        with on(1, 10, year=number):
            year = years.year_create(actor=city, year=number, copy_from=previous)
            for section in year.sections.all():
                body = later["sections"].get(section.key, _moved_on(section.body, number))
                if body != section.body:
                    years.section_update(actor=city, year=year, key=section.key, body=body)
        with on(1, 17, 9, year=number):
            survey = _survey(year, city, [*_enterprise_users(), User.objects.get(username="demo_enterprise")],
                             later["ratings"], later["comments"])
        with on(1, 24, 15, year=number):
            statistics.statistics_import(actor=city, year=year, filename=f"{number}年统计数据.xlsx",
                                         data=_statistics_file(year, later["statistics"], later["statistics_note"]))
        with on(2, 10, year=number):
            surveys.survey_close(actor=city, survey=survey)
        indicators = {ind.number: ind for ind in year.indicators.all()}
        with on(2, 14, year=number):
            for indicator_number, (grade, points, basis) in {**JUDGEMENTS, **later["judgements"]}.items():
                judgements.judgement_save(actor=city, indicator=indicators[indicator_number], grade=grade,
                                          points=Decimal(points), basis=_moved_on(basis, number))
            for indicator_number, reason in later["reasons"].items():
                years.deviation_reason_update(actor=city, indicator=indicators[indicator_number], reason=reason)
    with on(2, 20, year=number):
        job = reports.report_request(actor=city, year=year)
    job.refresh_from_db()
    if stdout:
        stdout.write(f"evaluation: {number} copied from {previous.year}, statistics, {len(indicators)} indicators, "
                     f"closed survey, report {job.status}")
    return year


def _evidence_pdf():
    from core.pdf import render_pdf

    return render_pdf('<html lang="zh-Hans"><body style="font-family: \'Noto Sans CJK SC\'">'
                      "<h1>2021年制造业高质量发展专项资金预算批复（演示附件）</h1>"
                      "<p>预算金额：58000万元。</p></body></html>")


def _statistics_file(year, figures=STATISTICS, note=STATISTICS_NOTE):
    wb = load_workbook(BytesIO(statistics.template_xlsx(year)))
    ws = wb[statistics.SHEET]
    headers = {statistics.header_aliases()[c.value]: c.column for c in ws[1]}
    for key, value in figures.items():
        ws.cell(row=2, column=headers[key], value=value)
    ws.cell(row=2, column=headers["note"], value=note)
    ws.delete_rows(3)  # no January–June figures in the seed
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _survey(year, city, answering, ratings, comments):
    """The survey of the demo's survey enterprises and the demo enterprise; ``answering`` users answer with
    ``ratings`` (one row of six each) and ``comments``."""
    if Survey.objects.filter(year=year).exists():
        return None
    main = User.objects.filter(username="demo_enterprise").select_related("organisation").first()
    orgs = [u.organisation for u in _enterprise_users()] + ([main.organisation] if main and main.organisation else [])
    survey = surveys.survey_create(
        actor=city, year=year, title=f"{year.year}年制造业高质量发展专项资金受补贴企业满意度调查",
        intro=f"为做好{year.year}年度绩效自评，请对专项资金申报、评审、拨付和服务工作进行评价。约需2分钟。",
        scope=Survey.Scope.SELECTED, questions=surveys.DEFAULT_QUESTIONS, organisations=orgs)
    surveys.survey_open(actor=city, survey=survey)
    survey.refresh_from_db()
    questions = list(survey.questions.all())
    for user, row, comment in zip(answering, ratings, comments, strict=True):
        surveys.response_submit(actor=user, survey=survey, comment=comment,
                                ratings={q.pk: r for q, r in zip(questions, row, strict=True)})
    return survey


def _enterprise_users():
    users = []
    for i, (name, first17, county) in enumerate(SURVEY_ENTERPRISES, start=1):
        org, _created = Organisation.objects.get_or_create(
            credit_code=make_credit_code(first17),
            defaults={"kind": OrganisationKind.ENTERPRISE, "name": name, "county": County.objects.get(name=county)})
        user, created = User.objects.get_or_create(
            username=f"demo_survey_{i}", defaults={"role": Role.ENTERPRISE, "organisation": org,
                                                   "first_name": f"{name[2:6]}联络员"})
        if created:
            user.set_unusable_password()
            user.save()
        users.append(user)
    return users


def seed(stdout=None):
    """The 2021 self-evaluation, then each later year's, copied from the year before; returns the 2021 year."""
    city = User.objects.get(username="demo_city")
    first = _seed_2021(city, stdout)
    previous = first
    for number, later in LATER_YEARS.items():
        previous = _seed_later(number, later, previous, city, stdout)
    _history_read()
    return first


def _history_read():
    """The notifications of the demo's past (up to the end of its last step) were read long ago."""
    Notification.objects.filter(created_at__lt=HISTORY_END, read_at__isnull=True).update(read_at=F("created_at"))


@transaction.atomic
def _seed_2021(city, stdout):
    year = EvaluationYear.objects.filter(year=YEAR).first()
    if year is not None:
        if stdout:
            stdout.write(f"evaluation: {YEAR} exists, left as it is")
        return year
    with on(1, 10):
        year = years.year_create(actor=city, year=YEAR)
        years.year_update_settings(actor=city, year=year, data={
            "manual_budget_original": Decimal("580000000.00"), "manual_budget_received": Decimal("580000000.00"),
            "manual_spent": Decimal("520130000.00")})
        for key, body in SECTIONS.items():
            years.section_update(actor=city, year=year, key=key, body=body)
    with on(1, 24, 15):
        statistics.statistics_import(actor=city, year=year, filename="2021年统计数据.xlsx",
                                     data=_statistics_file(year))
    indicators = {ind.number: ind for ind in year.indicators.all()}
    with on(2, 14):
        for number, (grade, points, basis) in JUDGEMENTS.items():
            judgements.judgement_save(actor=city, indicator=indicators[number], grade=grade,
                                      points=Decimal(points), basis=basis)
        judgements.evidence_add(actor=city, indicator=indicators[2], name="2021年专项资金预算批复（演示附件）.pdf",
                                data=_evidence_pdf(), description="预算批复")
        for number, reason in REASONS.items():
            years.deviation_reason_update(actor=city, indicator=indicators[number], reason=reason)
    with on(1, 17, 9):
        _survey(year, city, _enterprise_users(), RATINGS, COMMENTS)
    if stdout:
        opened = Survey.objects.filter(year=year, status=SurveyStatus.OPEN).count()
        stdout.write(f"evaluation: {YEAR} with 26 indicators, statistics, 7 judgements, {opened} open survey")
    return year
