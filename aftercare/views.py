"""Pages of the acceptance: the list of funded projects (enterprise: its own; county: its county; city: all),
a project's page with the steps its user may take (acceptance and clawback, each posted to a view built on
``_step``), the documents, the overdue refunds, and the XLSX exports (aftercare/exports.py)."""

from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from core import paging
from core.web import form_step, require_perm
from core.workflow import allowed_actions
from core.xlsx import workbook_response

from . import exports, selectors, services
from .forms import (
    ClawbackConfirmForm,
    ClawbackForm,
    ClawbackWithdrawForm,
    DecisionForm,
    InspectionForm,
    RefundForm,
    ReportForm,
)
from .models import AcceptanceFile
from .workflow import CLAWBACK_TRANSITIONS, TRANSITIONS, Action, ClawbackAction, ClawbackStatus, Status


def _search(request):
    """(search text, status) of the list's filters; an unknown status is no filter."""
    search, status = (request.GET.get("q") or "").strip()[:100], request.GET.get("status") or ""
    return search, status if status in Status.values else ""


@require_perm("aftercare.view_acceptances")
def project_list(request):
    search, status = _search(request)
    rows = selectors.project_list(request.user, search=search, status=status)
    page, query = paging.page_of(request, rows, 50)
    for row in page.object_list:
        row.acc = selectors.acceptance_of(row)
        row.due = row.acc.completion_due if row.acc else selectors.completion_due(row)
    return render(request, "aftercare/list.html", {
        "page": page, "query": query, "search": search, "status": status, "statuses": Status.choices,
        "can_export": request.user.has_perm("aftercare.export")})


