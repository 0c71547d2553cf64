"""The 26 indicators of the 2021 self-evaluation (DOMAIN.md), as the starting data of a first year.

After the first year, city staff copy a year to the next and edit there; nothing reads this module then.

Weights (100 in all), chosen after 财预〔2020〕10号, which gives budget execution 10 points in a
self-evaluation and the bulk to outputs and benefits:
    决策 10 (2, 4, 8) · 过程 25 (1 = 10, 3, 5, 6, 7, 9) · 产出 30 (10–16)
    效益 25 (17–23, 满意度 6) · 影响力 10 (24–26)
"""

from decimal import Decimal

from .constants import Direction, Level, Source, StatisticKey

D, P, OUT, E, IMP = Level.DECISION, Level.PROCESS, Level.OUTPUT, Level.EFFECT, Level.IMPACT
C, S, J = Source.COMPUTED, Source.STATISTICS, Source.JUDGED
GTE, EQ, INC, DEC, QUAL = Direction.GTE, Direction.EQ, Direction.INCREASE, Direction.DECREASE, Direction.QUALITATIVE

PROPORTIONAL = "达到目标值得满分；未达到的按实际值 ÷ 目标值的比例得分。"
CHANGE = "实际变化方向符合目标得满分，否则不得分；报告列明实际变化幅度。"
JUDGED = "定性指标：达成 80%–100%（含80%）、部分达成 60%–80%（含60%）、未达成 0–60% 的分值，须写明依据并附证明材料。"

# number, name, level, direction, target, target as worded, unit, weight, source, source key, cumulative, rule
INDICATORS = [
    (1, "预算执行率", P, EQ, "100", "100%", "%", "10", C, "budget_execution_rate", True,
     "预算执行率 = 实际支出 ÷ 年初预算。" + PROPORTIONAL),
    (2, "预算编制合理性", D, QUAL, None, "合理", "", "4", J, "", False, JUDGED),
    (3, "预算资金到位情况", P, EQ, "100", "到位率100%", "%", "3", C, "budget_funds_in_place", False,
     "到位率 = 实际到位资金 ÷ 预算数。" + PROPORTIONAL),
    (4, "财务管理制度健全性", D, QUAL, None, "健全", "", "3", J, "", False, JUDGED),
    (5, "资金使用规范性", P, QUAL, None, "规范", "", "3", J, "", False, JUDGED),
    (6, "财务监控有效性", P, QUAL, None, "有效", "", "3", J, "", False, JUDGED),
    (7, "信息公开情况", P, EQ, "100", "公开", "%", "3", C, "information_disclosure", False,
     "按平台已发布的申报通知和公示名单计算应公开事项的公开比例。" + PROPORTIONAL),
    (8, "项目管理制度健全性", D, QUAL, None, "健全", "", "3", J, "", False, JUDGED),
    (9, "资格审核（含复审）规范性", P, EQ, "100", "规范", "%", "3", C, "qualification_review_compliance", False,
     "按平台记录的资格审核决定计算：写明理由、需复审的已复审的决定所占比例。" + PROPORTIONAL),
    (10, "奖补计划完成率", OUT, EQ, "100", "=100%", "%", "4", C, "award_plan_completion", True,
     "奖补计划完成率 = 已拨付奖补资金 ÷ 列入预算的支持名单奖补资金。" + PROPORTIONAL),
    (11, "支持符合制造业高质量发展政策的企业数量（家）", OUT, GTE, "200", "≥200家", "家", "5", C,
     "supported_enterprises", True, "按支持名单中获得拨付的企业（去重）计数。" + PROPORTIONAL),
    (12, "“三大改造”奖补项目数量（个）", OUT, GTE, "50", "≥50个", "个", "5", C, "three_transformations_projects", True,
     "按智能化改造、绿色化改造、技术改造类别中获得奖补的项目计数。" + PROPORTIONAL),
    (13, "收益对象资质条件符合率", OUT, EQ, "100", "=100%", "%", "4", C, "beneficiary_eligibility", False,
     "获奖补对象中资格审核通过且未被撤销的比例。" + PROPORTIONAL),
    (14, "制造业增加值增速", OUT, GTE, "3", "≥3%", "%", "4", S, StatisticKey.MFG_VALUE_ADDED_GROWTH.value, False,
     "取市统计局数据。" + PROPORTIONAL),
    (15, "企业申报评审工作完成及时性", OUT, EQ, "100", "及时", "%", "4", C, "review_timeliness", False,
     "申报、受理、评审、审计、公示各环节按计划日期完成的比例。" + PROPORTIONAL),
    (16, "奖补资金发放及时率", OUT, EQ, "100", "=100%", "%", "4", C, "payment_timeliness", False,
     "在应付日期前拨付的笔数 ÷ 应拨付笔数。" + PROPORTIONAL),
    (17, "规上工业企业营业收入", E, INC, None, "增长", "%", "3", S, StatisticKey.REVENUE_GROWTH.value, False,
     "取市统计局营业收入同比增速。" + CHANGE),
    (18, "战略性新兴产业占全市工业比重", E, GTE, "25", "≥25%", "%", "3", S,
     StatisticKey.STRATEGIC_EMERGING_SHARE.value, False, "取市统计局数据。" + PROPORTIONAL),
    (19, "完成绿色制造体系建设（家）", E, GTE, "10", "≥10家", "家", "4", C, "green_manufacturing", True,
     "按绿色制造体系（绿色工厂等）类别中获得奖补的企业计数。" + PROPORTIONAL),
    (20, "企业品牌知名度", E, QUAL, None, "提高", "", "3", J, "", False, JUDGED),
    (21, "规上工业企业税金总额", E, INC, None, "增长", "%", "3", S, StatisticKey.TAX_GROWTH.value, False,
     "取市统计局税金总额同比增速。" + CHANGE),
    (22, "工业增加值能耗下降", E, DEC, None, "下降", "%", "3", S, StatisticKey.ENERGY_INTENSITY_CHANGE.value, False,
     "取市统计局万元工业增加值能耗同比变化（下降为负数）。" + CHANGE),
    (23, "受补贴企业满意度", E, GTE, "90", "≥90%", "%", "6", C, "satisfaction", False,
     "满意度 = 平台问卷中“满意”和“非常满意”的评价数 ÷ 全部评价数。" + PROPORTIONAL),
    (24, "档案管理完备性", IMP, EQ, "100", "完备", "%", "3", C, "archive_completeness", False,
     "获奖补项目中规定材料齐全的比例。" + PROPORTIONAL),
    (25, "跨部门沟通协作有效性", IMP, QUAL, None, "有效", "", "3", J, "", False, JUDGED),
    (26, "政策公开公示率", IMP, EQ, "100", "=100%", "%", "4", C, "policy_publicity_rate", False,
     "已发布的申报通知和公示名单 ÷ 应发布数。" + PROPORTIONAL),
]


def indicator_rows():
    """The catalogue as keyword dicts for Indicator(**row)."""
    for (number, name, level, direction, target, worded, unit, weight, source, key, cumulative,
         rule) in INDICATORS:
        yield {
            "number": number, "name": name, "level": level, "direction": direction,
            "target_value": Decimal(target) if target is not None else None, "target_text": worded,
            "unit": unit, "weight": Decimal(weight), "source": source, "source_key": key,
            "cumulative": cumulative, "scoring_rule": rule,
        }
