"""The expert's list (我的评审) rows rendered in Python: 20 rows of a link, badges and a score each cost the
template engine several times the page's SQL. Every value is escaped with ``html.escape`` before it is placed;
the markup is the template's."""

import html

from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext

from core.web import pk_url

from .templatetags.reviews_tags import score, status_badge


def assignment_rows_html(rows):
    """The <tr> of each row of ``reviews.selectors.my_assignments``: receipt number, enterprise, project, panel,
    where it stands, total, and the step to take."""
    esc = html.escape
    declare_url, score_url = pk_url("reviews:declare"), pk_url("reviews:score")
    to_declare, to_score = esc(gettext("To declare")), esc(gettext("To score"))
    declare, score_it, view = esc(gettext("Declare")), esc(gettext("Score it")), esc(gettext("View"))
    out = []
    for a in rows:
        enterprise = esc(a.enterprise_name)
        if a.stage == 0:
            status = f'<span class="badge text-bg-warning">{to_declare}</span>'
            step = f'<a class="btn btn-sm btn-primary" href="{declare_url(a.pk)}">{declare}</a>'
        elif a.stage == 1:
            status = str(status_badge("score", a.score_status)) if a.score_status else \
                f'<span class="badge text-bg-primary">{to_score}</span>'
            step = f'<a class="btn btn-sm btn-primary" href="{score_url(a.pk)}">{score_it}</a>'
        else:
            status = str(status_badge("panel", a.panel_status))
            step = (f'<a class="btn btn-sm btn-outline-secondary" href="{score_url(a.pk)}">{view}</a>'
                    if a.status == "confirmed" else "")
        total = esc(score(a.score_total)) if a.score_status else ""
        out.append(f'<tr><td class="text-nowrap">{esc(a.receipt_no or "")}</td>'
                   f'<td class="d-none d-md-table-cell">{enterprise}</td><td>{esc(a.project_name)}'
                   f'<div class="small text-body-secondary d-md-none">{enterprise}</div></td>'
                   f'<td class="d-none d-lg-table-cell">{esc(a.panel_name)}</td><td>{status}</td>'
                   f'<td class="num">{total}</td><td class="text-end text-nowrap">{step}</td></tr>')
    return mark_safe("\n".join(out))  # noqa: S308 - every value escaped above, the badges by format_html


def chair_score_rows_html(scores, *, csrf_token, next_url):
    """The <tr> of each submitted score on the chair's page (``reviews.selectors.chair_score_rows``): application,
    panel, expert, when submitted, and the reopen form (the markup of reviews/includes/reason_form.html). The
    forms share the request's CSRF token, masked once."""
    esc = html.escape
    reopen_url = pk_url("reviews:score_reopen")
    label, button = esc(gettext("Reason for reopening")), esc(gettext("Reopen"))
    hidden = (f'<input type="hidden" name="csrfmiddlewaretoken" value="{esc(csrf_token)}">'
              f'\n  <input type="hidden" name="next" value="{esc(next_url)}">')
    out = []
    for s in scores:
        enterprise = esc(s.enterprise_name)
        submitted = localtime(s.submitted_at).strftime("%Y-%m-%d %H:%M") if s.submitted_at else ""
        out.append(
            f'<tr><td class="text-nowrap">{esc(s.receipt_no or "")}</td>'
            f'<td class="d-none d-md-table-cell">{enterprise}</td><td>{esc(s.project_name)}'
            f'<div class="small text-body-secondary d-md-none">{enterprise}</div></td>'
            f'<td class="d-none d-lg-table-cell">{esc(s.panel_name)}</td>'
            f'<td class="text-nowrap">{esc(s.expert_name)}</td>'
            f'<td class="text-nowrap d-none d-md-table-cell">{submitted}</td>'
            f'<td><details class="reopen"><summary class="small text-nowrap">{button}</summary>\n'
            f'<form method="post" action="{reopen_url(s.pk)}" class="reason-form">{hidden}\n'
            f'  <label class="form-label small mb-1" for="reason-{s.pk}">{label} <span class="required-mark" '
            f'aria-hidden="true">*</span></label>\n'
            f'  <textarea class="form-control form-control-sm mb-1" name="reason" id="reason-{s.pk}" rows="2" '
            f'required maxlength="2000"></textarea>\n'
            f'  <button type="submit" class="btn btn-sm btn-outline-warning">{button}</button>\n</form></details></td>'
            f'</tr>')
    return mark_safe("\n".join(out))  # noqa: S308 - every value escaped above


def panel_options_html(panels, selected):
    """The <option> of each panel of the expert's filter (``panels``: the dicts of ``selectors.my_panels`` with their
    ``label``), ``selected`` (a panel id or None) marked."""
    esc = html.escape
    return mark_safe("".join(  # noqa: S308 - the label escaped, the id an integer
        f'<option value="{int(p["pk"])}"{" selected" if selected == p["pk"] else ""}>{esc(p["label"])}</option>'
        for p in panels))
