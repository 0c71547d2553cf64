"""Every URL pattern of the project, and how to fill its arguments from the world (own or foreign object)."""

from django.urls import URLPattern, URLResolver, get_resolver

from .world import MISSING

EXCLUDED_NAMESPACES = {"admin"}
EXCLUDED_NAMES = {"set_language", "javascript-catalog", "bench-floor"}


def url_patterns(resolver=None, prefix=""):
    """[(qualified name, pattern)] for every named route, recursively, without admin and i18n."""
    resolver = resolver or get_resolver("zhengzhou_grants.urls")
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in EXCLUDED_NAMESPACES or entry.urlconf_name == "django.conf.urls.i18n":
                continue
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            found += url_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in EXCLUDED_NAMES:
            found.append((prefix + entry.name, entry))
    return found


def _pk(obj):
    return obj.pk if obj is not None else MISSING


def _x(getter):
    def make(w, side):
        try:
            return getter(w, w.side(side))
        except AttributeError:
            return MISSING
    return make


# name -> function(world, side) -> kwargs. Routes without an object argument are absent here.
ARGS = {
    "accounts:password_reset_confirm": lambda w, s: {"uidb64": "MQ", "token": "bad-token"},
    "accounts:colleague_deactivate": lambda w, s: {"pk": _pk(w.users["enterprise"] if s == "own"
                                                         else w.foreign_enterprise_user)},
    "accounts:enterprise": lambda w, s: {"pk": w.side(s).enterprise.pk},
    "accounts:enterprise_action": lambda w, s: {"pk": w.side(s).enterprise.pk, "action": "verify"},
    "applications:start": lambda w, s: {"category_id": w.panel.category_id},
    "applications:detail": lambda w, s: {"pk": w.side(s).app.pk},
    "applications:edit": lambda w, s: {"pk": w.side(s).draft.pk},
    "applications:submit": lambda w, s: {"pk": w.side(s).draft.pk},
    "applications:action": lambda w, s: {"pk": w.side(s).app.pk},
    "applications:download": lambda w, s: {"pk": w.side(s).app.pk, "attachment_id": _pk(w.side(s).attachment)},
    "applications:pdf": lambda w, s: {"pk": w.side(s).app.pk},
    "applications:re_review": lambda w, s: {"pk": w.side(s).app.pk},
    "applications:evidence_download": lambda w, s: {"pk": w.side(s).app.pk, "evidence_id": MISSING},
    "applications:compare": lambda w, s: {"pk": w.side(s).app.pk},
    "applications:call_detail": lambda w, s: {"pk": w.round.pk},
    "applications:call_edit": lambda w, s: {"pk": w.round.pk},
    "applications:call_matches": lambda w, s: {"pk": w.round.pk},
    "applications:call_publish": lambda w, s: {"pk": w.round.pk},
    "applications:category_new": lambda w, s: {"round_pk": w.round.pk},
    "applications:category_edit": lambda w, s: {"round_pk": w.round.pk, "pk": w.panel.category_id},
    "public:call": lambda w, s: {"year": w.round.year},
    "api:call": lambda w, s: {"year": w.round.year},
    "api:application": lambda w, s: {"receipt_no": w.side(s).app.receipt_no or "none"},
    "api:indicators": lambda w, s: {"year": w.round.year},
    "api:statistics": lambda w, s: {"year": w.round.year},
    "api:token_revoke": lambda w, s: {"pk": MISSING},
    "credit:list": lambda w, s: {"pk": MISSING},
    "applications:credit_clearance": lambda w, s: {"pk": w.side(s).app.pk},
    "applications:credit_confirm": lambda w, s: {"pk": w.side(s).app.pk},
    "reviews:declare": _x(lambda w, s: {"pk": _pk(s.assignment)}),
    "reviews:score": _x(lambda w, s: {"pk": _pk(s.assignment)}),
    "reviews:assignment_file": _x(lambda w, s: {"pk": _pk(s.assignment), "attachment_pk": _pk(s.attachment)}),
    "reviews:score_reopen": lambda w, s: {"pk": MISSING},
    "reviews:panel_summary": lambda w, s: {"pk": w.panel.pk},
    "reviews:expert_edit": lambda w, s: {"pk": _pk(getattr(w.side(s).assignment, "expert", None))},
    "reviews:expert_scores_xlsx": lambda w, s: {"expert_pk": _pk(getattr(w.side(s).assignment, "expert", None))},
    "reviews:round": lambda w, s: {"round_pk": w.round.pk},
    "reviews:config": lambda w, s: {"round_pk": w.round.pk},
    "reviews:panel_new": lambda w, s: {"category_pk": w.panel.category_id},
    "reviews:rubric": lambda w, s: {"category_pk": w.panel.category_id},
    "reviews:panel_detail": lambda w, s: {"pk": w.panel.pk},
    "reviews:panel_members": lambda w, s: {"pk": w.panel.pk},
    "reviews:panel_action": lambda w, s: {"pk": w.panel.pk, "action": "close"},
    "reviews:panel_scores_xlsx": lambda w, s: {"pk": w.panel.pk},
    "reviews:assignment_remove": _x(lambda w, s: {"pk": _pk(s.assignment)}),
    "reviews:results": lambda w, s: {"round_pk": w.round.pk},
    "reviews:ranking_xlsx": lambda w, s: {"round_pk": w.round.pk},
    "reviews:award": lambda w, s: {"app_pk": w.side(s).app.pk},
    "reviews:not_selected": lambda w, s: {"app_pk": w.side(s).app.pk},
    "reviews:audit_assign": lambda w, s: {"round_pk": w.round.pk},
    "reviews:audit_detail": _x(lambda w, s: {"pk": _pk(s.audit)}),
    "reviews:audit_report": _x(lambda w, s: {"pk": _pk(s.audit)}),
    "reviews:publicity_detail": lambda w, s: {"pk": MISSING},
    "reviews:publicity_action": lambda w, s: {"pk": MISSING, "action": "publish"},
    "reviews:publicity_xlsx": lambda w, s: {"pk": MISSING},
    "reviews:publicity_pdf": lambda w, s: {"pk": MISSING},
    "reviews:objection_handle": lambda w, s: {"pk": MISSING},
    "reviews:support_list_detail": lambda w, s: {"pk": MISSING},
    "reviews:support_list_action": lambda w, s: {"pk": MISSING, "action": "approve"},
    "reviews:support_list_xlsx": lambda w, s: {"pk": MISSING},
    "publicity:detail": lambda w, s: {"pk": MISSING},
    "publicity:notice_pdf": lambda w, s: {"pk": MISSING},
    "disbursements:payment_cancel": lambda w, s: {"pk": w.side(s).payment.pk},
    "disbursements:payment_detail": lambda w, s: {"pk": w.side(s).payment.pk},
    "disbursements:payment_retry": lambda w, s: {"pk": w.side(s).payment.pk},
    "disbursements:payment_failure": lambda w, s: {"pk": w.side(s).payment.pk},
    "accounts:bank_change": lambda w, s: {"pk": MISSING},
    "disbursements:commitment_detail": lambda w, s: {"pk": w.side(s).commitment.pk},
    # the world's payments are sent, not paid: no funded project yet, so only the 403/404 layer is checked
    "aftercare:detail": lambda w, s: {"pk": w.side(s).commitment.pk},
    "aftercare:report": lambda w, s: {"pk": w.side(s).commitment.pk},
    "aftercare:inspection": lambda w, s: {"pk": w.side(s).commitment.pk},
    "aftercare:decision": lambda w, s: {"pk": w.side(s).commitment.pk},
    "aftercare:clawback": lambda w, s: {"pk": w.side(s).commitment.pk},
    "aftercare:clawback_confirm": lambda w, s: {"pk": w.side(s).commitment.pk},
    "aftercare:clawback_withdraw": lambda w, s: {"pk": w.side(s).commitment.pk},
    "aftercare:refund": lambda w, s: {"pk": w.side(s).commitment.pk},
    "aftercare:file": lambda w, s: {"pk": w.side(s).commitment.pk, "file_id": MISSING},
    "aftercare:followup_detail": lambda w, s: {"pk": w.side(s).followup.pk},
    "aftercare:followup_submit": lambda w, s: {"pk": w.side(s).followup.pk},
    "aftercare:followup_verify": lambda w, s: {"pk": w.side(s).followup.pk},
    "aftercare:followup_return": lambda w, s: {"pk": w.side(s).followup.pk},
    "disbursements:batch_detail": lambda w, s: {"pk": w.batch.pk},
    "disbursements:bank_file": lambda w, s: {"pk": w.batch.pk},
    "disbursements:return_template": lambda w, s: {"pk": w.batch.pk},
    "disbursements:batch_action": lambda w, s: {"pk": w.batch.pk, "action": "approve"},
    "disbursements:reconciliation_detail": lambda w, s: {"pk": MISSING},
    "disbursements:programme_detail": lambda w, s: {"pk": MISSING},
    "disbursements:tender_create": lambda w, s: {"pk": MISSING},
    "disbursements:contract_detail": lambda w, s: {"pk": MISSING},
    "disbursements:target_create": lambda w, s: {"pk": MISSING},
    "disbursements:contract_complete": lambda w, s: {"pk": MISSING},
    "disbursements:contract_accept": lambda w, s: {"pk": MISSING},
    "disbursements:report_create": lambda w, s: {"pk": MISSING},
    "disbursements:report_download": lambda w, s: {"pk": MISSING},
    "evaluation:evidence_download": lambda w, s: {"pk": MISSING},
    "evaluation:evidence_delete": lambda w, s: {"pk": MISSING},
    "core:notification_mark_read": lambda w, s: {"pk": MISSING},
    "core:job": lambda w, s: {"pk": MISSING},
    "core:job_progress": lambda w, s: {"pk": MISSING},
    "core:job_download": lambda w, s: {"pk": MISSING},
    "evaluation:survey_answer": _x(lambda w, s: {"pk": _pk(s.survey)}),
}
YEAR_ROUTES_EXTRA = {
    "evaluation:year_transition": {"action": "close"},
    "evaluation:indicator_detail": {"number": 1}, "evaluation:indicator_edit": {"number": 1},
    "evaluation:indicator_delete": {"number": 1}, "evaluation:deviation_reason": {"number": 1},
    "evaluation:judgement": {"number": 1}, "evaluation:evidence_upload": {"number": 1},
    "evaluation:survey_detail": {"pk": "survey"}, "evaluation:survey_transition": {"pk": "survey", "action": "close"},
    "evaluation:monitoring_detail": {"pk": MISSING}, "evaluation:monitoring_export": {"pk": MISSING},
    "evaluation:report_job": {"pk": MISSING}, "evaluation:report_progress": {"pk": MISSING},
    "evaluation:report_download": {"pk": MISSING, "kind": "pdf"},
}


def route_kwargs(name, pattern, world, side):
    """The kwargs for ``name`` with the own or foreign object, or {} for a route without arguments."""
    if name in ARGS:
        return ARGS[name](world, side)
    if "year" in pattern.pattern.converters:
        kwargs = {"year": world.year.year}
        for key, value in YEAR_ROUTES_EXTRA.get(name, {}).items():
            kwargs[key] = _pk(world.side(side).survey) if value == "survey" else value
        return kwargs
    return {}


def takes_object(pattern):
    return bool(pattern.pattern.converters) or "(?P<" in str(pattern.pattern)
