"""The yearly follow-up report (绩效跟踪) of a funded project: the enterprise's results of one year after the money,
verified by its county (statuses in followup_workflow.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import clock

from .followup_workflow import FollowupStatus

MONEY = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True}
ENERGY = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True}

# (field, label) of the figures reported each year; the first report also gives them for the base year (base_*).
FIGURES = (
    ("revenue", _("Revenue")),
    ("taxes", _("Taxes paid")),
    ("jobs", _("Employees")),
    ("energy", _("Energy use (tce)")),
    ("output", _("Output of the funded line")),
)


class FollowupReport(models.Model):
    """One per funded project and year of the follow-up period (scheduled by followup_services)."""

    commitment = models.ForeignKey("disbursements.Commitment", verbose_name=_("commitment"),
                                   on_delete=models.PROTECT, related_name="followup_reports")
    year = models.PositiveSmallIntegerField(_("year reported"))
    sequence = models.PositiveSmallIntegerField(_("report number"), default=1)
    due_on = models.DateField(_("due on"), db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=FollowupStatus.choices,
                              default=FollowupStatus.DUE, db_index=True)
    version = models.PositiveIntegerField(default=1)
    revenue = models.DecimalField(_("revenue (yuan)"), **MONEY)
    taxes = models.DecimalField(_("taxes paid (yuan)"), **MONEY)
    jobs = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    energy = models.DecimalField(_("energy use (tce)"), **ENERGY)
    output = models.DecimalField(_("output of the funded line (yuan)"), **MONEY)
    # The first report only: the same figures of the base year (the year before the first payment)
    base_year = models.PositiveSmallIntegerField(_("base year"), null=True, blank=True)
    base_revenue = models.DecimalField(_("base-year revenue (yuan)"), **MONEY)
    base_taxes = models.DecimalField(_("base-year taxes paid (yuan)"), **MONEY)
    base_jobs = models.PositiveIntegerField(_("base-year employees"), null=True, blank=True)
    base_energy = models.DecimalField(_("base-year energy use (tce)"), **ENERGY)
    base_output = models.DecimalField(_("base-year output of the funded line (yuan)"), **MONEY)
    explanation = models.TextField(_("explanation of large changes"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("verified by"), null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="+")
    return_reason = models.TextField(_("reason for the return"), blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("follow-up report")
        verbose_name_plural = _("follow-up reports")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "year"], name="followup_one_per_year"),
            *(models.CheckConstraint(condition=Q(**{f"{name}__isnull": True}) | Q(**{f"{name}__gte": 0}),
                                     name=f"followup_{name}_not_negative")
              for name in ("revenue", "taxes", "energy", "output", "base_revenue", "base_taxes", "base_energy",
                           "base_output")),
        ]

    def __str__(self):
        return f"{self.commitment} {self.year}"

    @property
    def is_first(self):
        return self.sequence == 1

    def is_overdue(self, today=None):
        from .followup_workflow import OPEN

        return self.status in OPEN and self.due_on < (today or clock.today())
