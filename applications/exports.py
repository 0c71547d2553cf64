"""XLSX exports of a filtered list, including the county's 申报汇总表. Chinese headers, amounts in 万元."""

from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import to_wan
from core.xlsx import Column, export_subtitle, new_workbook, workbook_response, write_sheet
from credit.selectors import hits_by_code

from .duplicates import INACTIVE, duplicate_sets
from .models import Round
from .models.application import ConstructionType
from .workflow import Status

# The fields an export reads, as values (no model instances: an application, its enterprise, category, county
# and call each would be built for every row); the duplicate flags, when the list annotated them, are read for
# the whole file at once (duplicates.duplicate_sets).
FIELDS = (
    "receipt_no", "round__year", "category__name", "enterprise__name", "enterprise__credit_code", "county__name",
    "enterprise__is_above_scale", "project_name", "construction_type", "total_investment", "eligible_investment",
    "equipment_investment", "requested_amount", "status", "county_rank", "county_opinion", "first_submitted_at",
    "other_subsidy", "other_subsidy_detail",
)
FLAGS = ("dup_category", "dup_file")


def _columns(staff):
    """(Column, getter) pairs; a getter takes a row of FIELDS as a dict. Labels are translated once per file,
    not once per row (``get_status_display`` hashes every choice's lazy label, a translation lookup each, on
    every call)."""
    def money(label, field):
        return Column(label, 16, "money"), lambda a: to_wan(a[field])

    yes, no = _("Yes"), _("No")
    statuses = {value: str(label) for value, label in Status.choices}
    types = {value: str(label) for value, label in ConstructionType.choices}

    columns = [
        (Column(_("Receipt number"), 18), lambda a: a["receipt_no"]),
        (Column(_("Fund year"), 8, "int"), lambda a: a["round__year"]),
        (Column(_("Category"), 20), lambda a: a["category__name"]),
        (Column(_("Enterprise"), 30), lambda a: a["enterprise__name"]),
        (Column(_("Unified social credit code"), 22), lambda a: a["enterprise__credit_code"] or ""),
        (Column(_("County"), 10), lambda a: a["county__name"]),
        (Column(_("Above designated size"), 8), lambda a: yes if a["enterprise__is_above_scale"] else no),
        (Column(_("Project name"), 36), lambda a: a["project_name"]),
        (Column(_("Construction type"), 12), lambda a: types.get(a["construction_type"], a["construction_type"])),
        money(_("Total investment (10,000 yuan)"), "total_investment"),
        money(_("Eligible investment (10,000 yuan)"), "eligible_investment"),
        money(_("Equipment investment (10,000 yuan)"), "equipment_investment"),
        money(_("Requested amount (10,000 yuan)"), "requested_amount"),
        (Column(_("Status"), 12), lambda a: statuses.get(a["status"], a["status"])),
        (Column(_("County rank"), 8, "int"), lambda a: a["county_rank"]),
        (Column(_("County opinion"), 30), lambda a: a["county_opinion"]),
        (Column(_("Submitted on"), 16, "datetime"), lambda a: a["first_submitted_at"]),
        (Column(_("Other subsidy"), 30), lambda a: a["other_subsidy_detail"] if a["other_subsidy"] else ""),
    ]
    if staff:
        texts = {"separator": _("; "), "dup_category": _("two applications in one category"),
                 "dup_file": _("same file as another enterprise"), "other_subsidy": _("other subsidy declared")}
        columns.append((Column(_("Possible duplicate"), 24), lambda a: _duplicate_text(a, texts)))
        columns.append((Column(_("Credit screening"), 36), lambda a: _credit_text(a, texts["separator"])))
    return columns


def _credit_text(application, separator):
    """The credit lists naming the enterprise ("list · published by · date"), from ``credit_hits`` set by the
    export (one query for the whole file)."""
    return separator.join(f"{hit['list']} · {hit['source']} · {hit['date']}"
                          for hit in application.get("credit_hits", ()))


def _duplicate_text(application, texts):
    """Why the application may be a duplicate; ``texts``: the reasons and the separator, translated once per
    file."""
    if application["status"] in INACTIVE:
        return ""
    reasons = [texts[flag] for flag in FLAGS if application.get(flag, False)]
    if application["other_subsidy"]:
        reasons.append(texts["other_subsidy"])
    return texts["separator"].join(reasons)


def _years(rows, now, filters):
    """The fund year(s) the rows hold; the chosen call's year when it has none (the title names the filter)."""
    years = sorted(set(rows.order_by().values_list("round__year", flat=True).distinct()))
    if not years and (filters or {}).get("round"):
        years = list(Round.objects.filter(pk=filters["round"]).values_list("year", flat=True))
    if not years:
        return str(now.year)
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _scope(user, form, filters):
    if user.county_id:
        return user.county.name
    county = (filters or {}).get("county")
    if county and form is not None and "county" in form.fields:
        return str(dict(form.fields["county"].choices).get(county, ""))
    return _("whole city")


def export_workbook(rows, *, user, summary=False, filters=None, form=None, progress=None):
    """Stream ``rows`` (a queryset of applications, read as values of FIELDS) into a write-only workbook:
    (workbook, file name). The title names the year(s) and the county, the second row the filters and the time
    it was produced. ``progress(done)`` is called every 100 rows (a background export reports it on its job)."""
    staff = user.has_perm("applications.see_staff_columns")
    columns = _columns(staff)
    if summary:  # 申报汇总表: rank first
        columns.insert(0, columns.pop(next(i for i, (c, _f) in enumerate(columns) if c.header == _("County rank"))))
    now = timezone.localtime()
    names = {"scope": _scope(user, form, filters), "year": _years(rows, now, filters)}
    if summary:
        title = _("%(county)s %(year)s manufacturing high-quality development special fund: summary of "
                  "applications") % {"county": names["scope"], "year": names["year"]}
    else:
        title = _("%(scope)s %(year)s manufacturing high-quality development special fund: list of applications") \
            % names
    subtitle = export_subtitle(form, filters)

    hits = hits_by_code(rows.order_by().values("enterprise__credit_code")) if staff else {}

    # the duplicate flags of the whole file in two set-wise statements, not two subqueries per row
    flagged = duplicate_sets(rows) if staff and any(flag in rows.query.annotations for flag in FLAGS) else {}

    def data():
        for number, application in enumerate(rows.values("id", *FIELDS).iterator(chunk_size=2000), start=1):
            for flag, ids in flagged.items():
                application[flag] = application["id"] in ids
            application["credit_hits"] = hits.get(application["enterprise__credit_code"], ())
            if progress is not None and number % 100 == 0:
                progress(number)
            yield [number, *(getter(application) for _c, getter in columns)]

    workbook = new_workbook()
    write_sheet(workbook, title, subtitle, [Column(_("No."), 6, "int"), *(c for c, _g in columns)], data(),
                name=_("Applications"))
    kind = "summary" if summary else "applications"
    return workbook, f"{kind}-{now:%Y%m%d-%H%M}.xlsx"


def export_response(rows, *, user, summary=False, filters=None, form=None):
    """The export as a download (a list small enough to be written while the user waits)."""
    workbook, filename = export_workbook(rows, user=user, summary=summary, filters=filters, form=form)
    return workbook_response(workbook, filename)
