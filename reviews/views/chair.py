"""The panel chair's page: the members' submitted scores in the open panels the user chairs, each with the form
that reopens it (the reopen view itself is ``expert.reopen``, shared with city staff)."""

from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.paging import page_of
from core.search import apply_search
from core.web import int_param, require_perm

from .. import selectors
from ..listing import chair_score_rows_html


@require_perm("reviews.view_my_assignments")
def chair_scores(request):
    """评审组已提交评分: 50 a page, searched by application or expert, filtered by panel; a panel the user does not
    chair answers 404, an expert who chairs nothing sees an empty page."""
    user = request.user
    panels = selectors.chaired_panels_counted(user)
    panel = int_param(request.GET.get("panel"), min=1, name=_("the panel"))
    if panel is not None and panel not in {p.pk for p in panels}:
        raise Http404(_("Not found."))
    q = request.GET.get("q", "")
    rows = apply_search(selectors.chair_score_rows(user, panel=panel), q, **selectors.CHAIR_SCORE_SEARCH)
    if q.strip():
        page, query = page_of(request, rows)
    else:  # the panels' figures count the list, and its rows come from a statement compiled once
        page, query = page_of(request, rows, count=sum(p.submitted for p in panels if panel in (None, p.pk)),
                              statement=selectors.chair_score_rows_statement(user, panel=panel))
    return render(request, "reviews/expert/chair_scores.html", {
        "q": q, "page": page, "rows": page.object_list, "query": query, "panels": panels, "panel": panel,
        "row_html": chair_score_rows_html(page.object_list, csrf_token=get_token(request),
                                          next_url=request.get_full_path()),
    })
