"""The credit-screening panel's two actions on an application page (city users)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import flash_errors, require_perm
from core.workflow import TransitionNotAllowed

from ..credit import credit_clearance_confirm, credit_clearance_propose
from .common import scoped_application


def _application(request, pk):
    return scoped_application(request, pk)


@require_perm("applications.clear_credit", fn=_application)
@require_POST
def clearance_propose(request, pk):
    application = scoped_application(request, pk)
    try:
        credit_clearance_propose(actor=request.user, application=application, reason=request.POST.get("reason", ""))
    except (ValidationError, TransitionNotAllowed) as exc:
        flash_errors(request, exc)
        request.session["credit_reason_typed"] = request.POST.get("reason", "")[:2000]
    else:
        messages.success(request, _("The reason was recorded; a second city user must confirm it."))
    return redirect("applications:detail", pk=pk)


@require_perm("applications.clear_credit", fn=_application)
@require_POST
def clearance_confirm(request, pk):
    application = scoped_application(request, pk)
    try:
        credit_clearance_confirm(actor=request.user, application=application)
    except (ValidationError, TransitionNotAllowed) as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The credit clearance was confirmed; qualification may now pass."))
    return redirect("applications:detail", pk=pk)