def _project(request, pk):
    try:
        return selectors.project_detail(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None


def _page(request, project, forms=None, status=200):
    acceptance = selectors.acceptance_of(project)
    state = acceptance.status if acceptance else Status.OPEN
    actions = allowed_actions(TRANSITIONS, state, request.user)
    version = acceptance.version if acceptance else 0
    forms = forms or {}
    if Action.SUBMIT in actions and "report" not in forms:
        initial = {"version": version}
        if acceptance:
            initial.update(actual_investment=acceptance.actual_investment, invoice_amount=acceptance.invoice_amount,
                           equipment_list=acceptance.equipment_list)
        forms["report"] = ReportForm(initial=initial)
    if Action.INSPECT in actions and "inspection" not in forms:
        forms["inspection"] = InspectionForm(initial={"version": version})
    if Action.ACCEPT in actions and "decision" not in forms:
        forms["decision"] = DecisionForm(initial={"version": version})
    clawback = selectors.clawback_of(acceptance)
    user = request.user
    if clawback is None and state == Status.CLAWBACK and user.has_perm("aftercare.decide") \
            and "clawback_form" not in forms:
        forms["clawback_form"] = ClawbackForm(initial={"amount": project.paid_total})
    if clawback is not None:
        moves = allowed_actions(CLAWBACK_TRANSITIONS, clawback.status, user, clawback)
        if ClawbackAction.CONFIRM in moves and "confirm_form" not in forms:
            forms["confirm_form"] = ClawbackConfirmForm(initial={"version": clawback.version})
        if ClawbackAction.WITHDRAW in moves and "withdraw_form" not in forms:
            forms["withdraw_form"] = ClawbackWithdrawForm(prefix="withdraw", initial={"version": clawback.version})
        if clawback.status == ClawbackStatus.CONFIRMED and user.has_perm("aftercare.record_refund") \
                and "refund_form" not in forms:
            forms["refund_form"] = RefundForm(initial={"amount": clawback.amount - clawback.refunded})
        forms["refunds"] = list(clawback.refunds.all())
    files = list(acceptance.files.all()) if acceptance else []
    return render(request, "aftercare/detail.html", {
        "clawback": clawback,
        "project": project, "acceptance": acceptance, "state": Status(state),
        "due": acceptance.completion_due if acceptance else selectors.completion_due(project),
        "report_files": [f for f in files if f.stage == "report"],
        "inspection_files": [f for f in files if f.stage == "inspection"], **forms}, status=status)


@require_perm("aftercare.view_acceptances")
def project_detail(request, pk):
    return _page(request, _project(request, pk))


def _acceptance_or_404(project):
    acceptance = selectors.acceptance_of(project)
    if acceptance is None:
        raise Http404
    return acceptance


def _clawback_or_404(project):
    clawback = selectors.clawback_of(_acceptance_or_404(project))
    if clawback is None:
        raise Http404
    return clawback


def _step(request, pk, form, key, call, target=None):
    """One step posted from the project's page: the project (404 outside the user's scope), the object the step
    acts on (``target(project)``, 404 when missing), the form, the service call ``call(target, cleaned_data)``.
    Back to the page when it worked, else the page again with the form, what was typed and the refusal (400)."""
    project = _project(request, pk)
    obj = target(project) if target else project
    return form_step(form, lambda data: call(obj, data), done=lambda: redirect("aftercare:detail", pk=project.pk),
                     again=lambda: _page(request, project, {key: form}, status=400))


@require_perm("aftercare.submit_report")
@require_POST
def report_submit(request, pk):
    return _step(request, pk, ReportForm(request.POST), "report", lambda project, data: services.report_submit(
        actor=request.user, commitment_id=project.pk, actual_investment=data["actual_investment"],
        invoice_amount=data["invoice_amount"], equipment_list=data["equipment_list"],
        files=request.FILES.getlist("files"), expected_version=data["version"] or None))


@require_perm("aftercare.inspect")
@require_POST
def inspection(request, pk):
    return _step(request, pk, InspectionForm(request.POST), "inspection", lambda acceptance, data:
                 services.inspection_record(
                     actor=request.user, acceptance_id=acceptance.pk, visit_date=data["visit_date"],
                     inspectors=data["inspectors"], findings=data["findings"],
                     recommendation=data["recommendation"], files=request.FILES.getlist("files"),
                     expected_version=data["version"]), _acceptance_or_404)


@require_perm("aftercare.decide")
@require_POST
def decision(request, pk):
    return _step(request, pk, DecisionForm(request.POST), "decision", lambda acceptance, data: services.decide(
        actor=request.user, acceptance_id=acceptance.pk, action=data["action"], note=data["note"],
        rectify_by=data["rectify_by"], expected_version=data["version"]), _acceptance_or_404)


@require_perm("aftercare.decide")
@require_POST
def clawback_propose(request, pk):
    return _step(request, pk, ClawbackForm(request.POST), "clawback_form", lambda acceptance, data:
                 services.clawback_propose(
                     actor=request.user, acceptance_id=acceptance.pk, amount=data["amount"], reason=data["reason"],
                     legal_basis=data["legal_basis"], refund_due=data["refund_due"]), _acceptance_or_404)


@require_perm("aftercare.decide")
@require_POST
def clawback_confirm(request, pk):
    return _step(request, pk, ClawbackConfirmForm(request.POST), "confirm_form", lambda clawback, data:
                 services.clawback_confirm(actor=request.user, clawback_id=clawback.pk,
                                           expected_version=data["version"]), _clawback_or_404)


@require_perm("aftercare.decide")
@require_POST
def clawback_withdraw(request, pk):
    return _step(request, pk, ClawbackWithdrawForm(request.POST, prefix="withdraw"), "withdraw_form",
                 lambda clawback, data: services.clawback_withdraw(
                     actor=request.user, clawback_id=clawback.pk, note=data["note"],
                     expected_version=data["version"]), _clawback_or_404)


@require_perm("aftercare.record_refund")
@require_POST
def refund(request, pk):
    return _step(request, pk, RefundForm(request.POST), "refund_form", lambda clawback, data:
                 services.refund_record(actor=request.user, clawback_id=clawback.pk, amount=data["amount"],
                                        received_on=data["received_on"], bank_reference=data["bank_reference"]),
                 _clawback_or_404)


@require_perm("aftercare.view_acceptances")
def file_download(request, pk, file_id):
    project = _project(request, pk)
    item = get_object_or_404(AcceptanceFile, acceptance__commitment=project, pk=file_id)
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name,
                        content_type=item.content_type)


@require_perm("aftercare.export")
def export(request):
    search, status = _search(request)
    rows = selectors.project_list(request.user, search=search, status=status)
    return workbook_response(exports.acceptance_workbook(request.user, rows, search, status),
                             "project-acceptance.xlsx")


@require_perm("aftercare.export")
def overdue(request):
    rows = selectors.overdue_clawbacks(request.user)
    page, query = paging.page_of(request, rows, 50)
    return render(request, "aftercare/overdue.html", {"page": page, "query": query})


@require_perm("aftercare.export")
def overdue_export(request):
    rows = selectors.overdue_clawbacks(request.user)
    return workbook_response(exports.overdue_workbook(request.user, rows), "overdue-refunds.xlsx")
