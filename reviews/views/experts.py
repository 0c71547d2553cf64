"""City staff keep the expert pool (专家库)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.web import errors_onto, require_perm
from core.workflow import TransitionNotAllowed

from .. import selectors
from ..forms import ExpertCreateForm, ExpertEditForm
from ..models import ExpertProfile
from ..services.experts import expert_create, expert_update
from .common import scoped


@require_perm("reviews.view_review_stage")
def expert_list(request):
    filters = {"q": request.GET.get("q", ""), "active": request.GET.get("active", "")}
    page = Paginator(selectors.experts_list(filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reviews/experts.html", {"page": page, "filters": filters, "query": query.urlencode(),
                                                    "can_manage": request.user.has_perm("reviews.manage_reviews")})


@require_perm("reviews.manage_reviews")
def expert_new(request):
    form = ExpertCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            expert_create(actor=request.user, username=data.pop("username"), email=data.pop("email"), **data)
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Expert added to the pool. They set their password through \"Forgot "
                                        "password\" on the login page."))
            return redirect("reviews:experts")
    return render(request, "reviews/expert_form.html", {"form": form})


@require_perm("reviews.manage_reviews")
def expert_edit(request, pk):
    profile = scoped(ExpertProfile.objects.select_related("user"), pk)
    form = ExpertEditForm(request.POST or None, instance=ExpertProfile.objects.get(pk=profile.pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            expert_update(actor=request.user, profile=profile, expected_version=data.pop("version"), **data)
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Expert saved."))
            return redirect("reviews:experts")
    return render(request, "reviews/expert_form.html", {"form": form, "profile": profile})
