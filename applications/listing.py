"""The list table and its filter bar rendered in Python.

The list pages are the busiest pages of the platform (every county and the city, all October). Rendering
50 rows × 10 cells and ~60 menu options through the template engine cost several times the page's SQL, so
these two parts are built here with ``format_html`` (which escapes every value) in one pass each.
"""

import html

from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.filter_bar import filter_bar_html
from core.money import format_wan

from .templatetags.applications_tags import status_badge, status_badges

SEARCH_COLS = "col-12 col-md-6 col-xl-4"


def filter_html(form, *, search=True):
    """The filter bar's fields (core.filter_bar), the search box (first) wider than the rest; without ``search``
    the other fields only (the bar of a list that is searched only: ``search_html`` comes first)."""
    return filter_bar_html(form, cols="col-6 col-md-3 col-xl-2", wide={"q": SEARCH_COLS},
                           fields=None if search else (lambda name: name != "q"))


def search_html(form):
    """The filter bar's search box alone (its field ``q``), as ``filter_html`` shows it."""
    return filter_bar_html(form, wide={"q": SEARCH_COLS}, fields=lambda name: name == "q")


def table_html(rows, *, duplicates, detail_base, empty, names, batch=None, is_enterprise=False, show_county=False):
    """The whole <table>: header, the rows (rows_html), or one row saying what to do when there are none."""
    esc = html.escape
    # gettext calls stay outside the f-strings: xgettext does not look inside them (tests/core/test_i18n_gaps.py)
    text = {key: esc(msg) for key, msg in {
        "all": _("Select all"), "receipt": _("Receipt number"), "enterprise": _("Enterprise"),
        "project": _("Project name"), "category": _("Category"), "county": _("County"),
        "requested": _("Requested (10,000 yuan)"), "status": _("Status"), "submitted": _("Submitted on"),
        "rank": _("Rank"), "duplicate": _("Possible duplicate")}.items()}
    head = []
    if batch is not None:
        head.append(f'<th scope="col"><input type="checkbox" class="form-check-input" data-select-all="selected" '
                    f'aria-label="{text["all"]}"></th>')
    head.append(f'<th scope="col">{text["receipt"]}</th>')
    if not is_enterprise:
        head.append(f'<th scope="col">{text["enterprise"]}</th>')
    head.append(f'<th scope="col" class="project">{text["project"]}</th>'
                f'<th scope="col" class="hide-sm">{text["category"]}</th>')
    if show_county:
        head.append(f'<th scope="col" class="hide-sm">{text["county"]}</th>')
    head.append(f'<th scope="col" class="num hide-sm">{text["requested"]}</th>'
                f'<th scope="col">{text["status"]}</th><th scope="col" class="hide-sm">{text["submitted"]}</th>')
    if not is_enterprise:
        head.append(f'<th scope="col" class="num">{text["rank"]}</th><th scope="col"><span class="visually-hidden">'
                    f'{text["duplicate"]}</span></th>')
    body = rows_html(rows, duplicates=duplicates, detail_base=detail_base, names=names, batch=batch,
                     is_enterprise=is_enterprise, show_county=show_county) if rows else \
        f'<tr><td colspan="{len(head) + 2}" class="text-body-secondary py-4">{esc(str(empty))}</td></tr>'
    return mark_safe(  # noqa: S308 - every part above is escaped
        '<table class="table table-sm table-hover table-sticky app-table"><thead><tr>'
        f'{"".join(head)}</tr></thead><tbody>{body}</tbody></table>')


def rows_html(rows, *, duplicates, detail_base, names, batch=None, is_enterprise=False, show_county=False):
    """The <tr> rows of the application table from the dicts of selectors.application_rows.

    ``duplicates``: whether the user sees the duplicate checks (each row's ``possible_duplicate``, kept by
    applications.duplicates); ``names``: (category names by id,
    county names by id) from the cached filter menus.

    Built with f-strings for speed: every value that is not a constant of this function goes through
    ``esc`` (html.escape, quotes included) before it is placed, so the result can be marked safe.
    """
    esc = html.escape
    category_names = {pk: esc(name) for pk, name in names[0].items()}
    county_names = {pk: esc(name) for pk, name in names[1].items()}
    badges = status_badges()
    waiting, unverified_text = esc(_("Waiting for verification")), esc(_("unverified"))
    see_duplicate, duplicate_text = esc(_("Possible duplicate: see the application")), esc(_("duplicate?"))
    unverified = f' <span class="badge text-bg-light border" title="{waiting}">{unverified_text}</span>'
    duplicate = f'<span class="badge text-bg-warning" title="{see_duplicate}">{duplicate_text}</span>'
    draft_label, untitled = esc(_("Draft")), esc(_("(untitled draft)"))
    select_label, rank_label = esc(_("Select")), esc(_("Rank"))
    rank_input = batch is not None and batch.get("rank")
    base = esc(detail_base)
    out = []
    for app in rows:
        pk = int(app["id"])
        status = app["status"]
        selectable = batch is not None and status == batch["status"]
        link = f"{base}{pk}/"
        receipt = esc(app["receipt_no"]) or draft_label
        project = esc(app["project_name"])
        cells = []
        if batch is not None:
            cells.append(f'<td><input type="checkbox" class="form-check-input" name="selected" value="{pk}" '
                         f'aria-label="{select_label} {receipt}"></td>' if selectable else "<td></td>")
        cells.append(f'<td class="text-nowrap"><a href="{link}">{receipt}</a></td>')
        if is_enterprise:
            cells.append(f'<td class="project"><a href="{link}">{project or untitled}</a></td>')
        else:
            flag = "" if app["enterprise__is_verified"] else unverified
            cells.append(f'<td class="enterprise">{esc(app["enterprise__name"])}{flag}</td>'
                         f'<td class="project">{project}</td>')
        cells.append(f'<td class="hide-sm text-nowrap">{category_names.get(app["category_id"], "")}</td>')
        if show_county:
            cells.append(f'<td class="hide-sm county">{county_names.get(app["county_id"], "")}</td>')
        submitted = f"{_local(app['first_submitted_at']):%Y-%m-%d}" if app["first_submitted_at"] else ""
        cells.append(f'<td class="num hide-sm">{esc(format_wan(app["requested_amount"]))}</td>'
                     f'<td>{badges.get(status) or status_badge(status)}</td>'
                     f'<td class="hide-sm text-nowrap">{submitted}</td>')
        if not is_enterprise:
            if rank_input and selectable:
                rank = (f'<label class="visually-hidden" for="rank-{pk}">{rank_label}</label><input '
                        f'class="form-control form-control-sm rank-input" type="number" min="1" max="999" '
                        f'name="rank_{pk}" id="rank-{pk}">')
            else:
                rank = int(app["county_rank"]) if app["county_rank"] else ""
            flagged = duplicates and app["possible_duplicate"]
            cells.append(f'<td class="num">{rank}</td><td>{duplicate if flagged else ""}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    return mark_safe("\n".join(out))  # noqa: S308 - every interpolated value went through esc() above


def _local(value):
    return value.astimezone(timezone.get_current_timezone())
