"""Choices shared by the models, the scoring engine and the forms. No database access here."""


from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import JOB_LOST_AFTER, JobStatus  # noqa: F401  (the report job's statuses)


class Level(models.TextChoices):
    """The seed's indicator groups. ``national_level`` maps them to the national first-level indicators."""

    DECISION = "decision", _("Decision-making")
    PROCESS = "process", _("Process")
    OUTPUT = "output", _("Output")
    EFFECT = "effect", _("Effect")
    IMPACT = "impact", _("Impact")


# 财预〔2020〕10号 has four first-level indicators: 决策, 过程, 产出, 效益. The seed's 影响力 targets
# (archives, cooperation, publicity) are 效益 → 可持续影响 in the national frame.
NATIONAL_LEVEL = {
    Level.DECISION: _("Decision-making"),
    Level.PROCESS: _("Process"),
    Level.OUTPUT: _("Output"),
    Level.EFFECT: _("Benefit"),
    Level.IMPACT: _("Benefit (sustainable impact)"),
}


class Direction(models.TextChoices):
    GTE = "gte", "≥"
    LTE = "lte", "≤"
    EQ = "eq", "="
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")
    QUALITATIVE = "qualitative", _("Qualitative")


NUMERIC_DIRECTIONS = frozenset({Direction.GTE, Direction.LTE, Direction.EQ})


class Source(models.TextChoices):
    COMPUTED = "computed", _("Computed by the platform")
    STATISTICS = "statistics", _("Imported statistics")
    JUDGED = "judged", _("Judged with evidence")


class Grade(models.TextChoices):
    """A judgement of a qualitative indicator; each has a national band of the weight."""

    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class YearStatus(models.TextChoices):
    DRAFT = "draft", _("In preparation")
    FINAL = "final", _("Finalised")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for answers")
    CLOSED = "closed", _("Closed")


# The report is a background job (core/jobs.py): its statuses and the time after which it is taken as lost.
REPORT_LOST_AFTER = JOB_LOST_AFTER


class Period(models.TextChoices):
    """The period a statistics row covers: the whole year or the first half (for monitoring)."""

    YEAR = "year", _("Full year")
    HALF = "half", _("January–June")


class StatisticKey(models.TextChoices):
    """Figures imported from the statistics bureau's sheet (one column each in the XLSX template)."""

    MFG_VALUE_ADDED_GROWTH = "mfg_value_added_growth", _("Manufacturing value added growth (%)")
    REVENUE = "revenue", _("Revenue of industrial enterprises above designated size (100 million yuan)")
    REVENUE_GROWTH = "revenue_growth", _("Revenue growth of industrial enterprises above designated size (%)")
    TAX_TOTAL = "tax_total", _("Total taxes of industrial enterprises above designated size (100 million yuan)")
    TAX_GROWTH = "tax_growth", _("Growth of total taxes of industrial enterprises above designated size (%)")
    ENERGY_INTENSITY_CHANGE = "energy_intensity_change", _(
        "Change in energy use per 10,000 yuan of industrial value added (%, a fall is negative)")
    STRATEGIC_EMERGING_SHARE = "strategic_emerging_share", _("Share of strategic emerging industries in industry (%)")
    LEADING_SIX_GROWTH = "leading_six_growth", _("Value added growth of the six leading industries (%)")
    LEADING_SIX_SHARE = "leading_six_share", _("Share of the six leading industries above designated size (%)")
    HIGH_TECH_GROWTH = "high_tech_growth", _("Value added growth of high-tech manufacturing (%)")
    HIGH_TECH_SHARE = "high_tech_share", _("Share of high-tech manufacturing above designated size (%)")
    NEW_100B_ENTERPRISES = "new_100b_enterprises", _("New enterprises with revenue over 10 billion yuan")


# (lowest, highest, whole number) allowed for each figure; None = unbounded
STATISTIC_LIMITS = {
    StatisticKey.MFG_VALUE_ADDED_GROWTH: (-100, 1000, False),
    StatisticKey.REVENUE: (0, None, False),
    StatisticKey.REVENUE_GROWTH: (-100, 1000, False),
    StatisticKey.TAX_TOTAL: (0, None, False),
    StatisticKey.TAX_GROWTH: (-100, 1000, False),
    StatisticKey.ENERGY_INTENSITY_CHANGE: (-100, 1000, False),
    StatisticKey.STRATEGIC_EMERGING_SHARE: (0, 100, False),
    StatisticKey.LEADING_SIX_GROWTH: (-100, 1000, False),
    StatisticKey.LEADING_SIX_SHARE: (0, 100, False),
    StatisticKey.HIGH_TECH_GROWTH: (-100, 1000, False),
    StatisticKey.HIGH_TECH_SHARE: (0, 100, False),
    StatisticKey.NEW_100B_ENTERPRISES: (0, 1000, True),
}


class Section(models.TextChoices):
    """The narrative sections of the seed's outline, in report order."""

    UNIT = "unit", _("Basic information on the project unit")
    PROJECT = "project", _("Project overview")
    FUNDS = "funds", _("Project funds")
    GOALS = "goals", _("Performance goals")
    WORK_BASIC = "work_basic", _("Basic situation")
    WORK_ORGANISATION = "work_organisation", _("Organisation and implementation of the evaluation")
    DECISION = "decision", _("Project decision")
    MANAGEMENT = "management", _("Project management")
    OUTPUT = "output", _("Project output")
    CONCLUSION = "conclusion", _("Evaluation conclusion")
    EXPERIENCE = "experience", _("Main experience and practice")
    PROBLEMS = "problems", _("Problems and suggestions")
    OTHER = "other", _("Other matters to explain")
