from .application import Application, ApplicationVersion, Attachment, QualificationDecision, ReceiptCounter
from .call import AwardBase, AwardRule, Category, FileType, Material, PaymentMode, Programme, Round
from .reminders import ReminderSent

__all__ = [
    "Application", "ApplicationVersion", "Attachment", "AwardBase", "AwardRule", "Category", "FileType",
    "Material", "PaymentMode", "Programme", "QualificationDecision", "ReceiptCounter", "ReminderSent", "Round",
]
