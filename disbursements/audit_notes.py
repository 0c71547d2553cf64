"""How the structured data of each disbursements audit action reads (core.audit.register_note_formats).

Every placeholder is a key of the ``data`` its action writes; amounts are yuan (``*_yuan``)."""

from django.utils.translation import gettext_lazy as _

from .models import BudgetEntry, PaymentRule
from .workflow import FailureReason


def labelled(text, **choices):
    """A note format whose codes (``key=TextChoices``) read by their labels in the reader's language."""

    def render(values, data):
        shown = dict(values)
        for key, labels in choices.items():
            code = data.get(key)
            shown[key] = str(labels(code).label) if code in labels.values else (code or "")
        try:
            return str(text) % shown
        except (KeyError, ValueError, TypeError):
            return ""

    return render

NOTE_FORMATS = {
    "commitment.create": _("%(purpose)s: %(amount_yuan)s payable, due %(due_date)s"),
    "budget.entry_add": labelled(_("Fund year %(fund_year)s, %(kind)s: %(amount_yuan)s on %(date)s"),
                                 kind=BudgetEntry.Kind),
    "payment_rule.set": labelled(_("Fund year %(fund_year)s: paid within %(days)s days (%(basis)s); "
                                   "%(due_dates_changed)s due dates recomputed"), basis=PaymentRule.Basis),
    "payment.prepare": _("Tranche %(tranche)s: %(amount_yuan)s to %(payee_name)s, %(payee_bank)s, account "
                         "%(payee_account)s"),
    "payment.retry": _("New attempt %(attempt)s of %(retry_of_reference)s: %(amount_yuan)s to %(payee_name)s, "
                       "%(payee_bank)s, account %(payee_account)s"),
    "payment.approve": _("%(amount_yuan)s approved in batch %(batch_reference)s"),
    "payment.send": _("%(amount_yuan)s sent to the bank in batch %(batch_reference)s"),
    "payment.mark_paid": _("%(amount_yuan)s paid on %(paid_on)s, bank reference %(bank_reference)s"),
    "payment.mark_failed": labelled(_("%(amount_yuan)s failed on %(failed_on)s: %(failure_code)s %(failure_reason)s"),
                                    failure_code=FailureReason),
    "payment.cancel": _("%(amount_yuan)s cancelled"),
    "batch.create": _("%(payments)s payments, of which %(retries)s new attempts of failed payments"),
    "batch.submit": _("%(payments)s payments submitted for approval"),
    "batch.approve": _("%(payments)s payments approved, %(total_yuan)s"),
    "batch.send": _("%(payments)s payments sent, %(total_yuan)s"),
    "batch.reconcile": _("%(paid)s paid, %(failed)s failed"),
    "batch.bank_file_download": _("Bank file downloaded"),
    "reconciliation.import": _("Return file of batch %(batch_reference)s: %(rows)s rows, %(paid)s paid, "
                               "%(failed)s failed, %(unchanged)s already recorded, %(refused)s refused"),
    "diagnosis.tender_record": _("Won by %(provider)s for %(amount_yuan)s, tender of %(tender_date)s"),
    "diagnosis.report_upload": _("Report %(file_name)s"),
    "application.pay": _("Paid in full with %(payment_reference)s"),
    "diagnosis_contract.pay": _("Paid in full with %(payment_reference)s"),
}
