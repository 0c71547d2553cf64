"""The expert's pages: assignments, the conflict declaration, the scoring form, files, the panel summary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications.models import Attachment
from applications.selectors import application_search
from core.paging import page_of
from core.search import apply_search
from core.web import errors_onto, int_param, pk_url, require_perm
from core.workflow import TransitionNotAllowed

from .. import selectors
from ..forms import DeclarationForm, ReasonForm, ScoreForm
from ..listing import assignment_rows_html, panel_options_html
from ..models import Score
from ..services.assignment import declare
from ..services.scoring import score_reopen, score_save
from ..workflow import AssignmentStatus, PanelStatus, ScoreStatus
from .common import back, flash_errors, flash_form_errors, scoped, send_file

PAGE_SIZE = 20


def _assignment(request, pk):
    return scoped(selectors.assignments_for(request.user).select_related(
        "panel__round", "panel__category", "panel__chair", "expert", "application__enterprise",
        "application__category", "application__county", "application__round"), pk)


@require_perm("reviews.view_my_assignments")
def my_assignments(request):
    """我的评审: what is left to do first, 20 a page, filtered by stage and panel, in a fixed number of queries; a
    panel chair also sees, per open panel chaired, how many submitted scores wait on the chair's page."""
    user = request.user
    cells = selectors.my_stage_counts(user)  # {(stage, panel id): n}
    counts = {name: sum(n for (s, _p), n in cells.items() if s == name) for name in selectors.MY_STAGES}
    mine_ids = {p for _s, p in cells}
    panels = selectors.my_panels(user)
    named, summary = _("%(name)s (%(year)s)"), _("Summary of %(name)s")  # translated once, not per panel
    summary_url = pk_url("reviews:panel_summary")  # reversed once, not per panel
    for p in panels:
        p["label"] = named % {"name": p["name"], "year": p["year"]}
        p["summary_label"] = summary % {"name": p["label"]}
        p["summary_url"] = summary_url(p["pk"])
    mine = [p for p in panels if p["pk"] in mine_ids]
    stage = request.GET.get("status") or ""
    if stage not in selectors.MY_STAGES:
        stage = ""
    panel = int_param(request.GET.get("panel"), min=1, name=_("the panel"))
    if panel is not None and panel not in mine_ids:
        panel = None
    q = request.GET.get("q", "")
    assignments = apply_search(selectors.my_assignments(user, stage=stage or None, panel=panel), q,
                               **application_search("application__"))
    # unsearched, the counts the page reads anyway give the list's count, and its rows come from a statement
    # compiled once
    searched = bool(q.strip())
    known = None if searched else sum(n for (s, p), n in cells.items() if stage in ("", s) and panel in (None, p))
    statement = None if searched else selectors.my_assignments_statement(user, stage=stage or None, panel=panel)
    page, query = page_of(request, assignments, PAGE_SIZE, count=known, statement=statement)
    return render(request, "reviews/expert/assignments.html", {
        "q": q, "page": page, "rows": page.object_list, "row_html": assignment_rows_html(page.object_list),
        "counts": counts,
        "panels": mine, "panel_options": panel_options_html(mine, panel),
        "chaired": [p for p in panels if p["chaired"]], "stage": stage, "panel": panel, "query": query,
        "stages": [("declare", _("To declare")), ("score", _("To score")), ("done", _("Submitted and closed"))],
        "closed_panels": [p for p in mine if p["status"] == PanelStatus.CLOSED],
    })


@require_perm("reviews.view_my_assignments")
def declaration(request, pk):
    assignment = _assignment(request, pk)
    if assignment.status == AssignmentStatus.CONFIRMED:
        return redirect("reviews:score", assignment.pk)
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            replacement = declare(actor=request.user, assignment=assignment,
                                  has_conflict=form.cleaned_data["has_conflict"], reason=form.cleaned_data["reason"])
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc)
        else:
            if form.cleaned_data["has_conflict"]:
                messages.success(request, _("Your conflict of interest is recorded and you are withdrawn from this "
                                            "application.") + (" " + _("A replacement expert was assigned.")
                                                               if replacement else ""))
                return redirect("reviews:my_assignments")
            messages.success(request, _("Declared: no conflict of interest. You can now score the application."))
            return redirect("reviews:score", assignment.pk)
    return render(request, "reviews/expert/declare.html", {"assignment": assignment, "form": form,
                                                           "application": assignment.application})


