"""Background jobs of the disbursements app (core/jobs.py): the export of a long list of payments."""

import tempfile

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from core.jobs import JobError, attach, job_function

from .exports import payments_workbook
from .forms import PaymentFilterForm
from .selectors import payment_list

PAYMENTS_EXPORT_JOB = "disbursements/payments_export"


@job_function(PAYMENTS_EXPORT_JOB, title=_("Export of the payment details"))
def export_payments(job, query=""):
    """The XLSX the payments page's export button gives, for the owner's scope and filter."""
    user = job.owner
    if not user.is_active or not user.has_perm("disbursements.view_payments"):
        raise JobError(_("You may no longer export payments."))
    form = PaymentFilterForm(QueryDict(query) or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = payment_list(user, filters)
    total = rows.count()
    job.rows = total
    job.report(2, "")

    def progress(done):
        job.report(2 + 93 * done // max(total, 1))

    workbook = payments_workbook(rows, form=form, filters=filters, progress=progress)
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        job.report(97)
        attach(job, "payments.xlsx", handle)
