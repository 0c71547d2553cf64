"""The evaluation year, its narrative sections and its indicators (the indicator set is data, per year)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import NATIONAL_LEVEL, Direction, Level, Section, Source, YearStatus

MONEY = {"max_digits": 14, "decimal_places": 2}


class EvaluationYear(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True,
                                            validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    status = models.CharField(_("status"), max_length=10, choices=YearStatus.choices, default=YearStatus.DRAFT,
                              db_index=True)
    version = models.PositiveIntegerField(default=0)
    unit_name = models.CharField(_("evaluated unit"), max_length=100, default="郑州市工业和信息化局")
    fund_name = models.CharField(_("fund"), max_length=100, default="郑州市制造业高质量发展专项资金")
    # Interim figures until the disbursements module supplies budgets and payments (labelled as such in the UI).
    manual_budget_original = models.DecimalField(_("original budget (yuan)"), null=True, blank=True, **MONEY)
    manual_budget_adjusted = models.DecimalField(_("adjusted budget (yuan)"), null=True, blank=True, **MONEY)
    manual_budget_received = models.DecimalField(_("funds received (yuan)"), null=True, blank=True, **MONEY)
    manual_spent = models.DecimalField(_("actual spending (yuan)"), null=True, blank=True, **MONEY)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("evaluation year")
        verbose_name_plural = _("evaluation years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(manual_spent__gte=0) | models.Q(manual_spent__isnull=True),
                                   name="evaluation_year_spent_not_negative"),
        ]

    def __str__(self):
        return f"{self.year}"

    @property
    def is_editable(self):
        return self.status == YearStatus.DRAFT


class NarrativeSection(models.Model):
    """A section of the report's outline that city staff write; the numbers around it come from data."""

    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="sections")
    key = models.CharField(_("section"), max_length=20, choices=Section.choices)
    body = models.TextField(_("text"), blank=True, max_length=20000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0)  # optimistic lock: two staff may edit the same text

    class Meta:
        verbose_name = _("narrative section")
        verbose_name_plural = _("narrative sections")
        constraints = [models.UniqueConstraint(fields=["year", "key"], name="evaluation_section_unique")]

    def __str__(self):
        return f"{self.year} {self.get_key_display()}"


class Indicator(models.Model):
    year = models.ForeignKey(EvaluationYear, on_delete=models.CASCADE, related_name="indicators")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1), MaxValueValidator(99)])
    name = models.CharField(_("indicator"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    direction = models.CharField(_("direction"), max_length=12, choices=Direction.choices)
    target_value = models.DecimalField(_("target value"), max_digits=16, decimal_places=4, null=True, blank=True)
    target_text = models.CharField(_("target as worded"), max_length=50, blank=True,
                                   help_text=_("How the target reads in the report, e.g. 合理, 及时, ≥ 200家."))
    unit = models.CharField(_("unit"), max_length=10, blank=True)
    weight = models.DecimalField(_("weight (points)"), max_digits=5, decimal_places=2, default=Decimal("0"),
                                 validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    scoring_rule = models.TextField(_("scoring rule"), blank=True, max_length=2000)
    source = models.CharField(_("data source"), max_length=12, choices=Source.choices)
    source_key = models.CharField(_("data source key"), max_length=50, blank=True,
                                  help_text=_("The computed function or the imported figure that feeds it."))
    cumulative = models.BooleanField(_("cumulative over the year"), default=False,
                                     help_text=_("Mid-year monitoring compares it with the time-proportional target."))
    deviation_reason = models.TextField(_("reason for the deviation"), blank=True, max_length=4000)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0)  # optimistic lock: definition, weight and deviation reason

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="evaluation_indicator_number_unique"),
            models.CheckConstraint(condition=models.Q(weight__gte=0) & models.Q(weight__lte=100),
                                   name="evaluation_indicator_weight_range"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"

    @property
    def national_level(self):
        return NATIONAL_LEVEL[Level(self.level)]

    @property
    def target_display(self):
        if self.target_text:
            return self.target_text
        if self.target_value is None:
            return self.get_direction_display()
        value = f"{self.target_value.normalize():f}"
        return f"{self.get_direction_display()} {value}{self.unit}"
