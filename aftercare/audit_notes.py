"""How the structured data of each acceptance audit action reads (core.audit.register_note_formats)."""

from django.utils.translation import gettext_lazy as _

NOTE_FORMATS = {
    "acceptance.submit": _("Actual investment %(actual_investment_yuan)s yuan, invoices %(invoice_yuan)s yuan, "
                           "%(files)s documents"),
    "acceptance.inspect": _("Visit on %(visit_date)s by %(inspectors)s, recommendation: %(recommendation)s, "
                            "%(photos)s photos or documents"),
    "acceptance.rectify": _("Rectify by %(rectify_by)s"),
}
