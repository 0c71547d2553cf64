"""How the review stage's audit rows read (their ``data`` through core.audit_notes)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit_notes import choice_format

from .aggregation import Method
from .conflicts import LABELS


def _conflicts(values, data):
    reasons = _(", ").join(str(LABELS.get(code, code)) for code in data.get("conflict_reasons") or [])
    text = _("Excluded: %(experts)s") % {"experts": values.get("excluded_user", "—")}
    return _("%(text)s (%(reasons)s)") % {"text": text, "reasons": reasons} if reasons else text


def _results(values, data):
    method = dict(Method.choices).get(data.get("method"), data.get("method") or "—")
    return _("%(applications)s applications ranked by %(method)s; %(outlier_scores)s outlier scores") % {
        **values, "method": method}


NOTE_FORMATS = {
    "application.start_review": gettext_lazy("Panel: %(panel)s"),
    "application.close_review": gettext_lazy("Panel score %(panel_score)s, rank %(rank)s"),
    "application.submit_audit": gettext_lazy("Audited investment %(audited_investment_yuan)s, audited amount "
                                             "%(audited_amount_yuan)s; recomputed award %(recomputed_award_yuan)s"),
    "application.publish": gettext_lazy("Publicity: %(publicity)s"),
    "application.pass_publicity": gettext_lazy("Publicity: %(publicity)s"),
    "application.disqualify": choice_format("objection_upheld", {True: gettext_lazy("Objection upheld")}),
    "application.budget_list": gettext_lazy("%(support_list)s: %(amount_yuan)s"),
    "review.conflicts_excluded": _conflicts,
    "assignment.created": choice_format("how", {
        "automatic": gettext_lazy("Assigned automatically"),
        "by_hand": gettext_lazy("Assigned by hand"),
        "replacement": gettext_lazy("Replaces %(replaced_user)s after a declared conflict"),
    }),
    "assignment.no_replacement": gettext_lazy("No eligible panel member left to replace %(replaced_user)s"),
    "panel.auto_assign": gettext_lazy("%(assignments_created)s assignments created, %(applications_short)s "
                                      "applications short of experts"),
    "panel.members": (gettext_lazy("Members: %(members_user)s; chair: %(chair_user)s"),),
    "panel.results": _results,
    "rubric.criterion_saved": (gettext_lazy("%(previous)s → %(criterion)s, %(max_points)s points"),
                               gettext_lazy("%(criterion)s, %(max_points)s points")),
    "rubric.criterion_deleted": gettext_lazy("%(criterion)s, %(max_points)s points"),
    "score.saved": gettext_lazy("Total %(total_points)s points"),
    "score.submit": gettext_lazy("Total %(total_points)s points"),
    "award.computed": (gettext_lazy("%(base_yuan)s × %(award_rate)s = %(uncapped_yuan)s, above the cap of "
                                    "%(cap_yuan)s, so %(award_yuan)s"),
                       gettext_lazy("%(base_yuan)s × %(award_rate)s = %(award_yuan)s")),
    "award.scaled": (gettext_lazy("Category %(category)s: budget %(budget_yuan)s, %(proposals)s proposals, "
                                  "total before %(total_before_yuan)s, adjusted awards %(adjusted_yuan)s, "
                                  "scaled: %(scaled)s"),
                     gettext_lazy("Call %(call)s: budget %(budget_yuan)s, %(proposals)s proposals, total before "
                                  "%(total_before_yuan)s, adjusted awards %(adjusted_yuan)s, scaled: %(scaled)s")),
    "award.adjusted": gettext_lazy("%(before_yuan)s → %(after_yuan)s"),
    "audit.assigned": gettext_lazy("Audit firm: %(firm)s"),
    "audit.reassigned": gettext_lazy("Audit firm: %(previous_firm)s → %(firm)s"),
    "audit.saved": gettext_lazy("Audited investment %(audited_investment_yuan)s, audited amount "
                                "%(audited_amount_yuan)s"),
    "publicity.publish": gettext_lazy("%(entries)s entries, objections until %(objections_until)s"),
    "objection.received": (gettext_lazy("From %(objector)s on %(entry)s"),),
    "support_list.created": gettext_lazy("%(entries)s entries"),
    "support_list.refreshed": gettext_lazy("%(entries_added)s entries added"),
    "support_list.entry_removed": gettext_lazy("%(enterprise)s (%(amount_yuan)s)"),
    "expert.created": gettext_lazy("%(expert_user)s, %(employer)s"),
    "expert.updated": gettext_lazy("Changed: %(fields)s"),
    "review_config.updated": gettext_lazy("Changed: %(fields)s"),
}
