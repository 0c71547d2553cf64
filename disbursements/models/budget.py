"""The fund's budget per year as separate dated figures, and the rule that sets payment due dates."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 14, "decimal_places": 2}


class BudgetEntry(models.Model):
    """One dated budget figure. The year's budget is the sum of its entries, never one overwritten number.

    Committed and paid amounts are not stored here: they are aggregates of commitments and payments.
    """

    class Kind(models.TextChoices):
        ORIGINAL = "original", _("Original budget")
        ADJUSTMENT = "adjustment", _("Adjustment")
        RECEIVED = "received", _("Funds received")
        # money an enterprise paid back on a clawback (aftercare): its own line, never netted against spending
        RETURNED = "returned", _("Returned funds")

    fund_year = models.PositiveSmallIntegerField(_("fund year"), db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    date = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("budget entry")
        verbose_name_plural = _("budget entries")
        ordering = ["fund_year", "date", "id"]
        indexes = [models.Index(fields=["fund_year", "kind"], name="budget_year_kind")]
        constraints = [
            # Only an adjustment may lower the budget; no figure is zero.
            models.CheckConstraint(
                condition=models.Q(kind="adjustment") | models.Q(amount__gt=0), name="budget_entry_positive",
            ),
            models.CheckConstraint(condition=~models.Q(amount=0), name="budget_entry_not_zero"),
        ]

    def __str__(self):
        return f"{self.fund_year} {self.get_kind_display()} {self.amount}"


class PaymentRule(models.Model):
    """How the due date of a year's payments is set: N (calendar or working) days after budget approval."""

    class Basis(models.TextChoices):
        CALENDAR = "calendar", _("Calendar days")
        WORKING = "working", _("Working days")

    fund_year = models.PositiveSmallIntegerField(_("fund year"), unique=True)
    days = models.PositiveSmallIntegerField(_("days after budget approval"))
    basis = models.CharField(_("counted in"), max_length=10, choices=Basis.choices, default=Basis.CALENDAR)
    note = models.CharField(_("note"), max_length=300, blank=True)
    # Finance and city staff can both change the rule: edits carry the version they loaded (core.locking).
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment due-date rule")
        verbose_name_plural = _("payment due-date rules")
        ordering = ["-fund_year"]

    def __str__(self):
        return f"{self.fund_year}: {self.days} {self.get_basis_display()}"
