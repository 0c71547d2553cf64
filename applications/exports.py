"""XLSX exports of a filtered list, including the county's 申报汇总表. Chinese headers, amounts in 万元."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from core.xlsx import cell, header_row, new_workbook, title_row, workbook_response

from .selectors import INACTIVE

TEN_THOUSAND = Decimal(10000)
WAN_FORMAT = "#,##0.00"


def _wan(value):
    return None if value is None else (value / TEN_THOUSAND).quantize(Decimal("0.01"))


def _columns(staff):
    columns = [
        (_("Receipt number"), lambda a: a.receipt_no),
        (_("Fund year"), lambda a: a.round.year),
        (_("Category"), lambda a: a.category.name),
        (_("Enterprise"), lambda a: a.enterprise.name),
        (_("Unified social credit code"), lambda a: a.enterprise.credit_code or ""),
        (_("County"), lambda a: a.county.name),
        (_("Above designated size"), lambda a: _("Yes") if a.enterprise.is_above_scale else _("No")),
        (_("Project name"), lambda a: a.project_name),
        (_("Construction type"), lambda a: a.get_construction_type_display()),
        (_("Total investment (10,000 yuan)"), lambda a: _wan(a.total_investment)),
        (_("Eligible investment (10,000 yuan)"), lambda a: _wan(a.eligible_investment)),
        (_("Equipment investment (10,000 yuan)"), lambda a: _wan(a.equipment_investment)),
        (_("Requested amount (10,000 yuan)"), lambda a: _wan(a.requested_amount)),
        (_("Status"), lambda a: a.get_status_display()),
        (_("County rank"), lambda a: a.county_rank),
        (_("County opinion"), lambda a: a.county_opinion),
        (_("Submitted on"), lambda a: f"{timezone.localtime(a.first_submitted_at):%Y-%m-%d %H:%M}"
         if a.first_submitted_at else ""),
        (_("Other subsidy"), lambda a: a.other_subsidy_detail if a.other_subsidy else ""),
    ]
    if staff:
        columns.append((_("Possible duplicate"), _duplicate_text))
    return columns


def _duplicate_text(application):
    if application.status in INACTIVE:
        return ""
    reasons = []
    if getattr(application, "dup_category", False):
        reasons.append(_("two applications in one category"))
    if getattr(application, "dup_file", False):
        reasons.append(_("same file as another enterprise"))
    if application.other_subsidy:
        reasons.append(_("other subsidy declared"))
    return _("; ").join(reasons)


def export_response(rows, *, user, summary=False, filters=None):
    """Stream ``rows`` (a queryset) into a write-only workbook and send it."""
    staff = user.has_perm("applications.see_staff_columns")
    columns = _columns(staff)
    if summary:  # 申报汇总表: rank first, the county and year in the title
        columns.insert(0, columns.pop(next(i for i, c in enumerate(columns) if c[0] == _("County rank"))))
    workbook, sheet = new_workbook(_("Applications"))
    money = {i for i, (label, _f) in enumerate(columns) if "(10,000 yuan)" in label or "万元" in label}
    now = timezone.localtime()
    if summary:
        first = rows.first()
        county = user.county.name if user.county_id else (first.county.name if first else "")
        year = first.round.year if first else now.year
        sheet.append(title_row(sheet, _("%(county)s %(year)s manufacturing high-quality development special fund: "
                                        "summary of applications") % {"county": county, "year": year}))
        sheet.append(title_row(sheet, _("Produced on %(date)s") % {"date": f"{now:%Y-%m-%d %H:%M}"}))
    sheet.append(header_row(sheet, [_("No.")] + [label for label, _f in columns]))
    for number, application in enumerate(rows.iterator(chunk_size=1000), start=1):
        values = [cell(sheet, number)]
        for i, (_label, getter) in enumerate(columns):
            value = getter(application)
            values.append(cell(sheet, value, number_format=WAN_FORMAT if i in money else None))
        sheet.append(values)
    kind = "summary" if summary else "applications"
    return workbook_response(workbook, f"{kind}-{now:%Y%m%d-%H%M}.xlsx")
