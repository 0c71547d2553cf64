"""Pages of the acceptance: the list of funded projects (enterprise: its own; county: its county; city: all),
a project's page with the step its user may take, the documents, and the XLSX export."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import paging
from core.web import require_perm
from core.workflow import TransitionNotAllowed, allowed_actions
from core.xlsx import Column, export_subtitle, new_workbook, workbook_response, write_sheet

from . import selectors, services
from .forms import (
    ClawbackConfirmForm,
    ClawbackForm,
    DecisionForm,
    InspectionForm,
    ListFilterForm,
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


def _errors_onto(form, exc):
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        messages = exc.messages if isinstance(exc, ValidationError) else [str(getattr(exc, "message", exc))]
        form.add_error(None, messages)


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
        forms["can_confirm"] = ClawbackAction.CONFIRM in moves
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


@require_perm("aftercare.submit_report")
@require_POST
def report_submit(request, pk):
    project = _project(request, pk)
    form = ReportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.report_submit(actor=request.user, commitment_id=project.pk,
                                   actual_investment=data["actual_investment"], invoice_amount=data["invoice_amount"],
                                   equipment_list=data["equipment_list"], files=request.FILES.getlist("files"),
                                   expected_version=data["version"] or None)
        except (ValidationError, TransitionNotAllowed) as exc:
            _errors_onto(form, exc)
        else:
            return redirect("aftercare:detail", pk=project.pk)
    return _page(request, project, {"report": form}, status=400)


def _acceptance_or_404(project):
    acceptance = selectors.acceptance_of(project)
    if acceptance is None:
        raise Http404
    return acceptance


@require_perm("aftercare.inspect")
@require_POST
def inspection(request, pk):
    project = _project(request, pk)
    acceptance = _acceptance_or_404(project)
    form = InspectionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.inspection_record(actor=request.user, acceptance_id=acceptance.pk,
                                       visit_date=data["visit_date"], inspectors=data["inspectors"],
                                       findings=data["findings"], recommendation=data["recommendation"],
                                       files=request.FILES.getlist("files"), expected_version=data["version"])
        except (ValidationError, TransitionNotAllowed) as exc:
            _errors_onto(form, exc)
        else:
            return redirect("aftercare:detail", pk=project.pk)
    return _page(request, project, {"inspection": form}, status=400)


@require_perm("aftercare.decide")
@require_POST
def decision(request, pk):
    project = _project(request, pk)
    acceptance = _acceptance_or_404(project)
    form = DecisionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.decide(actor=request.user, acceptance_id=acceptance.pk, action=data["action"],
                            note=data["note"], rectify_by=data["rectify_by"], expected_version=data["version"])
        except (ValidationError, TransitionNotAllowed) as exc:
            _errors_onto(form, exc)
        else:
            return redirect("aftercare:detail", pk=project.pk)
    return _page(request, project, {"decision": form}, status=400)


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
    columns = [Column(_("Receipt number"), 18), Column(_("Enterprise"), 30), Column(_("Project"), 36),
               Column(_("County"), 12), Column(_("Paid (yuan)"), 16, "money"), Column(_("First paid on"), 12, "date"),
               Column(_("Completion deadline"), 12, "date"), Column(_("Status"), 18),
               Column(_("Actual investment (yuan)"), 16, "money"), Column(_("Invoice total (yuan)"), 16, "money"),
               Column(_("County recommendation"), 12), Column(_("Rectification deadline"), 12, "date")]

    def values():
        for row in rows.iterator(chunk_size=500):
            acc = selectors.acceptance_of(row)
            yield [row.application.receipt_no, row.payee.name, row.application.project_name,
                   row.county.name if row.county else "", row.paid_total, row.first_paid,
                   acc.completion_due if acc else selectors.completion_due(row),
                   (acc.get_status_display() if acc else Status.OPEN.label),
                   acc.actual_investment if acc else None, acc.invoice_amount if acc else None,
                   acc.get_recommendation_display() if acc else "", acc.rectify_by if acc else None]

    workbook = new_workbook()
    subtitle = export_subtitle(ListFilterForm(), {"q": search, "status": status})
    title = _("Project acceptance of the funded projects (%(scope)s)") % {
        "scope": request.user.county.name if request.user.has_perm("accounts.see_own_county") else _("whole city")}
    write_sheet(workbook, title, subtitle, columns, values())
    return workbook_response(workbook, "project-acceptance.xlsx")


@require_perm("aftercare.decide")
@require_POST
def clawback_propose(request, pk):
    project = _project(request, pk)
    acceptance = _acceptance_or_404(project)
    form = ClawbackForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.clawback_propose(actor=request.user, acceptance_id=acceptance.pk, amount=data["amount"],
                                      reason=data["reason"], legal_basis=data["legal_basis"],
                                      refund_due=data["refund_due"])
        except (ValidationError, TransitionNotAllowed) as exc:
            _errors_onto(form, exc)
        else:
            return redirect("aftercare:detail", pk=project.pk)
    return _page(request, project, {"clawback_form": form}, status=400)


@require_perm("aftercare.decide")
@require_POST
def clawback_confirm(request, pk):
    project = _project(request, pk)
    clawback = selectors.clawback_of(_acceptance_or_404(project))
    if clawback is None:
        raise Http404
    form = ClawbackConfirmForm(request.POST)
    if form.is_valid():
        try:
            services.clawback_confirm(actor=request.user, clawback_id=clawback.pk,
                                      expected_version=form.cleaned_data["version"])
        except (ValidationError, TransitionNotAllowed) as exc:
            _errors_onto(form, exc)
        else:
            return redirect("aftercare:detail", pk=project.pk)
    return _page(request, project, {"confirm_errors": form.non_field_errors() or form.errors}, status=400)


@require_perm("aftercare.record_refund")
@require_POST
def refund(request, pk):
    project = _project(request, pk)
    clawback = selectors.clawback_of(_acceptance_or_404(project))
    if clawback is None:
        raise Http404
    form = RefundForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.refund_record(actor=request.user, clawback_id=clawback.pk, amount=data["amount"],
                                   received_on=data["received_on"], bank_reference=data["bank_reference"])
        except (ValidationError, TransitionNotAllowed) as exc:
            _errors_onto(form, exc)
        else:
            return redirect("aftercare:detail", pk=project.pk)
    return _page(request, project, {"refund_form": form}, status=400)


@require_perm("aftercare.export")
def overdue(request):
    rows = selectors.overdue_clawbacks(request.user)
    page, query = paging.page_of(request, rows, 50)
    return render(request, "aftercare/overdue.html", {"page": page, "query": query})
