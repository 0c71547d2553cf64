"""What the review produces per application: the aggregated score and rank, and the award proposal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models import AwardBase

from ..aggregation import Method

MONEY = {"max_digits": 14, "decimal_places": 2}


class ReviewResult(models.Model):
    """The panel score of one application, computed when the panel closes."""

    application = models.OneToOneField("applications.Application", verbose_name=_("application"),
                                       on_delete=models.CASCADE, related_name="review_result")
    panel = models.ForeignKey("reviews.Panel", verbose_name=_("panel"), on_delete=models.PROTECT,
                              related_name="results")
    method = models.CharField(_("aggregation"), max_length=20, choices=Method.choices)
    score_count = models.PositiveSmallIntegerField(_("scores"))
    mean = models.DecimalField(_("mean"), max_digits=6, decimal_places=2)
    aggregate = models.DecimalField(_("panel score"), max_digits=6, decimal_places=2, db_index=True)
    rank = models.PositiveSmallIntegerField(_("rank in category"))
    outlier_count = models.PositiveSmallIntegerField(_("outliers"), default=0)
    scores_text = models.CharField(_("scores"), max_length=300, blank=True,
                                   help_text=_("The individual totals the panel score was computed from"))
    computed_at = models.DateTimeField(_("computed"), auto_now=True)

    class Meta:
        verbose_name = _("review result")
        verbose_name_plural = _("review results")
        ordering = ["panel", "rank"]

    def __str__(self):
        return f"{self.application_id}: {self.aggregate} (#{self.rank})"


class AwardProposal(models.Model):
    """The proposed award with every input it was computed from.

    The amount carried forward is, in this order: the city's adjustment; the pro-rata scaled amount; the amount
    recomputed from the audited figures (not above the auditor's 审定金额); the amount computed from the
    application's figures.
    """

    application = models.OneToOneField("applications.Application", verbose_name=_("application"),
                                       on_delete=models.CASCADE, related_name="award_proposal")
    # the rule as it stood when the proposal was computed
    rule_base = models.CharField(_("base"), max_length=10, choices=AwardBase.choices)
    rule_rate = models.DecimalField(_("rate"), max_digits=5, decimal_places=4)
    rule_cap = models.DecimalField(_("cap (yuan)"), null=True, blank=True, **MONEY)
    base_amount = models.DecimalField(_("base amount (yuan)"), **MONEY)
    uncapped_amount = models.DecimalField(_("rate × base (yuan)"), **MONEY)
    computed_amount = models.DecimalField(_("computed award (yuan)"), **MONEY)
    # after the third-party audit
    audited_base_amount = models.DecimalField(_("audited base (yuan)"), null=True, blank=True, **MONEY)
    audited_computed_amount = models.DecimalField(_("award recomputed from the audit (yuan)"), null=True,
                                                  blank=True, **MONEY)
    auditor_amount = models.DecimalField(_("audited amount (yuan)"), null=True, blank=True, **MONEY)
    # pro-rata scaling to a budget
    scaled_amount = models.DecimalField(_("scaled award (yuan)"), null=True, blank=True, **MONEY)
    scaling_budget = models.DecimalField(_("budget scaled to (yuan)"), null=True, blank=True, **MONEY)
    scaling_scope = models.CharField(_("scaled to"), max_length=100, blank=True)
    # the city's adjustment
    adjusted_amount = models.DecimalField(_("adjusted award (yuan)"), null=True, blank=True, **MONEY)
    adjustment_reason = models.TextField(_("reason for the adjustment"), blank=True)
    adjusted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    adjusted_at = models.DateTimeField(null=True, blank=True)
    adjustment_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("adjustment confirmed by"),
                                                null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # An adjustment proposed by one city user, waiting for a second city user to confirm it (pending_at set;
    # pending_amount None with pending_at set: the proposal removes the adjustment).
    pending_amount = models.DecimalField(_("proposed adjustment (yuan)"), null=True, blank=True, **MONEY)
    pending_reason = models.TextField(_("reason for the proposed adjustment"), blank=True)
    pending_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("adjustment proposed by"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    pending_at = models.DateTimeField(_("adjustment proposed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("award proposal")
        verbose_name_plural = _("award proposals")
        constraints = [
            # Four eyes on an adjustment: whoever proposed it cannot confirm it.
            models.CheckConstraint(condition=models.Q(adjustment_confirmed_by__isnull=True)
                                   | models.Q(adjusted_by__isnull=True)
                                   | ~models.Q(adjustment_confirmed_by=models.F("adjusted_by")),
                                   name="award_adjustment_four_eyes"),
        ]

    def __str__(self):
        return f"{self.application_id}: {self.final_amount}"

    @property
    def adjustment_pending(self):
        return self.pending_at is not None

    @property
    def audited_amount(self):
        """The award after the audit: recomputed from the audited base, never above the auditor's amount."""
        if self.audited_computed_amount is None:
            return None
        if self.auditor_amount is None:
            return self.audited_computed_amount
        return min(self.audited_computed_amount, self.auditor_amount)

    @property
    def amount_before_scaling(self):
        audited = self.audited_amount
        return audited if audited is not None else self.computed_amount

    @property
    def final_amount(self):
        for value in (self.adjusted_amount, self.scaled_amount):
            if value is not None:
                return value
        return self.amount_before_scaling

    @property
    def source(self):
        """Which step the final amount comes from (for the page and exports)."""
        if self.adjusted_amount is not None:
            return "adjusted"
        if self.scaled_amount is not None:
            return "scaled"
        if self.audited_computed_amount is not None:
            return "audited"
        return "computed"
