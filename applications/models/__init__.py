from .application import (
                          Application,
                          ApplicationVersion,
                          Attachment,
                          QualificationDecision,
                          ReceiptCounter,
                          ReReviewEvidence,
)
from .call import AwardBase, AwardRule, Category, FileType, Material, PaymentMode, Programme, Round
from .credit import CreditClearance
from .invitation import Invitation
from .reminders import ReminderSent
from .stored_file import StoredFile
from .tally import StatusTally

__all__ = [
    "Application", "ApplicationVersion", "Attachment", "AwardBase", "AwardRule", "Category", "CreditClearance",
    "FileType", "Invitation", "Material", "PaymentMode", "Programme", "QualificationDecision", "ReReviewEvidence",
    "ReceiptCounter", "ReminderSent", "Round", "StatusTally", "StoredFile",
]
