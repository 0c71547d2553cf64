"""Who still has work before a call's payment deadline (applications/reminders.py sends the reminders): the
finance preparers while awards of the call are not fully scheduled for payment, the finance approvers while
payments of the call wait for their approval."""

from django.db.models import F
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from applications.reminders import recipients

from .models import Commitment, Payment
from .selectors import with_totals
from .workflow import PaymentStatus


@recipients("payment_deadline")
def finance_with_unpaid_awards(call):
    commitments = Commitment.objects.filter(application__round=call)
    found = {}
    if with_totals(commitments).filter(scheduled__lt=F("approved_amount")).exists():
        link = reverse("disbursements:commitments")
        found.update(dict.fromkeys(User.objects.filter(role=Role.FINANCE_PREPARER, is_active=True), link))
    if Payment.objects.filter(commitment__in=commitments, status=PaymentStatus.PENDING).exists():
        link = reverse("disbursements:payments")
        found.update(dict.fromkeys(User.objects.filter(role=Role.FINANCE_APPROVER, is_active=True), link))
    return found
