"""The acceptance (验收) of a funded project: the enterprise's completion report, the county's inspection and
the city's decision, with the documents and photos of each step."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from applications.models.stored_file import StoredFile
from core import clock

from .workflow import ClawbackStatus, Recommendation, Status

MONEY = {"max_digits": 14, "decimal_places": 2}


class Acceptance(models.Model):
    """One per funded project (an application with a commitment): created with the first completion report."""

    commitment = models.OneToOneField("disbursements.Commitment", verbose_name=_("commitment"),
                                      on_delete=models.PROTECT, related_name="acceptance")
    application = models.OneToOneField("applications.Application", verbose_name=_("application"),
                                       on_delete=models.PROTECT, related_name="acceptance")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN,
                              db_index=True)
    version = models.PositiveIntegerField(default=1)
    completion_due = models.DateField(_("completion deadline"))
    # The enterprise's completion report
    actual_investment = models.DecimalField(_("actual investment (yuan)"), null=True, blank=True, **MONEY)
    equipment_list = models.TextField(_("equipment list"), blank=True)
    invoice_amount = models.DecimalField(_("invoice total (yuan)"), null=True, blank=True, **MONEY)
    submitted_at = models.DateTimeField(_("report submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    # The county's inspection
    visit_date = models.DateField(_("visit date"), null=True, blank=True)
    inspectors = models.CharField(_("inspectors"), max_length=200, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=10, choices=Recommendation.choices,
                                      blank=True)
    inspected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspected by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    # The city's decision
    rectify_by = models.DateField(_("rectification deadline"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("created"), default=clock.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("project acceptance")
        verbose_name_plural = _("project acceptances")
        ordering = ["completion_due", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(actual_investment__isnull=True) | Q(actual_investment__gte=0),
                                   name="acceptance_investment_not_negative"),
            models.CheckConstraint(condition=Q(invoice_amount__isnull=True) | Q(invoice_amount__gte=0),
                                   name="acceptance_invoice_not_negative"),
        ]

    def __str__(self):
        return str(self.application)


class FileStage(models.TextChoices):
    REPORT = "report", _("Completion report")
    INSPECTION = "inspection", _("Inspection")


def acceptance_file_path(instance, filename):
    return f"aftercare/{uuid.uuid4().hex}{filename[filename.rfind('.'):] if '.' in filename else ''}"


class AcceptanceFile(StoredFile):
    """A document or photo of a completion report or an inspection (checked like an application attachment)."""

    acceptance = models.ForeignKey(Acceptance, on_delete=models.CASCADE, related_name="files")
    stage = models.CharField(_("step"), max_length=12, choices=FileStage.choices)

    class Meta:
        verbose_name = _("acceptance document")
        verbose_name_plural = _("acceptance documents")
        ordering = ["acceptance", "uploaded_at", "id"]

    def upload_path(self, filename):
        return acceptance_file_path(self, filename)


class Clawback(models.Model):
    """The recovery of (part of) a paid award after a failed acceptance: proposed by one city officer, confirmed by
    another (four eyes); the enterprise refunds by the deadline, possibly in several parts."""

    acceptance = models.OneToOneField(Acceptance, verbose_name=_("acceptance"), on_delete=models.PROTECT,
                                      related_name="clawback")
    status = models.CharField(_("status"), max_length=12, choices=ClawbackStatus.choices,
                              default=ClawbackStatus.PROPOSED, db_index=True)
    version = models.PositiveIntegerField(default=1)
    amount = models.DecimalField(_("amount to recover (yuan)"), **MONEY)
    reason = models.TextField(_("reason"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    refund_due = models.DateField(_("refund deadline"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("proposed by"),
                                    on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed"), default=clock.now)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("clawback")
        verbose_name_plural = _("clawbacks")
        ordering = ["refund_due", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="clawback_amount_positive"),
            models.CheckConstraint(condition=Q(confirmed_by__isnull=True) | ~Q(confirmed_by=F("proposed_by")),
                                   name="clawback_four_eyes"),
        ]

    def __str__(self):
        return f"{self.acceptance} {self.amount}"


class Refund(models.Model):
    """Money the enterprise paid back on a clawback (booked to the budget as returned funds)."""

    clawback = models.ForeignKey(Clawback, verbose_name=_("clawback"), on_delete=models.PROTECT,
                                 related_name="refunds")
    received_on = models.DateField(_("received on"))
    bank_reference = models.CharField(_("bank reference"), max_length=64)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    budget_entry = models.OneToOneField("disbursements.BudgetEntry", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=clock.now)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["clawback", "received_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="refund_amount_positive"),
            models.UniqueConstraint(fields=["clawback", "bank_reference"], name="refund_unique_reference"),
        ]

    def __str__(self):
        return f"{self.bank_reference} {self.amount}"
from .followup_models import FollowupReport  # noqa: E402,F401  (the follow-up reports, 绩效跟踪)