@require_perm("reviews.view_my_assignments")
def score(request, pk):
    assignment = selectors.scoring_assignment(request.user, pk)
    if assignment is None:
        raise Http404(_("Not found."))
    if assignment.status == AssignmentStatus.ASSIGNED:
        return redirect("reviews:declare", assignment.pk)
    application = assignment.application
    round_ = assignment.panel.round
    threshold = selectors.joined_config(round_).comment_required_below
    existing = getattr(assignment, "score", None)
    # the criteria carry the points already given (one query for both)
    criteria = list(selectors.criteria_with_points(assignment.panel.category.rubric, existing))
    locked = (existing is not None and existing.status == ScoreStatus.SUBMITTED) or \
        assignment.panel.status != PanelStatus.OPEN
    initial = {}
    if existing is not None:
        initial = {f"crit_{c.pk}": c.given_points for c in criteria if c.given_points is not None}
        initial["comment"] = existing.comment
    initial["version"] = existing.version if existing is not None else 0
    form = ScoreForm(request.POST or None, initial=initial, criteria=criteria, threshold=threshold)
    if request.method == "POST" and not locked and form.is_valid():
        submit = "submit" in request.POST
        try:
            score_save(actor=request.user, assignment=assignment, points=form.points(),
                       comment=form.cleaned_data["comment"], submit=submit,
                       expected_version=form.cleaned_data["version"])
        except (ValidationError, TransitionNotAllowed) as exc:
            errors_onto(form, exc, field_map={c.pk: f"crit_{c.pk}" for c in criteria})
        else:
            if submit:
                messages.success(request, _("Score submitted. It is now locked."))
                return redirect("reviews:my_assignments")
            messages.success(request, _("Score saved as a draft; submit it when you are done."))
            return redirect("reviews:score", assignment.pk)
    return render(request, "reviews/expert/score.html", {
        "assignment": assignment, "application": application, "form": form, "locked": locked, "score": existing,
        "threshold": threshold, "attachments": selectors.application_attachments(application),
        "max_total": sum(c.max_points for c in criteria),
    })


@require_perm("reviews.view_my_assignments")
def assignment_file(request, pk, attachment_pk):
    assignment = _assignment(request, pk)
    if assignment.status != AssignmentStatus.CONFIRMED:
        return redirect("reviews:declare", assignment.pk)
    attachment = scoped(Attachment.objects.filter(application=assignment.application, is_current=True),
                        attachment_pk)
    return send_file(attachment.file, attachment.original_name, attachment.content_type)


@login_required
@require_POST
def reopen(request, pk):
    """Reopen a submitted score (panel chair or city staff, with a reason)."""
    target = Score.objects.select_related("assignment__panel__chair", "assignment__expert").filter(pk=pk).first()
    if target is None or not request.user.has_perm("reviews.oversee_score", target):
        raise Http404
    form = ReasonForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        try:
            score_reopen(actor=request.user, score=target, reason=form.cleaned_data["reason"])
        except (ValidationError, TransitionNotAllowed) as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("The score is reopened; the expert was notified."))
    if request.user.has_perm("reviews.manage_reviews"):
        return back(request, "reviews:panel_detail", target.assignment.panel_id)
    return back(request, "reviews:chair_scores")


@login_required
def panel_summary(request, pk):
    """The panel's scores and results: city-wide roles any time, member experts once the panel closed."""
    panel = scoped(selectors.summary_panels_for(request.user), pk)
    scores = list(selectors.scores_visible_to(request.user, panel).filter(status=ScoreStatus.SUBMITTED)
                  .select_related("assignment__expert", "assignment__application__enterprise")
                  .order_by("assignment__application_id", "assignment__expert_id"))
    results = {r.application_id: r for r in panel.results.all()}
    rows = {}
    for item in scores:
        app = item.assignment.application
        rows.setdefault(app.pk, {"application": app, "result": results.get(app.pk), "scores": []})["scores"].append(
            item)
    ordered = sorted(rows.values(), key=lambda r: (r["result"].rank if r["result"] else 9999, r["application"].pk))
    anonymous = not request.user.has_perm("reviews.view_review_stage")  # a member expert sees no names
    if anonymous:
        letters = {}
        for row in ordered:
            for item in row["scores"]:
                own = item.assignment.expert.user_id == request.user.pk
                item.label = _("Me") if own else letters.setdefault(
                    item.assignment.expert_id, _("Expert %(n)d") % {"n": len(letters) + 1})
    return render(request, "reviews/panel_summary.html", {"panel": panel, "rows": ordered, "anonymous": anonymous})
