"""City staff edit the annual call: dates, notice, budget, categories, award rules and materials."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, ProtectedError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.locking import StaleEdit
from core.web import require_perm

from .. import tally
from ..forms import AwardRuleForm, CategoryForm, MaterialFormSet, RoundForm
from ..matching import funnel
from ..models import AwardRule, Category, Round
from ..services.calls import category_save, round_save, round_set_published
from .common import flash_errors

manage = require_perm("applications.manage_calls")


@manage
def call_list(request):
    rounds = list(Round.objects.annotate(n_categories=Count("categories", distinct=True)).order_by("-year"))
    applications = tally.counts(drafts=True, by=("round_id",))  # every call's, drafts too
    for round_ in rounds:
        round_.n_applications = applications[round_.pk]
    return render(request, "applications/calls/list.html", {"rounds": rounds})


@manage
@require_http_methods(["GET", "POST"])
def call_edit(request, pk=None):
    round_ = get_object_or_404(Round, pk=pk) if pk else None
    form = RoundForm(request.POST or None, instance=round_)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            round_ = round_save(actor=request.user, round_=round_, expected_version=data.pop("version", None),
                                **data)
        except StaleEdit as exc:  # another officer saved the call: keep what was typed, save nothing
            form.add_error(None, exc)
            round_.refresh_from_db()
        except ValidationError as exc:  # the service's own checks (the form normally catches these first)
            form.add_error(None, exc)
            if round_ is not None:
                round_.refresh_from_db()
        else:
            messages.success(request, _("The call was saved."))
            return redirect("applications:call_detail", round_.pk)
    return render(request, "applications/calls/edit.html", {"form": form, "round": round_})


@manage
def call_detail(request, pk):
    round_ = get_object_or_404(
        Round.objects.prefetch_related("categories__award_rule", "categories__materials"), pk=pk)
    return render(request, "applications/calls/detail.html", {"round": round_, "funnel": funnel(round_)})


@manage
@require_POST
def call_publish(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    publish = request.POST.get("publish") == "1"
    try:
        round_set_published(actor=request.user, round_=round_, published=publish,
                            expected_version=request.POST.get("version", ""))
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, _("The call is published: enterprises can see it.") if publish
                         else _("The call is withdrawn from the public pages."))
    return redirect("applications:call_detail", pk)


@manage
@require_http_methods(["GET", "POST"])
def category_edit(request, round_pk, pk=None):
    round_ = get_object_or_404(Round, pk=round_pk)
    category = get_object_or_404(Category, pk=pk, round=round_) if pk else Category(round=round_)
    rule = AwardRule.objects.filter(category=category).first() if pk else None
    data = request.POST or None
    form = CategoryForm(data, instance=category)
    rule_form = AwardRuleForm(data, instance=rule or AwardRule(category=category if pk else None), prefix="rule")
    materials = MaterialFormSet(data, instance=category, prefix="materials")
    if request.method == "POST" and form.is_valid() and rule_form.is_valid() and materials.is_valid():
        fields = dict(form.cleaned_data)
        version = fields.pop("version", None)
        rule_values = {**rule_form.cleaned_data, "rate": rule_form.rate()}
        rows = [{**f.cleaned_data, "id": f.instance.pk, "delete": f.cleaned_data.get("DELETE", False)}
                for f in materials.forms if f.instance.pk or (f.has_changed() and not f.cleaned_data.get("DELETE"))]
        try:
            category = category_save(actor=request.user, round_=round_, category=category if pk else None,
                                     expected_version=version, fields=fields, rule=rule_values, materials=rows)
        except StaleEdit as exc:  # another officer saved this category page: nothing saved, what was typed kept
            form.add_error(None, exc)
            category.refresh_from_db()
        except ValidationError as exc:  # the service's own checks (the forms normally catch these first)
            form.add_error(None, exc)
        except ProtectedError:
            messages.error(request, _("A material that applications have already uploaded files for cannot be "
                                      "deleted. Mark it optional instead."))
        else:
            messages.success(request, _("The category was saved."))
            return redirect("applications:call_detail", round_.pk)
    return render(request, "applications/calls/category_edit.html", {
        "round": round_, "category": category if pk else None, "form": form, "rule_form": rule_form,
        "materials": materials,
    })
