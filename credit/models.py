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


class RegistryImport(models.Model):
    """One delivery of the statistics bureau's enterprise registry (企业名录) for a year: imported whole, by
    file or through the data interface. Matching reads the latest delivery."""

    year = models.PositiveSmallIntegerField(_("year"), help_text=_("the year the revenue and investment refer to"))
    source = models.CharField(_("delivered by"), max_length=100)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    client_key = models.CharField(max_length=100, blank=True, db_index=True,
                                  help_text="Idempotency-Key of a delivery through the data interface")
    rows = models.PositiveIntegerField(_("records"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise registry")
        verbose_name_plural = _("enterprise registries")
        ordering = ["-imported_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "client_key"], condition=~models.Q(client_key=""),
                                               name="registry_import_key_once")]

    def __str__(self):
        return f"{self.year} · {self.source}"


class RegistryEntry(models.Model):
    registry = models.ForeignKey(RegistryImport, on_delete=models.CASCADE, related_name="entries")
    year = models.PositiveSmallIntegerField(_("year"))
    credit_code = models.CharField(_("unified social credit code"), max_length=18, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    county = models.ForeignKey("accounts.County", verbose_name=_("county"), on_delete=models.PROTECT,
                               related_name="+")
    industry_code = models.CharField(_("industry code (GB/T 4754)"), max_length=4)
    above_scale = models.BooleanField(_("above designated size"), default=False)
    revenue = models.DecimalField(_("last year's revenue (yuan)"), max_digits=16, decimal_places=2)
    investment = models.DecimalField(_("last year's investment (yuan)"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("registry entry")
        verbose_name_plural = _("registry entries")
        ordering = ["registry", "id"]
        constraints = [models.UniqueConstraint(fields=["registry", "credit_code"], name="registry_entry_once")]

    def __str__(self):
        return f"{self.credit_code} {self.name}"

    @property
    def is_manufacturing(self):
        return is_manufacturing(self.industry_code)


def is_manufacturing(code):
    """GB/T 4754: manufacturing is section C, divisions 13 to 43 (the first two digits of the 4-digit code)."""
    return len(code or "") == 4 and code.isdigit() and 13 <= int(code[:2]) <= 43
