from .budget import BudgetEntry, PaymentRule
from .diagnosis import AcceptanceResult, DiagnosisContract, DiagnosisProgramme, DiagnosisTarget, TenderResult
from .payments import Commitment, IdempotencyKey, Payment, PaymentBatch, Reconciliation

__all__ = [
    "AcceptanceResult", "BudgetEntry", "Commitment", "DiagnosisContract", "DiagnosisProgramme", "DiagnosisTarget",
    "IdempotencyKey", "Payment", "PaymentBatch", "PaymentRule", "Reconciliation", "TenderResult",
]
