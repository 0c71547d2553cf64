"""Payment batches: build, review, approve (four eyes, exactly once), send, bank file and return template."""


from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.audit import audit_record
from core.web import flash_errors, int_list, require_perm
from core.workflow import TransitionNotAllowed, allowed_actions
from core.xlsx import XLSX_CONTENT_TYPE

from .. import selectors
from ..exports import return_template_response
from ..forms import BatchActionForm, BatchFilterForm
from ..listing import batch_payment_rows_html
from ..services import batch_approve, batch_create, batch_discard, batch_return, batch_send, batch_submit
from ..workflow import (
    BATCH_ACTION_STYLE,
    BATCH_TRANSITIONS,
    BatchAction,
    BatchStatus,
    batch_stepper,
)
from .common import chosen_year, crumbs, page_of, scoped

UI_ACTIONS = [BatchAction.APPROVE, BatchAction.SEND, BatchAction.SUBMIT, BatchAction.RETURN, BatchAction.DISCARD]
CONFIRM = {
    BatchAction.APPROVE: gettext_lazy("Approve every payment in this batch?"),
    BatchAction.SEND: gettext_lazy("Mark the batch as sent to the bank? The bank file is generated and kept."),
    BatchAction.DISCARD: gettext_lazy("Discard this draft batch? Its payments stay pending."),
}


@require_perm("disbursements.view_finance")
def batches(request):
    form = BatchFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page, query = page_of(request, selectors.batch_list(request.user, filters))
    return render(request, "disbursements/batches.html", {"form": form, "page": page, "query": query,
                                                          "crumbs": crumbs("batches")})


@require_perm("disbursements.prepare_payments")
def batch_new(request):
    year = chosen_year(request) if request.GET.get("year") else None
    payments = selectors.batchable_payments(request.user)
    commitments = selectors.batchable_commitments(request.user, year)
    payment_ids = int_list(request.POST.getlist("payment"), name=_("the payments"))
    commitment_ids = int_list(request.POST.getlist("commitment"), name=_("the commitments"))
    note = request.POST.get("note", "")[:500]
    if request.method == "POST":
        chosen_payments = list(payments.filter(pk__in=payment_ids))
        chosen_commitments = list(selectors.batchable_commitments(request.user).filter(pk__in=commitment_ids))
        try:
            batch = batch_create(actor=request.user, payments=chosen_payments, commitments=chosen_commitments,
                                 note=note)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("Batch %(ref)s created. Check it, then submit it for approval.")
                             % {"ref": batch.reference})
            return redirect("disbursements:batch_detail", pk=batch.pk)
    return render(request, "disbursements/batch_new.html", {
        "payments": payments, "commitments": commitments, "year": year, "years": selectors.fund_years(),
        "chosen_payments": set(payment_ids), "chosen_commitments": set(commitment_ids), "note": note,  # kept
        "crumbs": crumbs("batches", (_("Build a payment batch"), "")),
    })


def _batch_page(request, batch, bound=None, status=200):
    """The batch with its actions; ``bound``: (action, BatchActionForm) refused, shown again as typed."""
    allowed = allowed_actions(BATCH_TRANSITIONS, batch.status, request.user)
    actions = [
        {"action": a, "label": BatchAction(a).label, "style": BATCH_ACTION_STYLE.get(a, "secondary"),
         "form": bound[1] if bound and bound[0] == a else BatchActionForm(initial={"version": batch.version}),
         "confirm": CONFIRM.get(a, ""), "needs_reason": a == BatchAction.RETURN}
        for a in UI_ACTIONS if a in allowed or (bound and bound[0] == a)  # a refused form keeps what was typed
    ]
    # a batch of thousands: 50 at a time; its number of payments is one of the page's figures already
    page, query = page_of(request, selectors.batch_page_payments(batch), count=batch.count,
                          statement=selectors.batch_page_payments_statement(batch))
    return render(request, "disbursements/batch_detail.html", {
        "batch": batch, "actions": actions, "steps": batch_stepper(batch.status),
        "crumbs": crumbs("batches", (batch.reference, "")), "payment_rows": batch_payment_rows_html(page),
        "page": page, "query": query,
        "has_bank_file": bool(batch.bank_file), "failed": batch.failed,
    }, status=status)


@require_perm("disbursements.view_finance")
def batch_detail(request, pk):
    batch = scoped(selectors.batch_summary_of, request.user, pk)
    return _batch_page(request, batch)


@require_POST
@require_perm("disbursements.view_finance")
def batch_action(request, pk, action):
    batch = scoped(selectors.batch_detail, request.user, pk)
    form = BatchActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.non_field_errors())
                       or _("This form is incomplete. Reload the page and try again."))
        return redirect("disbursements:batch_detail", pk=pk)
    data, user = form.cleaned_data, request.user
    key, reason, version = data["idempotency_key"], data["reason"], data["version"]
    try:
        if action == BatchAction.APPROVE:
            result, replayed = batch_approve(actor=user, batch=batch, idempotency_key=key, version=version)
            message = _("Approved: %(n)s payments.") % {"n": len(result["approved"])}
        elif action == BatchAction.SEND:
            result, replayed = batch_send(actor=user, batch=batch, idempotency_key=key, version=version)
            message = _("Marked as sent: %(n)s payments. Download the bank file below.") % {"n": len(result["sent"])}
        elif action == BatchAction.SUBMIT:
            batch_submit(actor=user, batch=batch, version=version)
            message, replayed = _("Submitted for approval."), False
        elif action == BatchAction.RETURN:
            batch_return(actor=user, batch=batch, reason=reason, version=version)
            message, replayed = _("Returned to the preparer."), False
        elif action == BatchAction.DISCARD:
            batch_discard(actor=user, batch=batch, version=version)
            message, replayed = _("Batch discarded."), False
        else:
            raise Http404
    except (ValidationError, TransitionNotAllowed) as exc:
        # shown on the batch as it is now, with the form as it was sent (the reason typed is kept)
        flash_errors(request, exc)
        return _batch_page(request, scoped(selectors.batch_detail, request.user, pk), (action, form), status=400)
    if replayed:
        message = _("This form was already submitted; the first result stands and nothing changed.")
    messages.success(request, message)
    return redirect("disbursements:batch_detail", pk=pk)


@require_perm("disbursements.view_finance")
def bank_file(request, pk):
    batch = scoped(selectors.batch_detail, request.user, pk)
    if not batch.bank_file:
        raise Http404
    audit_record(actor=request.user, action="batch.bank_file_download", obj=batch,
                 data={"tech_sha256": batch.bank_file_sha256})
    return FileResponse(batch.bank_file.open("rb"), as_attachment=True, filename=f"{batch.reference}.xlsx",
                        content_type=XLSX_CONTENT_TYPE)


@require_perm("disbursements.view_finance")
def return_template(request, pk):
    batch = scoped(selectors.batch_detail, request.user, pk)
    if batch.status not in (BatchStatus.SENT, BatchStatus.RECONCILED):
        raise PermissionDenied
    return return_template_response(batch, [p for p in batch.payments.all() if p.sent_at])
