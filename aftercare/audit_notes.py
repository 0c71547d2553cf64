"""How the structured data of each acceptance audit action reads (core.audit.register_note_formats)."""

from django.utils.translation import gettext_lazy as _

NOTE_FORMATS = {
    "acceptance.submit": _("Actual investment %(actual_investment_yuan)s yuan, invoices %(invoice_yuan)s yuan, "
                           "%(files)s documents"),
    "acceptance.inspect": _("Visit on %(visit_date)s by %(inspectors)s, recommendation: %(recommendation)s, "
                            "%(photos)s photos or documents"),
    "acceptance.rectify": _("Rectify by %(rectify_by)s"),
    "clawback.propose": _("Recover %(amount_yuan)s yuan of the %(paid_yuan)s yuan paid, refund by %(refund_due)s"),
    "clawback.confirm": _("%(amount_yuan)s yuan to be refunded by %(refund_due)s"),
    "clawback.refund": _("%(amount_yuan)s yuan received on %(received_on)s (%(bank_reference)s); refunded "
                         "%(refunded_yuan)s yuan, outstanding %(outstanding_yuan)s yuan"),
    "clawback.withdraw": _("Proposal to recover %(amount_yuan)s yuan withdrawn"),
    "clawback.settle": _("%(amount_yuan)s yuan refunded in full"),
    "followup.schedule": _("Report on %(year)s due by %(due_on)s"),
    "followup.submit": _("Report on %(year)s: revenue %(revenue_yuan)s, taxes %(taxes_yuan)s, %(jobs)s employees, "
                         "energy use %(energy_tce)s tce, output of the funded line %(output_yuan)s; "
                         "%(large_changes)s figures changed by more than 50%%"),
    "followup.verify": _("Report on %(year)s verified"),
    "followup.return": _("Report on %(year)s returned"),
}

# Labels of the follow-up reports' audit actions (registered in ready(); grouped with the acceptance).
FOLLOWUP_LABELS = {
    "followup.schedule": _("Follow-up report scheduled"),
    "followup.submit": _("Follow-up report submitted"),
    "followup.verify": _("Follow-up report verified"),
    "followup.return": _("Follow-up report returned"),
}
