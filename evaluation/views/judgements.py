"""Judging a qualitative indicator and its attachments (served only through a permission check)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import require_perm

from ..forms import EvidenceForm, JudgementForm
from ..selectors import evidence_for
from ..services import judgements as svc
from . import EDIT, error_text, get_year
from .indicators import detail_page, get_indicator


@require_perm(EDIT)
@require_POST
def judgement(request, year, number):
    year = get_year(request, year)
    indicator = get_indicator(year, number)
    form = JudgementForm(request.POST, instance=getattr(indicator, "judgement", None), indicator=indicator)
    if form.is_valid():
        try:
            svc.judgement_save(actor=request.user, indicator=indicator, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, _("The judgement was saved."))
            return redirect("evaluation:indicator_detail", year.year, number)
    return detail_page(request, year, indicator, status=400, judgement_form=form)


@require_perm(EDIT)
@require_POST
def evidence_upload(request, year, number):
    year = get_year(request, year)
    indicator = get_indicator(year, number)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > svc.MAX_EVIDENCE_BYTES:
                raise ValidationError(_("Attachments may be at most %(mb)s MB.")
                                      % {"mb": svc.MAX_EVIDENCE_BYTES // 1024 // 1024})
            svc.evidence_add(actor=request.user, indicator=indicator, name=upload.name, data=upload.read(),
                             description=form.cleaned_data["description"])
        except ValidationError as exc:
            form.add_error("file", error_text(exc))
        else:
            messages.success(request, _("The attachment was uploaded."))
            return redirect("evaluation:indicator_detail", year.year, number)
    return detail_page(request, year, indicator, status=400, evidence_form=form)


@require_perm("evaluation.view_evidence")
def evidence_download(request, pk):
    evidence = get_object_or_404(evidence_for(request.user), pk=pk)
    response = FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.original_name,
                            content_type=evidence.content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@require_perm(EDIT)
@require_POST
def evidence_delete(request, pk):
    evidence = get_object_or_404(evidence_for(request.user), pk=pk)
    year, number = evidence.indicator.year.year, evidence.indicator.number
    try:
        svc.evidence_delete(actor=request.user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The attachment was deleted."))
    return redirect("evaluation:indicator_detail", year, number)
