"""Receivers of the earlier stages' signals, connected in ``DisbursementsConfig.ready()``."""

from reviews.models import SupportListEntry
from reviews.signals import support_entry_approved

from .services import commitment_create_for_application


def commit_approved_entry(sender, *, actor, application, amount, approved_at, **kwargs):
    """A support-list entry the finance approver approved becomes payable: its commitment, written in the
    approval's transaction (an error here refuses the whole approval)."""
    return commitment_create_for_application(actor=actor, application=application, amount=amount,
                                             approved_at=approved_at)


def connect():
    support_entry_approved.connect(commit_approved_entry, sender=SupportListEntry,
                                   dispatch_uid="disbursements.commit_approved_entry")
