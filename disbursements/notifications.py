"""Who hears of what happens to payments and batches (subscribers of core.events, imported in ready()).

The enterprise hears of each of its payments sent to the bank, paid, and failed (with the reason and what to do:
correct the bank account in its company profile); finance hears of batches waiting for it."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from core.events import subscribe
from core.money import format_exact, format_wan
from core.notifications import LazyFormat, announce_event

from .models import Payment


def payee_users(payment):
    """The active users of the enterprise (or provider) the payment is for."""
    payee_id = Payment.objects.filter(pk=payment.pk).values_list("commitment__payee_id", flat=True).get()
    return User.objects.filter(organisation_id=payee_id, is_active=True, role=Role.ENTERPRISE)


def _funds_link():
    return reverse("disbursements:my_funds")


@subscribe("payment.send")
def tell_payee_sent(event):
    payment = event.obj
    announce_event(
        event, payee_users(payment),
        LazyFormat(_("Funds sent to the bank: %(amount)s (%(reference)s)"),
                   amount=format_wan(payment.amount, unit=True), reference=payment.reference),
        LazyFormat(_("%(purpose)s: %(amount)s was sent to the bank for account %(account)s (%(bank)s). It usually "
                     "arrives within a few working days."),
                   purpose=payment.purpose, amount=format_exact(payment.amount), account=payment.payee_account,
                   bank=payment.payee_bank),
        _funds_link())


@subscribe("payment.mark_paid")
def tell_payee_paid(event):
    payment = event.obj
    announce_event(
        event, payee_users(payment),
        LazyFormat(_("Funds paid: %(amount)s (%(reference)s)"), amount=format_wan(payment.amount, unit=True),
                   reference=payment.reference),
        LazyFormat(_("%(purpose)s, tranche %(tranche)s: %(amount)s was paid on %(date)s to account %(account)s. "
                     "Bank reference %(bank_ref)s."),
                   purpose=payment.purpose, tranche=payment.tranche, amount=format_exact(payment.amount),
                   date=payment.paid_on.strftime("%Y-%m-%d"), account=payment.payee_account,
                   bank_ref=payment.bank_reference),
        _funds_link())


@subscribe("payment.mark_failed")
def tell_payee_failed(event):
    payment = event.obj
    explanation = payment.failure_reason or payment.get_failure_code_display()
    announce_event(
        event, payee_users(payment),
        LazyFormat(_("Payment failed: %(amount)s (%(reference)s)"), amount=format_wan(payment.amount, unit=True),
                   reference=payment.reference),
        LazyFormat(_("The bank could not pay %(amount)s into account %(account)s (%(bank)s) on %(date)s. Reason: "
                     "%(reason)s (%(explanation)s). Please correct the bank account in your company profile; once "
                     "the county or city bureau has verified the new account, the payment is made again."),
                   amount=format_exact(payment.amount), account=payment.payee_account, bank=payment.payee_bank,
                   date=payment.failed_on.strftime("%Y-%m-%d"), reason=payment.get_failure_code_display(),
                   explanation=explanation),
        reverse("accounts:company"))


def _batch_link(batch):
    return reverse("disbursements:batch_detail", args=[batch.pk])


@subscribe("batch.submit")
def tell_approvers(event):
    batch = event.obj
    announce_event(event, User.objects.filter(role=Role.FINANCE_APPROVER, is_active=True),
                   LazyFormat(_("Payment batch %(ref)s awaits your approval"), ref=batch.reference),
                   link=_batch_link(batch))


@subscribe("batch.return")
def tell_preparer_returned(event):
    batch = event.obj
    announce_event(event, [batch.created_by], LazyFormat(_("Payment batch %(ref)s was returned"), ref=batch.reference),
                   body=event.note, link=_batch_link(batch))


@subscribe("batch.approve")
def tell_preparer_approved(event):
    batch = event.obj
    announce_event(event, [batch.created_by],
                   LazyFormat(_("Payment batch %(ref)s was approved"), ref=batch.reference),
                   link=_batch_link(batch))
