"""Credit lists (信用核查): lists published by other authorities, keyed by the unified social credit code.

A list is imported whole (every row valid, or nothing saved) with its source and date; its records stay as
imported. An enterprise is "on a list" when a record carries its credit code (credit.selectors)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ListKind(models.TextChoices):
    DISHONEST_DEBTOR = "dishonest_debtor", _("Dishonest judgement debtors (失信被执行人)")
    SERIOUS_VIOLATION = "serious_violation", _("Serious illegal and dishonest acts (严重违法失信)")
    ABNORMAL_OPERATION = "abnormal_operation", _("Abnormal business operations (经营异常)")
    OTHER = "other", _("Other credit list")


class CreditList(models.Model):
    kind = models.CharField(_("list"), max_length=24, choices=ListKind.choices)
    source = models.CharField(_("published by"), max_length=100,
                              help_text=_("e.g. 最高人民法院, 河南省市场监督管理局"))
    published_on = models.DateField(_("list date"))
    filename = models.CharField(_("file name"), max_length=200)
    sha256 = models.CharField(max_length=64)
    rows = models.PositiveIntegerField(_("records"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("credit list")
        verbose_name_plural = _("credit lists")
        ordering = ["-published_on", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.source} · {self.published_on:%Y-%m-%d}"


class CreditRecord(models.Model):
    credit_list = models.ForeignKey(CreditList, on_delete=models.CASCADE, related_name="records")
    credit_code = models.CharField(_("unified social credit code"), max_length=18, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    reason = models.CharField(_("reason for listing"), max_length=500, blank=True)
    listed_on = models.DateField(_("listed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("credit record")
        verbose_name_plural = _("credit records")
        ordering = ["credit_list", "id"]
        constraints = [models.UniqueConstraint(fields=["credit_list", "credit_code"], name="credit_record_once")]

    def __str__(self):
        return f"{self.credit_code} {self.name}"
