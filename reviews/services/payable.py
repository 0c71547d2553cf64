"""An approved support-list entry becomes payable in the payment module (disbursements).

Reviews does not import disbursements: it sends ``reviews.signals.support_entry_approved`` inside the approval's
transaction and disbursements, which connects the receiver, records the commitment. A receiver that fails rolls
the approval back. When no receiver is connected, approval is refused with a clear message instead of silently
approving money nobody can pay.
"""

from django.utils.translation import gettext as _

from ..models import SupportListEntry
from ..signals import support_entry_approved
from .common import ReviewError


class PayablesUnavailable(ReviewError):
    pass


def available():
    return support_entry_approved.has_listeners(SupportListEntry)


def make_payable(*, actor, application, amount, approved_at):
    if not available():
        raise PayablesUnavailable(
            _("The payment module (disbursements) is not installed: approved applications cannot become payable. "
              "Nothing was approved."), code="no_disbursements")
    support_entry_approved.send(sender=SupportListEntry, actor=actor, application=application, amount=amount,
                                approved_at=approved_at)
