"""XLSX downloads (scoped like the pages they belong to)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from core.web import require_perm

from .. import exports, selectors
from ..models import ExpertProfile, Score
from ..workflow import ScoreStatus
from .common import get_round, scoped


@login_required
def panel_scores(request, pk):
    """City-wide roles: all scores of the panel; a member expert: their own, all of it once the panel closed."""
    panel = scoped(selectors.panels_for(request.user), pk)
    scores = selectors.scores_visible_to(request.user, panel)
    if not request.user.has_perm("reviews.view_review_stage"):  # a member expert: submitted scores only
        scores = scores.filter(status=ScoreStatus.SUBMITTED)
    return exports.panel_scores_xlsx(panel, scores)


@login_required
def my_scores(request):
    expert = selectors.expert_profile(request.user)
    if expert is None:
        raise PermissionDenied
    scores = Score.objects.filter(assignment__in=selectors.assignments_for(request.user))
    return exports.expert_scores_xlsx(expert, scores)


@require_perm("reviews.view_review_stage")
def expert_scores(request, expert_pk):
    expert = scoped(ExpertProfile.objects.all(), expert_pk)
    scores = Score.objects.filter(assignment__expert=expert, assignment__status="confirmed")
    return exports.expert_scores_xlsx(expert, scores)


@require_perm("reviews.view_review_stage")
def ranking(request, round_pk):
    round_ = get_round(round_pk)
    return exports.ranking_xlsx(round_, selectors.ranking(request.user, round_))


@require_perm("reviews.view_review_stage")
def publicity_list(request, pk):
    publicity = scoped(selectors.publicities_for(request.user).prefetch_related("entries"), pk)
    return exports.publicity_xlsx(publicity)


@require_perm("reviews.view_review_stage")
def publicity_notice(request, pk):
    publicity = scoped(selectors.publicities_for(request.user), pk)
    return exports.publicity_notice_pdf(publicity)


@require_perm("reviews.view_support_lists")
def support_list(request, pk):
    support_list = scoped(selectors.support_lists_for(request.user), pk)
    entries = support_list.entries.select_related("application__county").order_by(
        "application__category__sort_order", "category_name", "id")
    return exports.support_list_xlsx(support_list, entries)
