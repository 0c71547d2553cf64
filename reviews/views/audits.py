"""The third-party audit: city staff give applications to a firm; the firm's auditors enter and submit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from applications.selectors import application_search
from core.paging import page_of
from core.search import apply_search
from core.web import errors_onto, require_perm
from core.workflow import TransitionNotAllowed

from .. import selectors
from ..awards import compute_award
from ..forms import AuditAssignForm, AuditForm
from ..services.audits import audit_assign, audit_problems, audit_save, audit_submit, auditor_firms
from ..workflow import AuditStatus
from .common import get_round, scoped, send_file


@require_perm("reviews.manage_reviews")
def audit_assign_view(request, round_pk):
    round_ = get_round(round_pk)
    candidates = selectors.audit_candidates(round_)
    form = AuditAssignForm(request.POST or None, firms=auditor_firms(),
                           applications=candidates.exclude(audit__status=AuditStatus.SUBMITTED))
    if request.method == "POST" and form.is_valid():
        try:
            given = audit_assign(actor=request.user, applications=form.cleaned_data["applications"],
                                 firm=form.cleaned_data["firm"])
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("%(n)d applications given to %(firm)s.")
                             % {"n": len(given), "firm": form.cleaned_data["firm"].name})
            return redirect("reviews:audit_assign", round_.pk)
    # the ticked applications stay ticked when the form comes back with an error
    ticked = {str(v) for v in (form["applications"].value() or [])} if form.is_bound else set()
    return render(request, "reviews/audit_assign.html", {"round": round_, "form": form, "candidates": candidates,
                                                         "ticked": ticked})


AUDITS_PER_PAGE = 50
# what the audits' table shows (templates/reviews/includes/audit_table.html): not the applications' and calls' texts
AUDIT_TABLE_FIELDS = ("status", "audited_investment", "firm__name", "application__receipt_no",
                      "application__category__name", "application__enterprise__name",
                      "application__award_proposal__base_amount")


@require_perm("reviews.view_audits")
def audit_list(request):
    q = request.GET.get("q", "")
    audits = apply_search(selectors.audits_for(request.user), q, **application_search("application__")).select_related(
        None).select_related("application__enterprise", "application__category", "application__award_proposal",
                             "firm").only(*AUDIT_TABLE_FIELDS)
    # what is still to audit is the work at hand, listed whole; the submitted audits of every year are paged,
    # the newest call first
    done, query = page_of(request, audits.filter(status=AuditStatus.SUBMITTED)
                          .order_by("-application__receipt_no", "-id"), AUDITS_PER_PAGE)
    return render(request, "reviews/audit_list.html", {
        "q": q, "to_do": list(audits.filter(status=AuditStatus.ASSIGNED).order_by("application__receipt_no", "id")),
        "done": list(done.object_list), "page": done, "query": query,
    })


@login_required
def audit_detail(request, pk):
    audit = scoped(selectors.audits_for(request.user).select_related("application__county", "entered_by"), pk)
    application = audit.application
    proposal = application.award_proposal
    can_enter = request.user.has_perm("reviews.enter_audit", audit) and audit.status == AuditStatus.ASSIGNED
    form = AuditForm(request.POST or None, request.FILES or None, initial={
        "audited_investment": audit.audited_investment, "audited_amount": audit.audited_amount,
        "opinion": audit.opinion, "version": audit.version})
    if request.method == "POST":
        if not can_enter:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                audit = audit_save(actor=request.user, audit=audit, audited_investment=data["audited_investment"],
                                   audited_amount=data["audited_amount"], opinion=data["opinion"],
                                   report=data["report"] or None, expected_version=data["version"])
                if "submit" in request.POST:
                    audit_submit(actor=request.user, audit=audit)
                    messages.success(request, _("Audit submitted; the award is recomputed from the audited figures."))
                    return redirect("reviews:audit_list")
            except (ValidationError, TransitionNotAllowed) as exc:
                errors_onto(form, exc)
            else:
                messages.success(request, _("Saved. Submit the audit when the figures and the report are final."))
                return redirect("reviews:audit_detail", audit.pk)
    show_figures = selectors.audit_figures_visible(request.user, audit)
    preview = None
    if show_figures and audit.audited_investment is not None:
        preview = compute_award(base=audit.audited_investment, rate=proposal.rule_rate, cap=proposal.rule_cap)
    return render(request, "reviews/audit_detail.html", {
        "audit": audit, "application": application, "proposal": proposal, "form": form, "can_enter": can_enter,
        "preview": preview, "problems": audit_problems(audit) if can_enter else [], "show_figures": show_figures,
    })


@login_required
def audit_report(request, pk):
    audit = scoped(selectors.audits_for(request.user), pk)
    if not audit.report or not selectors.audit_figures_visible(request.user, audit):
        return redirect("reviews:audit_detail", audit.pk)
    return send_file(audit.report, audit.report_name or "audit-report.pdf")
