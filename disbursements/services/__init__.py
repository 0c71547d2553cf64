"""Every write of the disbursements app: ``<entity>_<verb>(*, actor, ...)``."""

from .batches import batch_approve, batch_create, batch_discard, batch_return, batch_send, batch_submit
from .budget import budget_entry_add, payment_rule_set
from .commitments import commitment_create_for_application, commitment_create_for_contract, due_date_for
from .common import FourEyesViolation, validate_amount
from .diagnosis import (
    contract_accept,
    contract_complete,
    programme_create,
    provider_create,
    report_upload,
    target_add,
    tender_record,
    tender_record_for,
)
from .payments import payment_cancel, payment_prepare, payment_record_failure, payment_retry
from .reconciliation import reconciliation_import

__all__ = [
    "FourEyesViolation", "batch_approve", "batch_create", "batch_discard", "batch_return", "batch_send",
    "batch_submit", "budget_entry_add", "commitment_create_for_application", "commitment_create_for_contract",
    "contract_accept", "contract_complete", "due_date_for", "payment_cancel", "payment_prepare",
    "payment_record_failure", "payment_retry",
    "payment_rule_set", "programme_create", "provider_create", "reconciliation_import", "report_upload",
    "target_add", "tender_record", "tender_record_for", "validate_amount",
]
