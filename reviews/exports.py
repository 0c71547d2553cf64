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
from core.xlsx import cell, header_row, new_workbook, title_row, workbook_response

from .aggregation import Method
from .models import Criterion, ScoreItem

WAN = "#,##0.00"
POINTS = "0.0"  # a criterion's points, as entered
TOTAL = "0.00"  # totals and panel scores: two places everywhere


def _score_rows(scores):
    """Scores with their points per criterion, in two queries."""
    scores = list(scores.select_related("assignment__expert", "assignment__application__enterprise",
                                        "assignment__panel__category"))
    points = {}
    for item in ScoreItem.objects.filter(score__in=scores).values("score_id", "criterion_id", "points"):
        points[(item["score_id"], item["criterion_id"])] = item["points"]
    return scores, points


def score_sheet(scores, *, title, criteria, filename):
    workbook, sheet = new_workbook(title)
    sheet.append(title_row(sheet, title))
    sheet.append(header_row(sheet, [_("Receipt no."), _("Enterprise"), _("Project"), _("Expert"),
                                    *[f"{c.name} ({c.max_points})" for c in criteria], _("Total"), _("Comment"),
                                    _("Status"), _("Outlier")]))
    scores, points = _score_rows(scores)
    for score in scores:
        app = score.assignment.application
        sheet.append([
            cell(sheet, app.receipt_no), cell(sheet, app.enterprise.name), cell(sheet, app.project_name),
            cell(sheet, score.assignment.expert.name),
            *[cell(sheet, points.get((score.pk, c.pk)), number_format=POINTS) for c in criteria],
            cell(sheet, score.total, number_format=TOTAL), cell(sheet, score.comment),
            cell(sheet, str(score.get_status_display())), cell(sheet, _("yes") if score.is_outlier else ""),
        ])
    return workbook_response(workbook, filename)


def panel_scores_xlsx(panel, scores):
    criteria = list(Criterion.objects.filter(rubric__category_id=panel.category_id))
    return score_sheet(scores.order_by("assignment__application__receipt_no", "assignment__expert__name"),
                       title=_("Score sheet: %(panel)s") % {"panel": panel.name}, criteria=criteria,
                       filename=f"scores-panel-{panel.pk}.xlsx")


def expert_scores_xlsx(expert, scores):
    """One expert's scores (all their panels; the criteria of every category in turn)."""
    workbook, sheet = new_workbook(_("My scores"))
    sheet.append(title_row(sheet, _("Score sheet of %(name)s") % {"name": expert.name}))
    scores, points = _score_rows(scores.order_by("assignment__panel_id", "assignment__application__receipt_no"))
    criteria_of = {}
    for criterion in Criterion.objects.filter(rubric__category__panel__assignments__expert=expert).distinct():
        criteria_of.setdefault(criterion.rubric_id, []).append(criterion)
    current_panel = None
    for score in scores:
        panel = score.assignment.panel
        criteria = sorted(criteria_of.get(panel.category.rubric.pk, []), key=lambda c: (c.order, c.pk))
        if panel.pk != current_panel:
            current_panel = panel.pk
            sheet.append(title_row(sheet, panel.name))
            sheet.append(header_row(sheet, [_("Receipt no."), _("Enterprise"), _("Project"),
                                            *[f"{c.name} ({c.max_points})" for c in criteria], _("Total"),
                                            _("Comment"), _("Status")]))
        app = score.assignment.application
        sheet.append([
            cell(sheet, app.receipt_no), cell(sheet, app.enterprise.name), cell(sheet, app.project_name),
            *[cell(sheet, points.get((score.pk, c.pk)), number_format=POINTS) for c in criteria],
            cell(sheet, score.total, number_format=TOTAL), cell(sheet, score.comment),
            cell(sheet, str(score.get_status_display())),
        ])
    return workbook_response(workbook, f"scores-{expert.pk}.xlsx")


def ranking_xlsx(round_, applications):
    workbook, sheet = new_workbook(_("Ranking"))
    sheet.append(title_row(sheet, _("Ranking and award proposals: %(round)s") % {"round": round_.title}))
    sheet.append(header_row(sheet, [
        _("Category"), _("Rank"), _("Receipt no."), _("Enterprise"), _("County"), _("Project"), _("Panel score"),
        _("Scores"), _("Aggregation"), _("Outliers"), _("Base (10,000 yuan)"), _("Computed award (10,000 yuan)"),
        _("Audited base (10,000 yuan)"), _("Award after audit (10,000 yuan)"), _("Proposed award (10,000 yuan)"),
        _("Status")]))
    methods = dict(Method.choices)
    for app in applications:
        result = app.review_result
        proposal = getattr(app, "award_proposal", None)
        sheet.append([
            cell(sheet, app.category.name), cell(sheet, result.rank), cell(sheet, app.receipt_no),
            cell(sheet, app.enterprise.name), cell(sheet, app.county.name), cell(sheet, app.project_name),
            cell(sheet, result.aggregate, number_format="0.00"), cell(sheet, result.scores_text),
            cell(sheet, str(methods.get(result.method, result.method))), cell(sheet, result.outlier_count),
            cell(sheet, to_wan(proposal.base_amount) if proposal else None, number_format=WAN),
            cell(sheet, to_wan(proposal.computed_amount) if proposal else None, number_format=WAN),
            cell(sheet, to_wan(proposal.audited_base_amount) if proposal else None, number_format=WAN),
            cell(sheet, to_wan(proposal.audited_amount) if proposal else None, number_format=WAN),
            cell(sheet, to_wan(proposal.final_amount) if proposal else None, number_format=WAN),
            cell(sheet, str(app.get_status_display())),
        ])
    return workbook_response(workbook, f"ranking-{round_.year}.xlsx")


def publicity_xlsx(publicity):
    workbook, sheet = new_workbook(_("Publicity list"))
    sheet.append(title_row(sheet, publicity.title))
    sheet.append(title_row(sheet, _("Objections until %(end)s") % {"end": publicity.ends_on.isoformat()}))
    sheet.append(header_row(sheet, [_("No."), _("Enterprise"), _("Project"), _("Category"), _("County"),
                                    _("Proposed award (10,000 yuan)")]))
    total = Decimal("0")
    for entry in publicity.entries.all():
        total += entry.amount
        sheet.append([cell(sheet, entry.number), cell(sheet, entry.enterprise_name), cell(sheet, entry.project_name),
                      cell(sheet, entry.category_name), cell(sheet, entry.county_name),
                      cell(sheet, to_wan(entry.amount), number_format=WAN)])
    sheet.append([cell(sheet, ""), cell(sheet, _("Total"), bold=True), cell(sheet, ""), cell(sheet, ""),
                  cell(sheet, ""), cell(sheet, to_wan(total), number_format=WAN)])
    return workbook_response(workbook, f"publicity-{publicity.pk}.xlsx")


def support_list_xlsx(support_list, entries):
    workbook, sheet = new_workbook(_("Support list"))
    sheet.append(title_row(sheet, support_list.title))
    sheet.append(header_row(sheet, [_("Enterprise"), _("Project"), _("Category"), _("County"),
                                    _("Award (10,000 yuan)")]))
    for entry in entries:
        sheet.append([cell(sheet, entry.enterprise_name), cell(sheet, entry.project_name),
                      cell(sheet, entry.category_name), cell(sheet, entry.application.county.name),
                      cell(sheet, to_wan(entry.amount), number_format=WAN)])
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
