"""How the structured data of each disbursements audit action reads (core.audit.register_note_formats).

Every placeholder is a key of the ``data`` its action writes; amounts are yuan (``*_yuan``)."""

from django.utils.translation import gettext_lazy as _

NOTE_FORMATS = {
    "commitment.create": _("%(purpose)s: %(amount_yuan)s yuan payable, due %(due_date)s"),
    "budget.entry_add": _("Fund year %(fund_year)s, %(kind)s: %(amount_yuan)s yuan on %(date)s"),
    "payment_rule.set": _("Fund year %(fund_year)s: paid within %(days)s days (%(basis)s); %(due_dates_changed)s "
                          "due dates recomputed"),
    "payment.prepare": _("Tranche %(tranche)s: %(amount_yuan)s yuan to %(payee_name)s, %(payee_bank)s, account "
                         "%(payee_account)s"),
    "payment.retry": _("New attempt %(attempt)s of %(retry_of_reference)s: %(amount_yuan)s yuan to %(payee_name)s, "
                       "%(payee_bank)s, account %(payee_account)s"),
    "payment.approve": _("%(amount_yuan)s yuan approved in batch %(batch_reference)s"),
    "payment.send": _("%(amount_yuan)s yuan sent to the bank in batch %(batch_reference)s"),
    "payment.mark_paid": _("%(amount_yuan)s yuan paid on %(paid_on)s, bank reference %(bank_reference)s"),
    "payment.mark_failed": _("%(amount_yuan)s yuan failed on %(failed_on)s: %(failure_code)s %(failure_reason)s"),
    "payment.cancel": _("%(amount_yuan)s yuan cancelled"),
    "batch.create": _("%(payments)s payments, of which %(retries)s new attempts of failed payments"),
    "batch.submit": _("%(payments)s payments submitted for approval"),
    "batch.approve": _("%(payments)s payments approved, %(total_yuan)s yuan"),
    "batch.send": _("%(payments)s payments sent, %(total_yuan)s yuan"),
    "batch.reconcile": _("%(paid)s paid, %(failed)s failed"),
    "batch.bank_file_download": _("Bank file downloaded"),
    "reconciliation.import": _("Return file of batch %(batch_reference)s: %(rows)s rows, %(paid)s paid, "
                               "%(failed)s failed, %(unchanged)s already recorded, %(refused)s refused"),
    "diagnosis.tender_record": _("Won by %(provider)s for %(amount_yuan)s yuan, tender of %(tender_date)s"),
    "diagnosis.report_upload": _("Report %(file_name)s"),
    "application.pay": _("Paid in full with %(payment_reference)s"),
    "diagnosis_contract.pay": _("Paid in full with %(payment_reference)s"),
}
