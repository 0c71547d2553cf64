"""Adapter to the disbursements app: an approved support-list entry becomes payable there.

Imported lazily so that reviews works (and is tested) on its own; when the disbursements service is missing,
approval is refused with a clear message instead of silently approving money nobody can pay.
"""

from django.utils.translation import gettext as _

from .common import ReviewError


class PayablesUnavailable(ReviewError):
    pass


def commitment_service():
    try:
        from disbursements.services import commitment_create_for_application
    except ImportError:
        return None
    return commitment_create_for_application


def available():
    return commitment_service() is not None


def make_payable(*, actor, application, amount, approved_at):
    service = commitment_service()
    if service is None:
        raise PayablesUnavailable(
            _("The payment module (disbursements) is not installed: approved applications cannot become payable. "
              "Nothing was approved."), code="no_disbursements")
    return service(actor=actor, application=application, amount=amount, approved_at=approved_at)
