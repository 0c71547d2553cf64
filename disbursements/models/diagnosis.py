"""The intelligent-manufacturing diagnosis service (智能化诊断服务): tender, contract, targets, reports, acceptance."""

import calendar
import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..workflow import ContractStatus
from .budget import MONEY


def default_deadlines(year):
    """The yearly calendar from the fund's rules: tender in January, targets by February, reports March-July,
    completion by the end of September, acceptance by the end of October."""
    return {
        "tender_by": date(year, 1, 31),
        "selection_by": date(year, 2, calendar.monthrange(year, 2)[1]),
        "reports_from": date(year, 3, 1),
        "reports_by": date(year, 7, 31),
        "completion_by": date(year, 9, 30),
        "acceptance_by": date(year, 10, 31),
    }


class DiagnosisProgramme(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    tender_by = models.DateField(_("tender by"))
    selection_by = models.DateField(_("target enterprises chosen by"))
    reports_from = models.DateField(_("diagnoses from"))
    reports_by = models.DateField(_("diagnosis reports by"))
    completion_by = models.DateField(_("completion by"))
    acceptance_by = models.DateField(_("acceptance by"))
    # Bumped when a tender is recorded: a tender form opened before another one was recorded is refused.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("diagnosis-service programme")
        verbose_name_plural = _("diagnosis-service programmes")
        ordering = ["-year"]

    def __str__(self):
        return self.title


class TenderResult(models.Model):
    """The recorded outcome of the January tender: which solution provider won, when, for how much."""

    programme = models.ForeignKey(DiagnosisProgramme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="tenders")
    provider = models.ForeignKey("accounts.Organisation", verbose_name=_("solution provider"),
                                 on_delete=models.PROTECT, related_name="tenders_won")
    tender_date = models.DateField(_("tender date"))
    contract_amount = models.DecimalField(_("contract amount (yuan)"), **MONEY)
    notice_no = models.CharField(_("tender notice number"), max_length=60, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tender result")
        verbose_name_plural = _("tender results")
        ordering = ["programme", "tender_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(contract_amount__gt=0), name="tender_amount_positive"),
        ]

    def __str__(self):
        return f"{self.programme.year} {self.provider}"


class AcceptanceResult(models.TextChoices):
    PASSED = "passed", _("Passed acceptance")
    FAILED = "failed", _("Failed acceptance")


class DiagnosisContract(models.Model):
    programme = models.ForeignKey(DiagnosisProgramme, verbose_name=_("programme"), on_delete=models.PROTECT,
                                  related_name="contracts")
    tender = models.OneToOneField(TenderResult, verbose_name=_("tender result"), on_delete=models.PROTECT,
                                  related_name="contract")
    provider = models.ForeignKey("accounts.Organisation", verbose_name=_("solution provider"),
                                 on_delete=models.PROTECT, related_name="diagnosis_contracts")
    contract_no = models.CharField(_("contract number"), max_length=60, blank=True)
    amount = models.DecimalField(_("contract amount (yuan)"), **MONEY)
    signed_on = models.DateField(_("signed on"))
    status = models.CharField(_("status"), max_length=20, choices=ContractStatus.choices,
                              default=ContractStatus.SIGNED, db_index=True)
    version = models.PositiveIntegerField(default=1)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    accepted_on = models.DateField(_("acceptance date"), null=True, blank=True)
    acceptance_result = models.CharField(_("acceptance result"), max_length=10, choices=AcceptanceResult.choices,
                                         blank=True)
    acceptance_notes = models.TextField(_("acceptance notes"), blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("accepted by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("diagnosis-service contract")
        verbose_name_plural = _("diagnosis-service contracts")
        ordering = ["programme", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="contract_amount_positive")]

    def __str__(self):
        return f"{self.programme.year} {self.provider} {self.contract_no}".strip()


def report_path(instance, filename):
    # ``filename`` is ignored: files are stored under a generated name.
    return f"disbursements/diagnosis/{instance.contract.programme.year}/{uuid.uuid4().hex}.{instance.report_type}"


class DiagnosisTarget(models.Model):
    """An enterprise chosen for diagnosis, and the provider's report about it."""

    contract = models.ForeignKey(DiagnosisContract, verbose_name=_("contract"), on_delete=models.PROTECT,
                                 related_name="targets")
    enterprise = models.ForeignKey("accounts.Organisation", verbose_name=_("enterprise"), on_delete=models.PROTECT,
                                   related_name="diagnoses")
    selected_on = models.DateField(_("selected on"))
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    report = models.FileField(_("diagnosis report"), upload_to=report_path, max_length=200, blank=True)
    report_name = models.CharField(_("file name"), max_length=150, blank=True)
    report_type = models.CharField(max_length=5, blank=True)
    report_size = models.PositiveIntegerField(null=True, blank=True)
    report_sha256 = models.CharField(max_length=64, blank=True)
    report_on = models.DateField(_("report received"), null=True, blank=True)
    report_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    # Bumped on every report upload: a report chosen on a page opened before another upload is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("diagnosis target enterprise")
        verbose_name_plural = _("diagnosis target enterprises")
        ordering = ["contract", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "enterprise"], name="diagnosis_target_unique"),
        ]

    def __str__(self):
        return f"{self.contract} {self.enterprise}"
