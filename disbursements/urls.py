from django.urls import path

from .views import batches, budget, diagnosis, payments, reconciliation

app_name = "disbursements"

urlpatterns = [
    path("", payments.payments, name="payments"),
    path("my/", payments.my_funds, name="my_funds"),
    path("payments/export/", payments.payments_export, name="payments_export"),
    path("payments/<int:pk>/", payments.payment_detail, name="payment_detail"),
    path("payments/<int:pk>/cancel/", payments.payment_cancel_view, name="payment_cancel"),
    path("payments/<int:pk>/retry/", payments.payment_retry_view, name="payment_retry"),
    path("payments/<int:pk>/failure/", payments.payment_failure_view, name="payment_failure"),
    path("commitments/", payments.commitments, name="commitments"),
    path("commitments/<int:pk>/", payments.commitment_detail, name="commitment_detail"),
    path("batches/", batches.batches, name="batches"),
    path("batches/new/", batches.batch_new, name="batch_new"),
    path("batches/<int:pk>/", batches.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/bank-file/", batches.bank_file, name="bank_file"),
    path("batches/<int:pk>/return-template/", batches.return_template, name="return_template"),
    path("batches/<int:pk>/<slug:action>/", batches.batch_action, name="batch_action"),
    path("reconciliations/", reconciliation.reconciliations, name="reconciliations"),
    path("reconciliations/<int:pk>/", reconciliation.reconciliation_detail, name="reconciliation_detail"),
    path("budget/", budget.budget, name="budget"),
    path("budget/export/", budget.budget_export, name="budget_export"),
    path("budget/entries/", budget.budget_entry_create, name="budget_entry_create"),
    path("budget/rule/", budget.payment_rule_update, name="payment_rule_update"),
    path("diagnosis/", diagnosis.programmes, name="programmes"),
    path("diagnosis/<int:pk>/", diagnosis.programme_detail, name="programme_detail"),
    path("diagnosis/<int:pk>/tender/", diagnosis.tender_create, name="tender_create"),
    path("diagnosis/contracts/<int:pk>/", diagnosis.contract_detail, name="contract_detail"),
    path("diagnosis/contracts/<int:pk>/targets/", diagnosis.target_create, name="target_create"),
    path("diagnosis/contracts/<int:pk>/complete/", diagnosis.contract_complete_view, name="contract_complete"),
    path("diagnosis/contracts/<int:pk>/accept/", diagnosis.contract_accept_view, name="contract_accept"),
    path("diagnosis/targets/<int:pk>/report/", diagnosis.report_create, name="report_create"),
    path("diagnosis/targets/<int:pk>/report/download/", diagnosis.report_download, name="report_download"),
]
