"""The follow-up reports' XLSX export (core.xlsx): the reports of the list's filter, amounts in 万元."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.money import to_wan
from core.xlsx import Column, export_subtitle, new_workbook, write_sheet

from .exports import scope_label
from .followup_forms import FollowupFilterForm


def followup_workbook(user, rows, filters):
    """``rows``: followup_selectors.followup_list; ``filters``: the list's {search, tab, year, fund_year}."""
    columns = [Column(_("Receipt number"), 18), Column(_("Enterprise"), 30), Column(_("Project"), 36),
               Column(_("County"), 12), Column(_("Year reported"), 10, "int"), Column(_("Due on"), 12, "date"),
               Column(_("Status"), 16), Column(_("Revenue (10,000 yuan)"), 16, "money"),
               Column(_("Taxes paid (10,000 yuan)"), 16, "money"), Column(_("Employees"), 10, "int"),
               Column(_("Energy use (tce)"), 14, "number"),
               Column(_("Output of the funded line (10,000 yuan)"), 16, "money"),
               Column(_("Explanation of large changes"), 30), Column(_("Submitted on"), 12, "date"),
               Column(_("Verified on"), 12, "date")]
    today = clock.today()

    def values():
        for row in rows.iterator(chunk_size=500):
            state = row.get_status_display() + (_("(overdue)") if row.is_overdue(today) else "")
            yield [row.commitment.application.receipt_no, row.commitment.payee.name,
                   row.commitment.application.project_name,
                   row.commitment.county.name if row.commitment.county else "", row.year, row.due_on, state,
                   to_wan(row.revenue), to_wan(row.taxes), row.jobs, row.energy, to_wan(row.output), row.explanation,
                   timezone.localdate(row.submitted_at) if row.submitted_at else None,
                   timezone.localdate(row.verified_at) if row.verified_at else None]

    workbook = new_workbook()
    subtitle = export_subtitle(FollowupFilterForm(), {
        "q": filters["search"], "status": filters["tab"], "year": filters["year"] or "",
        "fund_year": filters["fund_year"] or ""})
    title = _("Follow-up reports of the funded projects (%(scope)s)") % {"scope": scope_label(user)}
    write_sheet(workbook, title, subtitle, columns, values())
    return workbook
