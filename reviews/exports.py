"""Downloads of the review stage: XLSX score sheets (per panel, per expert), ranking tables, the publicity list
(streamed, formula-safe cells via core.xlsx) and the publicity notice as a PDF (WeasyPrint, static-only fetcher)."""

from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import to_wan
from core.pdf import render_pdf
from core.xlsx import Column, new_workbook, workbook_response, write_sheet

from .aggregation import Method
from .models import Criterion, ScoreItem

POINTS = "0.0"  # a criterion's points, as entered
TOTAL = "0.00"  # totals and panel scores: two places everywhere


def _score_rows(scores):
    """Scores with their points per criterion, in two queries."""
    scores = list(scores.select_related("assignment__expert", "assignment__application__enterprise",
                                        "assignment__panel__category", "assignment__panel__round"))
    points = {}
    for item in ScoreItem.objects.filter(score__in=scores).values("score_id", "criterion_id", "points"):
        points[(item["score_id"], item["criterion_id"])] = item["points"]
    return scores, points


def _score_columns(criteria, *, expert_column):
    return [
        Column(_("Receipt no."), 18), Column(_("Enterprise"), 30), Column(_("Project"), 34),
        *([Column(_("Expert"), 12)] if expert_column else []),
        *[Column(_("%(criterion)s (%(points)s points)") % {
            "criterion": c.name, "points": f"{c.max_points.normalize():f}"}, 10, "number", POINTS) for c in criteria],
        Column(_("Total"), 8, "number", TOTAL), Column(_("Comment"), 40), Column(_("Status"), 10),
        *([Column(_("Outlier"), 8)] if expert_column else []),
    ]


def _score_values(score, points, criteria, *, expert_column):
    app = score.assignment.application
    return [
        app.receipt_no, app.enterprise.name, app.project_name,
        *([score.assignment.expert.name] if expert_column else []),
        *[points.get((score.pk, c.pk)) for c in criteria],
        score.total, score.comment, score.get_status_display(),
        *([_("yes") if score.is_outlier else ""] if expert_column else []),
    ]


def panel_scores_xlsx(panel, scores):
    criteria = list(Criterion.objects.filter(rubric__category_id=panel.category_id))
    scores, points = _score_rows(scores.order_by("assignment__application__receipt_no", "assignment__expert__name"))
    workbook = new_workbook()
    write_sheet(workbook, _("%(year)s score sheet: %(panel)s") % {"year": panel.round.year, "panel": panel.name},
                _("Annual call: %(round)s") % {"round": panel.round.title},
                _score_columns(criteria, expert_column=True),
                (_score_values(s, points, criteria, expert_column=True) for s in scores), name=_("Score sheet"))
    return workbook_response(workbook, f"scores-panel-{panel.pk}.xlsx")


def expert_scores_xlsx(expert, scores):
    """One expert's scores: one sheet per panel (each with the criteria of its category)."""
    scores, points = _score_rows(scores.order_by("assignment__panel_id", "assignment__application__receipt_no"))
    criteria_of = {}
    for criterion in Criterion.objects.filter(rubric__category__panel__assignments__expert=expert).distinct():
        criteria_of.setdefault(criterion.rubric_id, []).append(criterion)
    by_panel = {}
    for score in scores:
        by_panel.setdefault(score.assignment.panel, []).append(score)
    workbook = new_workbook()
    for panel, panel_scores in by_panel.items():
        criteria = sorted(criteria_of.get(panel.category.rubric.pk, []), key=lambda c: (c.order, c.pk))
        write_sheet(workbook, _("%(year)s score sheet of %(name)s") % {"year": panel.round.year, "name": expert.name},
                    _("Panel: %(panel)s") % {"panel": panel.name}, _score_columns(criteria, expert_column=False),
                    (_score_values(s, points, criteria, expert_column=False) for s in panel_scores), name=panel.name)
    if not by_panel:
        write_sheet(workbook, _("Score sheet of %(name)s") % {"name": expert.name}, _("No scores yet."), [], [],
                    name=_("Score sheet"))
    return workbook_response(workbook, f"scores-{expert.pk}.xlsx")


def _money_column(label):
    return Column(label, 14, "money")


