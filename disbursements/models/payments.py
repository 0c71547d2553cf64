"""Commitments (the approved, payable amount per source), payments in tranches, batches, reconciliations."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..workflow import BatchStatus, FailureReason, PaymentStatus
from .budget import MONEY


class Commitment(models.Model):
    """The approved, payable amount for ONE approved application or ONE diagnosis-service contract."""

    application = models.OneToOneField(
        "applications.Application", verbose_name=_("application"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="commitment",
    )
    contract = models.OneToOneField(
        "disbursements.DiagnosisContract", verbose_name=_("diagnosis-service contract"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="commitment",
    )
    # Copied from the source when the commitment is made: the payee and the county that sees it.
    payee = models.ForeignKey("accounts.Organisation", verbose_name=_("payee"), on_delete=models.PROTECT,
                              related_name="commitments")
    county = models.ForeignKey("accounts.County", verbose_name=_("county"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=200)
    approved_amount = models.DecimalField(_("approved amount (yuan)"), **MONEY)
    fund_year = models.PositiveSmallIntegerField(_("fund year"), db_index=True)
    approved_at = models.DateTimeField(_("budget approved"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT,
                                    related_name="+")
    due_date = models.DateField(_("payment due"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["-fund_year", "id"]
        indexes = [models.Index(fields=["fund_year", "county"], name="commitment_year_county")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(application__isnull=False) & Q(contract__isnull=True))
                | (Q(application__isnull=True) & Q(contract__isnull=False)),
                name="commitment_exactly_one_source",
            ),
            models.CheckConstraint(condition=Q(approved_amount__gt=0), name="commitment_amount_positive"),
        ]

    def __str__(self):
        return f"{self.fund_year} {self.payee} {self.purpose}"

    @property
    def source_label(self):
        return self.purpose


def bank_file_path(instance, filename):
    return f"disbursements/bank_files/{uuid.uuid4().hex}.xlsx"


class PaymentBatch(models.Model):
    """Payments sent to the bank in one file. Approved as a whole by a second finance officer."""

    reference = models.CharField(_("batch number"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=BatchStatus.choices, default=BatchStatus.DRAFT,
                              db_index=True)
    version = models.PositiveIntegerField(default=1)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("sent by"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # The file exactly as it was generated when the batch was sent (kept for the record, downloadable again).
    bank_file = models.FileField(_("bank file"), upload_to=bank_file_path, max_length=200, blank=True)
    bank_file_sha256 = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("created_by")), name="batch_four_eyes",
            ),
        ]

    def __str__(self):
        return self.reference or f"#{self.pk}"


class Payment(models.Model):
    """One tranche of a commitment. Prepared by one finance officer, approved by another (four eyes)."""

    commitment = models.ForeignKey(Commitment, verbose_name=_("commitment"), on_delete=models.PROTECT,
                                   related_name="payments")
    tranche = models.PositiveSmallIntegerField(_("tranche"))
    # A failed payment is never sent again: a new attempt of the same tranche is prepared and approved again.
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    retry_of = models.ForeignKey("self", verbose_name=_("retry of"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="retries")
    reference = models.CharField(_("payment reference"), max_length=32, unique=True)
    amount = models.DecimalField(_("amount (yuan)"), **MONEY)
    purpose = models.CharField(_("purpose"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=PaymentStatus.choices,
                              default=PaymentStatus.PENDING, db_index=True)
    version = models.PositiveIntegerField(default=1)
    # The payee's bank data as prepared and approved: the bank file and the reconciliation use this copy.
    payee_name = models.CharField(_("payee name"), max_length=200)
    payee_bank = models.CharField(_("bank"), max_length=100)
    payee_account = models.CharField(_("account number"), max_length=40)
    batch = models.ForeignKey(PaymentBatch, verbose_name=_("batch"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="payments")
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("prepared by"),
                                    on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField(_("prepared"), auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("approved by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True, db_index=True)
    bank_reference = models.CharField(_("bank reference"), max_length=64, blank=True)
    failure_code = models.CharField(_("reason for failure"), max_length=20, choices=FailureReason.choices,
                                    blank=True)
    failure_reason = models.CharField(_("bank's explanation"), max_length=300, blank=True)
    failed_on = models.DateField(_("failed on"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failure recorded"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["commitment_id", "tranche", "attempt"]
        indexes = [models.Index(fields=["status", "batch"], name="payment_status_batch")]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "tranche", "attempt"], name="payment_unique_attempt"),
            # At most one live attempt follows a failed one (two preparers retrying at once: one wins).
            models.UniqueConstraint(fields=["retry_of"], condition=~Q(status=PaymentStatus.CANCELLED),
                                    name="payment_one_live_retry"),
            models.CheckConstraint(condition=~Q(status=PaymentStatus.FAILED)
                                   | (~Q(failure_code="") & Q(failed_on__isnull=False)),
                                   name="payment_failure_has_reason"),
            models.UniqueConstraint(fields=["bank_reference"], condition=~Q(bank_reference=""),
                                    name="payment_unique_bank_reference"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            # Four eyes, in the database: whoever prepared a payment can never approve it.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("prepared_by")), name="payment_four_eyes",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[PaymentStatus.PENDING, PaymentStatus.CANCELLED])
                | Q(approved_by__isnull=False),
                name="payment_approved_before_sending",
            ),
            models.CheckConstraint(
                condition=~Q(status=PaymentStatus.PAID) | (Q(paid_on__isnull=False) & ~Q(bank_reference="")),
                name="payment_paid_has_bank_record",
            ),
        ]

    def __str__(self):
        return self.reference

    @property
    def is_on_time(self):
        if self.paid_on is None:
            return None
        return self.paid_on <= self.commitment.due_date


class IdempotencyKey(models.Model):
    """One row per submitted approve/send form: a replayed key returns the first result and changes nothing."""

    key = models.UUIDField(primary_key=True)
    action = models.CharField(max_length=40)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    object_type = models.CharField(max_length=40)
    object_id = models.CharField(max_length=40)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")

    def __str__(self):
        return f"{self.key} {self.action} {self.object_type}:{self.object_id}"


def return_file_path(instance, filename):
    return f"disbursements/returns/{uuid.uuid4().hex}.xlsx"


class Reconciliation(models.Model):
    """One uploaded bank return file and its row-by-row report."""

    # The batch whose return this is: a row naming a payment of another batch is refused.
    batch = models.ForeignKey(PaymentBatch, verbose_name=_("batch"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="reconciliations")
    file = models.FileField(upload_to=return_file_path, max_length=200)
    file_name = models.CharField(_("file name"), max_length=150)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_paid = models.PositiveIntegerField(_("marked paid"), default=0)
    rows_failed = models.PositiveIntegerField(_("marked failed"), default=0)
    rows_unchanged = models.PositiveIntegerField(_("already recorded"), default=0)
    rows_refused = models.PositiveIntegerField(_("refused"), default=0)
    report = models.JSONField(default=list)

    class Meta:
        verbose_name = _("reconciliation")
        verbose_name_plural = _("reconciliations")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"{self.file_name} {self.uploaded_at:%Y-%m-%d %H:%M}"
