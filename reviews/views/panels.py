"""City staff: the review stage of a call, its settings, panels, rubrics and assignments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import Category
from core.web import errors_onto, require_perm
from core.workflow import TransitionNotAllowed

from .. import selectors
from ..forms import (
    CriterionEditForm,
    CriterionForm,
    HandAssignForm,
    PanelEditForm,
    PanelForm,
    ReasonForm,
    ReviewConfigForm,
    VersionForm,
)
from ..models import Assignment, Criterion, Panel
from ..services import assignment as assigning
from ..services.common import config_for
from ..services.experts import config_update
from ..services.panels import (
    panel_close,
    panel_close_problems,
    panel_create,
    panel_open,
    panel_open_problems,
    panel_set_members,
)
from ..services.rubrics import (
    criterion_delete,
    criterion_save,
    frozen_reason,
    rubric_fill_defaults,
    rubric_for,
    rubric_problems,
    rubric_total,
)
from ..workflow import ACTIVE_ASSIGNMENT, PanelStatus
from .common import flash_errors, flash_form_errors, get_round, scoped


@require_perm("reviews.view_review_stage")
def home(request):
    round_ = selectors.current_round()
    if round_ is None:
        return render(request, "reviews/no_round.html")
    return redirect("reviews:round", round_.pk)


@require_perm("reviews.view_review_stage")
def round_overview(request, round_pk):
    round_ = get_round(round_pk)
    categories = (Category.objects.filter(round=round_).select_related("panel", "rubric", "award_rule")
                  .annotate(reviewable=Count("applications", filter=Q(applications__status__in=("qualified",
                                                                                                 "under_review"))),
                            in_stage=Count("applications", filter=Q(applications__status__in=selectors.REVIEW_STAGE)))
                  .order_by("sort_order", "id"))
    return render(request, "reviews/round.html", {
        "round": round_, "categories": categories, "counts": selectors.round_overview(round_),
        "config": config_for(round_), "rounds": selectors.rounds_for_review(),
    })


@require_perm("reviews.manage_reviews")
def config_edit(request, round_pk):
    round_ = get_round(round_pk)
    form = ReviewConfigForm(request.POST or None, instance=config_for(round_))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            config_update(actor=request.user, round_=round_, expected_version=data.pop("version"), **data)
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Review settings saved."))
            return redirect("reviews:round", round_.pk)
    return render(request, "reviews/config.html", {"round": round_, "form": form})


@require_perm("reviews.manage_reviews")
def panel_new(request, category_pk):
    category = scoped(Category.objects.select_related("round"), category_pk)
    if Panel.objects.filter(category=category).exists():
        return redirect("reviews:panel_detail", category.panel.pk)
    form = PanelForm(request.POST or None, initial={"name": _("%(category)s panel") % {"category": category.name}})
    if request.method == "POST" and form.is_valid():
        try:
            panel = panel_create(actor=request.user, category=category, name=form.cleaned_data["name"],
                                 members=form.cleaned_data["members"], chair=form.cleaned_data["chair"])
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Panel created. Check the rubric, then assign the applications."))
            return redirect("reviews:panel_detail", panel.pk)
    return render(request, "reviews/panel_form.html", {"form": form, "category": category, "round": category.round})


@require_perm("reviews.manage_reviews")
def panel_members(request, pk):
    panel = scoped(Panel.objects.select_related("round", "category"), pk)
    form = PanelEditForm(request.POST or None, initial={"name": panel.name, "members": panel.members.all(),
                                                        "chair": panel.chair, "version": panel.version})
    if request.method == "POST" and form.is_valid():
        try:
            panel_set_members(actor=request.user, panel=panel, members=form.cleaned_data["members"],
                              chair=form.cleaned_data["chair"], name=form.cleaned_data["name"],
                              expected_version=form.cleaned_data["version"])
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc)
        else:
            messages.success(request, _("Panel members saved."))
            return redirect("reviews:panel_detail", panel.pk)
    return render(request, "reviews/panel_form.html", {"form": form, "panel": panel, "category": panel.category,
                                                       "round": panel.round})


@require_perm("reviews.view_review_stage")
def panel_detail(request, pk):
    panel = scoped(selectors.panels_for(request.user).prefetch_related("members__county"), pk)
    assignments = list(selectors.panel_assignments(panel))
    applications = list(assigning.panel_applications(panel)) if panel.status != PanelStatus.CLOSED else []
    by_app = {}
    for a in assignments:
        by_app.setdefault(a.application_id, {"application": a.application, "assignments": []})["assignments"].append(a)
    for app in applications:
        by_app.setdefault(app.pk, {"application": app, "assignments": []})
    config = config_for(panel.round)
    for row in by_app.values():
        row["active"] = sum(1 for a in row["assignments"] if a.status in ACTIVE_ASSIGNMENT)
        row["short"] = max(config.experts_per_application - row["active"], 0)
    loads = dict(Assignment.objects.filter(panel=panel, status__in=ACTIVE_ASSIGNMENT)
                 .values_list("expert_id").annotate(n=Count("id")))
    members = list(panel.members.all())
    round_loads = assigning.round_loads(panel.round_id)
    top = max([*round_loads.values(), 1])
    for member in members:
        member.load = loads.get(member.pk, 0)
        member.round_load = round_loads[member.pk]
        member.load_step = round(member.round_load * 10 / top)
    hand_form = HandAssignForm(applications=assigning.panel_applications(panel),
                               experts=panel.members.filter(is_active=True))
    return render(request, "reviews/panel_detail.html", {
        "panel": panel,
        "rows": sorted(by_app.values(), key=lambda r: (r["application"].receipt_no, r["application"].pk)),
        "members": members, "config": config, "hand_form": hand_form, "round": panel.round,
        "open_problems": panel_open_problems(panel) if panel.status == PanelStatus.DRAFT else [],
        "close_problems": panel_close_problems(panel) if panel.status == PanelStatus.OPEN else [],
        "rubric": rubric_for(panel.category), "can_manage": request.user.has_perm("reviews.manage_reviews"),
    })


@require_perm("reviews.manage_reviews")
@require_POST
def panel_action(request, pk, action):
    panel = scoped(Panel.objects.select_related("round", "category"), pk)
    try:
        if action == "auto_assign":
            report = assigning.auto_assign(actor=request.user, panel=panel)
            messages.success(request, _("%(n)d assignments created.") % {"n": len(report.created)})
            if report.shortages:
                messages.warning(request, _("%(n)d applications have fewer eligible experts than configured: add "
                                            "experts to the panel.") % {"n": len(report.shortages)})
        elif action == "open":
            panel_open(actor=request.user, panel=panel)
            messages.success(request, _("Scoring is open; the experts were notified."))
        elif action == "close":
            panel_close(actor=request.user, panel=panel)
            messages.success(request, _("The panel is closed; panel scores, ranks and award proposals are computed."))
            return redirect("reviews:results", panel.round_id)
        elif action == "assign":
            form = HandAssignForm(request.POST, applications=assigning.panel_applications(panel),
                                  experts=panel.members.filter(is_active=True))
            if not form.is_valid():
                flash_form_errors(request, form)
            else:
                assigning.assign_by_hand(actor=request.user, panel=panel, **form.cleaned_data)
                messages.success(request, _("Expert assigned."))
        else:
            raise ValueError(action)
    except (ValidationError, TransitionNotAllowed) as exc:
        flash_errors(request, exc)
    return redirect("reviews:panel_detail", panel.pk)


@require_perm("reviews.manage_reviews")
@require_POST
def assignment_remove(request, pk):
    assignment = scoped(Assignment.objects.select_related("panel"), pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            assigning.assignment_remove(actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"])
            messages.success(request, _("The expert was taken off the application."))
        except (ValidationError, TransitionNotAllowed) as exc:
            flash_errors(request, exc)
    return redirect("reviews:panel_detail", assignment.panel_id)


@require_perm("reviews.manage_reviews")
def rubric(request, category_pk):
    category = scoped(Category.objects.select_related("round"), category_pk)
    rubric_ = rubric_for(category)
    editing = None
    action = request.POST.get("action", "save") if request.method == "POST" else ""
    target = request.POST.get("criterion") if action == "save" else request.GET.get("edit")
    if target:
        editing = scoped(rubric_.criteria.all(), target)
    # editing an existing criterion carries the version it was loaded at; adding one needs none
    form_class = CriterionEditForm if editing else CriterionForm
    form = form_class(request.POST if action == "save" else None, initial=(
        {"name": editing.name, "max_points": editing.max_points, "guidance": editing.guidance,
         "order": editing.order, "version": editing.version} if editing else None))
    if request.method == "POST":
        try:
            if action == "defaults":
                rubric_fill_defaults(actor=request.user, rubric=rubric_)
                messages.success(request, _("The usual five criteria were added."))
                return redirect("reviews:rubric", category.pk)
            if action == "delete":
                criterion = scoped(rubric_.criteria.all(), request.POST.get("criterion"))
                check = VersionForm(request.POST)
                if not check.is_valid():
                    flash_form_errors(request, check)
                    return redirect("reviews:rubric", category.pk)
                criterion_delete(actor=request.user, rubric=rubric_, criterion=criterion,
                                 expected_version=check.cleaned_data["version"])
                messages.success(request, _("Criterion deleted."))
                return redirect("reviews:rubric", category.pk)
            if form.is_valid():
                data = dict(form.cleaned_data)
                criterion_save(actor=request.user, rubric=rubric_, criterion=editing,
                               expected_version=data.pop("version", None), **data)
                messages.success(request, _("Criterion saved."))
                return redirect("reviews:rubric", category.pk)
        except (ValidationError, TransitionNotAllowed) as exc:
            if action == "save":
                errors_onto(form, exc)
            else:
                flash_errors(request, exc)
    criteria = list(Criterion.objects.filter(rubric=rubric_))
    return render(request, "reviews/rubric.html", {
        "category": category, "round": category.round, "rubric": rubric_, "criteria": criteria, "form": form,
        "editing": editing, "frozen": frozen_reason(rubric_), "total": rubric_total(rubric_),
        "problems": rubric_problems(rubric_),
    })
