from django.contrib import admin

from core.admin import ReadOnlyAdmin

from .models import (
    BudgetEntry,
    Commitment,
    DiagnosisContract,
    DiagnosisProgramme,
    DiagnosisTarget,
    Payment,
    PaymentBatch,
    PaymentRule,
    Reconciliation,
    TenderResult,
)


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ("id", "fund_year", "payee", "approved_amount", "due_date", "approved_by")
    list_filter = ("fund_year",)
    search_fields = ("payee__name", "purpose")
    list_select_related = ("payee", "approved_by")


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ("reference", "amount", "status", "batch", "prepared_by", "approved_by", "paid_on")
    list_filter = ("status",)
    search_fields = ("reference", "payee_name", "bank_reference")
    list_select_related = ("batch", "prepared_by", "approved_by")


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    list_display = ("reference", "status", "created_by", "approved_by", "sent_at")
    list_filter = ("status",)


@admin.register(Reconciliation)
class ReconciliationAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "uploaded_by", "uploaded_at", "rows_total", "rows_paid", "rows_refused")


@admin.register(BudgetEntry)
class BudgetEntryAdmin(ReadOnlyAdmin):
    list_display = ("fund_year", "kind", "amount", "date", "note", "created_by")
    list_filter = ("fund_year", "kind")


@admin.register(PaymentRule)
class PaymentRuleAdmin(ReadOnlyAdmin):
    list_display = ("fund_year", "days", "basis", "updated_by", "updated_at")


@admin.register(DiagnosisProgramme)
class DiagnosisProgrammeAdmin(ReadOnlyAdmin):
    list_display = ("year", "title", "tender_by", "acceptance_by")


@admin.register(TenderResult)
class TenderResultAdmin(ReadOnlyAdmin):
    list_display = ("programme", "provider", "tender_date", "contract_amount")


@admin.register(DiagnosisContract)
class DiagnosisContractAdmin(ReadOnlyAdmin):
    list_display = ("programme", "provider", "amount", "status", "accepted_on")


@admin.register(DiagnosisTarget)
class DiagnosisTargetAdmin(ReadOnlyAdmin):
    list_display = ("contract", "enterprise", "selected_on", "report_on")
