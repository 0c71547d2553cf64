"""Signals the review stage sends to the later stages, which connect their receivers in ``AppConfig.ready()``
(reviews never imports them)."""

from django.dispatch import Signal

# One approved support-list entry with an amount, sent by ``support_list_approve`` inside its transaction with
# ``sender=SupportListEntry`` and the keyword arguments ``actor``, ``application``, ``amount`` (Decimal yuan) and
# ``approved_at`` (aware datetime of the budget approval). Sent with ``send``, not ``send_robust``: a receiver
# that raises rolls the whole approval back.
support_entry_approved = Signal()