def ranking_xlsx(round_, applications):
    columns = [
        Column(_("Category"), 18), Column(_("Rank"), 6, "int"), Column(_("Receipt no."), 18),
        Column(_("Enterprise"), 30), Column(_("County"), 10), Column(_("Project"), 34),
        Column(_("Panel score"), 8, "number", TOTAL), Column(_("Scores"), 24), Column(_("Aggregation"), 14),
        Column(_("Outliers"), 8, "int"), _money_column(_("Base (10,000 yuan)")),
        _money_column(_("Computed award (10,000 yuan)")), _money_column(_("Audited base (10,000 yuan)")),
        _money_column(_("Award after audit (10,000 yuan)")), _money_column(_("Proposed award (10,000 yuan)")),
        Column(_("Status"), 12),
    ]
    methods = dict(Method.choices)

    def rows():
        for app in applications:
            result = app.review_result
            proposal = getattr(app, "award_proposal", None)
            amounts = ((proposal.base_amount, proposal.computed_amount, proposal.audited_base_amount,
                        proposal.audited_amount, proposal.final_amount) if proposal else (None,) * 5)
            yield [app.category.name, result.rank, app.receipt_no, app.enterprise.name, app.county.name,
                   app.project_name, result.aggregate, result.scores_text, methods.get(result.method, result.method),
                   result.outlier_count, *(to_wan(a) for a in amounts), app.get_status_display()]

    workbook = new_workbook()
    write_sheet(workbook, _("%(year)s ranking and award proposals") % {"year": round_.year},
                _("Annual call: %(round)s") % {"round": round_.title}, columns, rows(), name=_("Ranking"))
    return workbook_response(workbook, f"ranking-{round_.year}.xlsx")


def publicity_xlsx(publicity):
    entries = list(publicity.entries.all())
    total = sum((entry.amount for entry in entries), Decimal("0"))
    workbook = new_workbook()
    write_sheet(workbook, _("%(year)s publicity list: %(title)s") % {"year": publicity.round.year,
                                                                     "title": publicity.title},
                _("Objections until %(end)s") % {"end": publicity.ends_on.isoformat()},
                [Column(_("No."), 6, "int"), Column(_("Enterprise"), 30), Column(_("Project"), 34),
                 Column(_("Category"), 18), Column(_("County"), 10), _money_column(_("Proposed award (10,000 yuan)"))],
                ([e.number, e.enterprise_name, e.project_name, e.category_name, e.county_name, to_wan(e.amount)]
                 for e in entries),
                footer=[[None, _("Total"), None, None, None, to_wan(total)]], name=_("Publicity list"))
    return workbook_response(workbook, f"publicity-{publicity.pk}.xlsx")


def support_list_xlsx(support_list, entries):
    workbook = new_workbook()
    write_sheet(workbook, _("%(year)s support list: %(title)s") % {"year": support_list.round.year,
                                                                   "title": support_list.title}, "",
                [Column(_("Enterprise"), 30), Column(_("Project"), 34), Column(_("Category"), 18),
                 Column(_("County"), 10), _money_column(_("Award (10,000 yuan)"))],
                ([e.enterprise_name, e.project_name, e.category_name, e.application.county.name, to_wan(e.amount)]
                 for e in entries), name=_("Support list"))
    return workbook_response(workbook, f"support-list-{support_list.pk}.xlsx")


def _render_pdf(html):
    """WeasyPrint with the platform's fetcher: only its own static files, never file:// or the network."""
    return render_pdf(html)


def publicity_notice_html(publicity):
    entries = list(publicity.entries.all())
    return render_to_string("public/publicity_notice_pdf.html", {
        "publicity": publicity, "entries": entries, "total": sum((e.amount for e in entries), Decimal("0")),
        "generated_at": timezone.localtime(), "platform_name": settings.PLATFORM_NAME,
    })


def publicity_notice_pdf(publicity):
    pdf = _render_pdf(publicity_notice_html(publicity))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="publicity-{publicity.pk}.pdf"'
    return response


__all__ = ["expert_scores_xlsx", "panel_scores_xlsx", "publicity_notice_pdf", "publicity_xlsx",
           "ranking_xlsx", "support_list_xlsx"]
