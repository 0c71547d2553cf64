from .application import (
                          Application,
                          ApplicationVersion,
                          Attachment,
                          QualificationDecision,
                          ReceiptCounter,
                          ReReviewEvidence,
)
from .call import AwardBase, AwardRule, Category, FileType, Material, PaymentMode, Programme, Round

__all__ = [
    "Application", "ApplicationVersion", "Attachment", "AwardBase", "AwardRule", "Category", "FileType",
    "Material", "PaymentMode", "Programme", "QualificationDecision", "ReReviewEvidence", "ReceiptCounter", "Round",
]
