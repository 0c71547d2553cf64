"""The diagnosis-service programme: programmes, timeline with overdue warnings, tender, targets, reports,
completion and acceptance (city staff; providers do not log in, city staff upload on their behalf)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import errors_onto, require_perm
from core.workflow import TransitionNotAllowed

from .. import selectors
from ..files import CONTENT_TYPES
from ..forms import AcceptanceForm, CompleteForm, ProgrammeForm, ReportForm, TargetForm, TenderForm
from ..services import (
    contract_accept,
    contract_complete,
    programme_create,
    report_upload,
    target_add,
    tender_record_for,
)
from ..timeline import programme_timeline, target_overdue
from ..workflow import ContractStatus
from .common import crumbs, scoped


@require_perm("disbursements.view_diagnosis")
def programmes(request):
    can_run = request.user.has_perm("disbursements.run_diagnosis")
    form = ProgrammeForm(request.POST or None, initial={"year": timezone.localdate().year}) if can_run else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            programme = programme_create(actor=request.user, year=form.cleaned_data["year"],
                                         title=form.cleaned_data["title"])
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc)
        else:
            return redirect("disbursements:programme_detail", pk=programme.pk)
    rows = selectors.programmes_for(request.user).order_by("-year")
    return render(request, "disbursements/programmes.html", {"programmes": rows, "form": form,
                                                             "crumbs": crumbs("programmes")})


def _programme_page(request, programme, tender_form=None, status=200):
    contracts = list(programme.contracts.all())
    targets = [t for c in contracts for t in c.targets.all()]
    today = timezone.localdate()
    if tender_form is None and request.user.has_perm("disbursements.run_diagnosis"):
        tender_form = TenderForm(initial={"tender_date": min(today, programme.tender_by), "version": programme.version})
    return render(request, "disbursements/programme_detail.html", {
        "programme": programme, "contracts": contracts, "tender_form": tender_form,
        "stages": programme_timeline(programme, contracts, targets, today),
        "overdue_reports": sum(1 for t in targets if target_overdue(t, programme, today)),
        "crumbs": crumbs("programmes", (programme.title, "")),
    }, status=status)


def _programme(request, pk):
    return scoped(selectors.programme_detail, request.user, pk)


@require_perm("disbursements.view_diagnosis")
def programme_detail(request, pk):
    return _programme_page(request, _programme(request, pk))


@require_POST
@require_perm("disbursements.run_diagnosis")
def tender_create(request, pk):
    programme = _programme(request, pk)
    form = TenderForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            contract = tender_record_for(
                actor=request.user, programme=programme, provider=data["provider"],
                new_provider={"name": data["new_name"], "credit_code": data["new_credit_code"],
                              "bank_name": data["new_bank_name"], "bank_account_no": data["new_bank_account_no"]},
                tender_date=data["tender_date"], contract_amount=data["contract_amount"], notice_no=data["notice_no"],
                notes=data["notes"], contract_no=data["contract_no"], signed_on=data["signed_on"],
                version=data["version"])
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Tender result and contract recorded."))
            return redirect("disbursements:contract_detail", pk=contract.pk)
    return _programme_page(request, _programme(request, pk), tender_form=form, status=400)


def _contract_page(request, contract, forms=None, status=200):
    forms = forms or {}
    today = timezone.localdate()
    programme = contract.programme
    targets = list(contract.targets.all())
    for target in targets:
        target.overdue = target_overdue(target, programme, today)
    open_for_reports = contract.status in (ContractStatus.SIGNED, ContractStatus.ACCEPTANCE_FAILED)
    can_run = request.user.has_perm("disbursements.run_diagnosis")
    commitment = getattr(contract, "commitment", None)  # reverse one-to-one: None until accepted
    return render(request, "disbursements/contract_detail.html", {
        "contract": contract, "programme": programme, "targets": targets, "can_run": can_run,
        "open_for_reports": open_for_reports, "commitment": commitment,
        "target_form": forms.get("target") or (TargetForm() if can_run and open_for_reports else None),
        "report_form": forms.get("report") or ReportForm(), "report_target": forms.get("report_target"),
        "complete_form": forms.get("complete") or CompleteForm(initial={"version": contract.version}),
        "acceptance_form": forms.get("acceptance") or AcceptanceForm(initial={"version": contract.version}),
        "late_selection": [t for t in targets if t.selected_on > programme.selection_by],
        "crumbs": crumbs("programmes", (programme.title, reverse("disbursements:programme_detail",
                                                                 args=[programme.pk])), (contract.provider.name, "")),
    }, status=status)


def _contract(request, pk):
    return scoped(selectors.contract_detail, request.user, pk)


@require_perm("disbursements.view_diagnosis")
def contract_detail(request, pk):
    return _contract_page(request, _contract(request, pk))


def _contract_action(request, form, perform, success, contract_pk, form_key, report_target=None):
    """Validate ``form``, run ``perform(cleaned_data)``; on success back to the contract with ``success``,
    otherwise the contract page again with the form's errors next to its fields (status 400)."""
    if form.is_valid():
        try:
            perform(form.cleaned_data)
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, success)
            return redirect("disbursements:contract_detail", pk=contract_pk)
    forms = {form_key: form, "report_target": report_target}
    return _contract_page(request, _contract(request, contract_pk), forms, status=400)


@require_POST
@require_perm("disbursements.run_diagnosis")
def target_create(request, pk):
    contract = _contract(request, pk)
    form = TargetForm(request.POST)
    return _contract_action(
        request, form, lambda data: target_add(actor=request.user, contract=contract, enterprise=form.enterprise,
                                               selected_on=data["selected_on"]),
        _("Target enterprise added."), pk, "target")


@require_POST
@require_perm("disbursements.run_diagnosis")
def report_create(request, pk):
    target = scoped(selectors.target_for, request.user, pk)
    return _contract_action(
        request, ReportForm(request.POST, request.FILES),
        lambda data: report_upload(actor=request.user, target=target, upload=data["file"],
                                   received_on=data["received_on"], version=data["version"]),
        _("Report of %(name)s uploaded.") % {"name": target.enterprise.name}, target.contract_id, "report",
        report_target=target.pk)


@require_perm("disbursements.view_diagnosis")
def report_download(request, pk):
    target = scoped(selectors.target_for, request.user, pk)
    if not target.report:
        raise Http404
    return FileResponse(target.report.open("rb"), as_attachment=True, filename=target.report_name,
                        content_type=CONTENT_TYPES.get(target.report_type, "application/octet-stream"))


@require_POST
@require_perm("disbursements.run_diagnosis")
def contract_complete_view(request, pk):
    contract = _contract(request, pk)
    return _contract_action(
        request, CompleteForm(request.POST),
        lambda data: contract_complete(actor=request.user, contract=contract, completed_on=data["completed_on"],
                                       version=data["version"]),
        _("Completion confirmed."), pk, "complete")


@require_POST
@require_perm("disbursements.run_diagnosis")
def contract_accept_view(request, pk):
    contract = _contract(request, pk)
    return _contract_action(
        request, AcceptanceForm(request.POST),
        lambda data: contract_accept(actor=request.user, contract=contract, result=data["result"],
                                     notes=data["notes"], accepted_on=data["accepted_on"],
                                     version=data["version"]),
        _("Acceptance recorded."), pk, "acceptance")
