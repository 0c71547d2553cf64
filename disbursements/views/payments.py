"""Commitments and payments: the enterprise's own view, the scoped lists, a commitment with its tranches."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.jobs import start_job
from core.money import format_exact
from core.web import errors_onto, flash_errors, require_perm
from core.workflow import TransitionNotAllowed, allowed_actions

from .. import selectors
from ..exports import payments_response
from ..forms import CancelForm, CommitmentFilterForm, FailureForm, PaymentFilterForm, PrepareTrancheForm
from ..jobs import PAYMENTS_EXPORT_JOB
from ..listing import payment_rows_html
from ..models import Payment
from ..services import payment_cancel, payment_prepare, payment_record_failure, payment_retry
from ..workflow import PAYMENT_TRANSITIONS, PaymentStatus
from .common import crumbs, page_of, scoped


@require_perm("disbursements.view_my_funds")
def my_funds(request):
    commitments = selectors.with_totals(selectors.commitments_for(request.user)).select_related(
        "application__category").prefetch_related(
        Prefetch("payments", queryset=Payment.objects.exclude(status=PaymentStatus.CANCELLED).order_by("tranche")),
    ).order_by("-fund_year", "-id")
    return render(request, "disbursements/my_funds.html", {"commitments": commitments, "crumbs": crumbs("my_funds")})


@require_perm("disbursements.view_payments")
def payments(request):
    form = PaymentFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.payment_list_shown(request.user, filters)
    page, query = page_of(request, rows, statement=selectors.payment_list_statement(request.user, filters))
    only_own = own_only(request.user)
    return render(request, "disbursements/payments.html", {
        "form": form, "page": page, "query": query, "own_only": only_own, "crumbs": crumbs("payments"),
        "rows": payment_rows_html(page.object_list, own_only=only_own,
                                  link_batches=request.user.has_perm("disbursements.view_finance"))})


@require_perm("disbursements.view_payments")
def payments_export(request):
    form = PaymentFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.payment_list(request.user, filters)
    if rows.count() > settings.EXPORT_JOB_THRESHOLD:  # written in the background (disbursements/jobs.py)
        job = start_job(owner=request.user, kind=PAYMENTS_EXPORT_JOB, params={"query": request.GET.urlencode()})
        return redirect("core:job", job.pk)
    return payments_response(rows, "payments.xlsx", form=form, filters=filters)


@require_perm("disbursements.view_payments")
def commitments(request):
    form = CommitmentFilterForm(request.GET or None, user=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    page, query = page_of(request, selectors.commitment_list(request.user, filters))
    return render(request, "disbursements/commitments.html", {"form": form, "page": page, "query": query,
                                                              "own_only": own_only(request.user),
                                                              "crumbs": crumbs("commitments")})


def own_only(user):
    """An enterprise sees only its own money: no payee, county or batch columns, which would repeat itself."""
    return user.has_perm("disbursements.view_my_funds")


def _commitment_page(request, commitment, form=None, cancel=None, status=200):
    """The commitment with its tranches. ``cancel``: (payment id, bound CancelForm) refused, shown again with
    its errors and the reason as typed."""
    remaining = commitment.approved_amount - commitment.scheduled
    cancellable = {s for (s, a) in PAYMENT_TRANSITIONS
                   if a == "cancel" and "cancel" in allowed_actions(PAYMENT_TRANSITIONS, s, request.user)}
    return render(request, "disbursements/commitment_detail.html", {
        "commitment": commitment, "form": form, "remaining": remaining, "cancellable": cancellable,
        "cancel_target": cancel[0] if cancel else None, "cancel_form": cancel[1] if cancel else CancelForm(),
        "can_see_finance": request.user.has_perm("disbursements.view_finance"),
        "crumbs": crumbs("my_funds" if own_only(request.user) else "commitments",
                         (commitment.payee.name, "")),
    }, status=status)


def _commitment(request, pk):
    return scoped(selectors.commitment_detail, request.user, pk)


@require_perm("disbursements.view_payments")
def commitment_detail(request, pk):
    commitment = _commitment(request, pk)
    can_prepare = request.user.has_perm("disbursements.prepare_payments")
    form = None
    if can_prepare:
        form = PrepareTrancheForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                payment = payment_prepare(actor=request.user, commitment=commitment,
                                          amount=form.cleaned_data["amount"], purpose=form.cleaned_data["purpose"])
            except ValidationError as exc:
                field = {"no_bank": None, "bad_account": None, "bad_bank_text": None, "purpose": "purpose"}
                form.add_error(field.get(exc.code, "amount"), exc)
            else:
                messages.success(request, _("Tranche %(n)s of %(amount)s prepared; put it into a batch for approval.")
                                 % {"n": payment.tranche, "amount": format_exact(payment.amount)})
                return redirect("disbursements:commitment_detail", pk=commitment.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return _commitment_page(request, commitment, form, status=400 if request.method == "POST" else 200)


@require_POST
@require_perm("disbursements.view_finance")
def payment_cancel_view(request, pk):
    payment = scoped(lambda actor, pk: selectors.payments_for(actor).get(pk=pk), request.user, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            payment_cancel(actor=request.user, payment=payment, reason=form.cleaned_data["reason"],
                           version=form.cleaned_data["version"])
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Payment %(ref)s was cancelled.") % {"ref": payment.reference})
            return redirect("disbursements:commitment_detail", pk=payment.commitment_id)
    return _commitment_page(request, _commitment(request, payment.commitment_id), cancel=(payment.pk, form),
                            status=400)


def _payment_page(request, payment, failure_form=None, status=200):
    """A payment with every attempt of its tranche (a failed one and the new attempts that followed)."""
    attempts = list(selectors.payment_attempts(payment))
    user = request.user
    waiting = set(selectors.waiting_failures().filter(pk__in=[a.pk for a in attempts]).values_list("pk", flat=True))
    return render(request, "disbursements/payment_detail.html", {
        "payment": payment, "attempts": attempts, "commitment": payment.commitment,
        "own_only": own_only(user),
        "can_retry": user.has_perm("disbursements.prepare_payments") and bool(waiting),
        "retry_target": next((a for a in attempts if a.pk in waiting), None),
        "can_record_failure": user.has_perm("disbursements.prepare_payments")
        and any(a.status == PaymentStatus.SENT for a in attempts),
        "sent_attempt": next((a for a in attempts if a.status == PaymentStatus.SENT), None),
        "failure_form": failure_form or FailureForm(),
        "crumbs": crumbs("my_funds" if own_only(user) else "payments", (payment.reference, "")),
    }, status=status)


@require_perm("disbursements.view_payments")
def payment_detail(request, pk):
    return _payment_page(request, scoped(selectors.payment_detail, request.user, pk))


@require_POST
@require_perm("disbursements.prepare_payments")
def payment_retry_view(request, pk):
    payment = scoped(selectors.payment_detail, request.user, pk)
    try:
        retry = payment_retry(actor=request.user, payment=payment)
    except (ValidationError, TransitionNotAllowed) as exc:
        flash_errors(request, exc)
        return _payment_page(request, payment, status=400)
    messages.success(request, _("New attempt %(ref)s prepared; put it into a batch for approval by a second finance "
                                "officer.") % {"ref": retry.reference})
    return redirect("disbursements:payment_detail", pk=retry.pk)


@require_POST
@require_perm("disbursements.prepare_payments")
def payment_failure_view(request, pk):
    payment = scoped(selectors.payment_detail, request.user, pk)
    form = FailureForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            payment_record_failure(actor=request.user, payment=payment, code=data["code"], reason=data["reason"],
                                   failed_on=data["failed_on"], version=data["version"])
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Payment %(ref)s is recorded as failed; the enterprise was told to correct "
                                        "its bank account.") % {"ref": payment.reference})
            return redirect("disbursements:payment_detail", pk=payment.pk)
    return _payment_page(request, payment, failure_form=form, status=400)
