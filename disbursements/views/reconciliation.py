"""Upload of the bank's return file and its row-by-row report."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.web import errors_onto, require_perm
from core.workflow import TransitionNotAllowed

from .. import selectors
from ..forms import ReconciliationForm
from ..services import reconciliation_import
from .common import crumbs, page_of, scoped


@require_perm("disbursements.view_finance")
def reconciliations(request):
    can_upload = request.user.has_perm("disbursements.prepare_payments")
    form = ReconciliationForm(request.POST or None, request.FILES or None) if can_upload else None
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        if form.is_valid():
            try:
                record = reconciliation_import(actor=request.user, upload=form.cleaned_data["file"],
                                               batch=form.cleaned_data["batch"])
            except (ValidationError, TransitionNotAllowed) as exc:
                if isinstance(exc, ValidationError):
                    errors_onto(form, exc)
                else:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("%(paid)s rows marked paid, %(failed)s failed, %(unchanged)s already "
                                            "recorded, %(refused)s refused.") % {
                    "paid": record.rows_paid, "failed": record.rows_failed, "unchanged": record.rows_unchanged,
                    "refused": record.rows_refused})
                return redirect("disbursements:reconciliation_detail", pk=record.pk)
    page, query = page_of(request, selectors.reconciliations_for(request.user))
    return render(request, "disbursements/reconciliations.html", {"form": form, "page": page, "query": query,
                                                                  "crumbs": crumbs("reconciliations")})


@require_perm("disbursements.view_finance")
def reconciliation_detail(request, pk):
    record = scoped(lambda actor, pk: selectors.reconciliations_for(actor).get(pk=pk), request.user, pk)
    return render(request, "disbursements/reconciliation_detail.html", {
        "record": record, "crumbs": crumbs("reconciliations", (record.file_name, ""))})
