"""The administrator's pages for the data interface's tokens: list, issue (the key is shown once), revoke."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.web import flash_errors, require_perm

from .forms import TokenForm
from .models import ApiToken
from .tokens import token_issue
from .tokens import token_revoke as revoke


@require_perm("api.manage_tokens")
def token_list(request):
    tokens = ApiToken.objects.select_related("county", "created_by", "revoked_by")
    return render(request, "api/tokens.html", {"tokens": tokens})


@require_perm("api.manage_tokens")
def token_new(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            token, key = token_issue(actor=request.user, system_name=data["system_name"], county=data["county"],
                                     can_push_statistics=data["can_push_statistics"],
                                     can_push_registry=data["can_push_registry"], expires_at=form.expires_at())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            # shown on this response only: never stored, never in a redirect or a message
            return render(request, "api/token_issued.html", {"token": token, "key": key})
    return render(request, "api/token_new.html", {"form": form})


@require_perm("api.manage_tokens")
@require_POST
def token_revoke(request, pk):
    get_object_or_404(ApiToken, pk=pk)
    try:
        token = revoke(actor=request.user, token_id=pk)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The token of %(system)s was revoked; it no longer works.")
                         % {"system": token.system_name})
    return redirect("api:tokens")
