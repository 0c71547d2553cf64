"""Malformed numbers and ids, generated from the URL conf: every numeric GET parameter and POST field of every
view gets "²", "１", "١", "1e3", "-1", "", 10,000 digits and NUL, as a role that may use the view. The answer is
below 500 (400, 403, 404, or the page again with a form error) and nothing changed: no new or removed rows, no
new audit row, no record's version or status moved.

INPUTS lists each view's numeric inputs; a URL name missing from it fails the suite, so a new view must say what
numbers it reads. Entries: (GET parameters, POST fields, role or None, route kwargs overrides). With role None
the first role the permission matrix lets GET the page (200, else 302) is used; POST-only views name theirs.
"""

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.roles import Role

from .matrixlib import ROLES, clients
from .routes import route_kwargs, takes_object, url_patterns
from .test_permission_matrix import EXPECTED, row_counts
from .world import build_world

pytestmark = pytest.mark.django_db

BAD_VALUES = ["²", "１", "١", "1e3", "-1", "", "9" * 10_000, "1\x00"]
PAGE = ("page",)
CITY, ENTERPRISE, EXPERT, AUDITOR = Role.CITY.value, Role.ENTERPRISE.value, Role.EXPERT.value, Role.AUDITOR.value
PREPARER, COUNTY = Role.FINANCE_PREPARER.value, Role.COUNTY.value

NONE = ((), (), None, {})
INPUTS = {
    "aftercare:list": (PAGE, (), None, {}),
    "aftercare:export": NONE,
    "aftercare:detail": NONE,
    "aftercare:file": NONE,
    "aftercare:report": ((), ("version", "actual_investment", "invoice_amount"), ENTERPRISE, {}),
    "aftercare:inspection": ((), ("version",), COUNTY, {}),
    "aftercare:decision": ((), ("version",), CITY, {}),
    "aftercare:clawback": ((), ("amount",), CITY, {}),
    "aftercare:clawback_confirm": ((), ("version",), CITY, {}),
    "aftercare:clawback_withdraw": ((), ("withdraw-version",), CITY, {}),
    "aftercare:refund": ((), ("amount",), PREPARER, {}),
    "aftercare:overdue": (PAGE, (), None, {}),
    "aftercare:overdue_export": NONE,
    "aftercare:followup_list": (PAGE + ("year", "fund_year"), (), None, {}),
    "aftercare:followup_export": (("year", "fund_year"), (), None, {}),
    "aftercare:followup_detail": NONE,
    "aftercare:followup_submit": ((), ("version", "revenue", "taxes", "jobs", "energy", "output", "base_revenue",
                                       "base_taxes", "base_jobs", "base_energy", "base_output"), ENTERPRISE, {}),
    "aftercare:followup_verify": ((), ("version",), COUNTY, {}),
    "aftercare:followup_return": ((), ("version",), COUNTY, {}),
    "api:application": NONE,
    # the token endpoints answer 401 to a browser session; their numbers are tested in tests/api/test_views.py
    "api:applications": NONE,
    "api:call": NONE,
    "api:calls": (("limit", "offset"), (), None, {}),
    "api:commitments": NONE,
    "api:docs": NONE,
    "api:indicators": NONE,
    "api:publicity": (("limit", "offset"), (), None, {}),
    "api:schema": NONE,
    "api:registry": NONE,
    "api:statistics": NONE,
    "api:support_lists": NONE,
    "api:token_new": ((), ("county",), None, {}),
    "api:token_revoke": NONE,
    "api:tokens": NONE,
    "applications:credit_clearance": NONE,
    "applications:credit_confirm": NONE,
    "credit:list": (PAGE, (), CITY, {}),
    "credit:lists": NONE,
    "credit:registry": ((), ("year",), CITY, {}),
    "credit:registry_template": NONE,
    "credit:template": NONE,
    "accounts:colleague_deactivate": ((), ("version",), ENTERPRISE, {}),
    "accounts:bank_change": NONE,
    "accounts:bank_changes": NONE,
    "accounts:colleagues": NONE,
    "accounts:company": (("edit",), ("version",), None, {}),
    "accounts:enterprise": NONE,
    "accounts:enterprise_action": ((), ("version",), CITY, {}),
    "accounts:enterprises": (("page", "county"), (), CITY, {}),
    "accounts:login": NONE,
    "accounts:logout": NONE,
    "accounts:password_change": NONE,
    "accounts:password_reset": NONE,
    "accounts:password_reset_complete": NONE,
    "accounts:password_reset_confirm": NONE,
    "accounts:password_reset_done": NONE,
    "accounts:profile": NONE,
    "accounts:register": ((), ("county",), None, {}),
    "accounts:two_factor": NONE,
    "applications:action": ((), ("rank", "version"), COUNTY, {}),
    "applications:apply": NONE,
    "applications:batch": ((), ("selected",), COUNTY, {}),
    "applications:call_detail": NONE,
    "applications:call_edit": ((), ("year", "total_budget", "version", "followup_years"), None, {}),
    "applications:call_matches": (("category", "county"), ("category",), CITY, {}),
    "applications:invitations_to_contact": (PAGE, (), COUNTY, {}),
    "applications:call_new": ((), ("year", "total_budget", "followup_years"), None, {}),
    "applications:call_publish": ((), ("publish", "version"), CITY, {}),
    "applications:calls": NONE,
    "applications:category_edit": ((), ("sort_order", "version", "rule-rate_percent", "rule-cap",
                                        "materials-TOTAL_FORMS", "materials-0-id", "materials-0-max_size_mb"),
                                   None, {}),
    "applications:category_new": ((), ("sort_order", "rule-rate_percent", "materials-TOTAL_FORMS",
                                       "materials-0-max_size_mb"), None, {}),
    "applications:compare": (("a", "b"), (), None, {}),
    "applications:detail": NONE,
    "applications:download": NONE,
    "applications:evidence_download": NONE,
    "applications:edit": ((), ("remove", "version", "requested_amount", "total_investment"), None, {}),
    "applications:export": (("round", "category", "county", "amount_min", "amount_max"), (), None, {}),
    "applications:list": (("page", "round", "category", "county", "amount_min", "amount_max"), (), CITY, {}),
    "applications:pdf": (("v",), (), ENTERPRISE, {}),
    "applications:re_review": ((), ("version",), ENTERPRISE, {}),
    "applications:start": NONE,
    "applications:submit": ((), ("version",), None, {}),
    "applications:summary": (("round", "category", "county"), (), None, {}),
    "core:audit_log": (PAGE, (), None, {}),
    "core:dashboard": NONE,
    "core:healthz": NONE,
    "core:home": NONE,
    "core:notifications": (PAGE, (), None, {}),
    "core:notifications_mark_read": ((), ("ids",), ENTERPRISE, {}),
    "core:notification_mark_read": ((), (), ENTERPRISE, {}),
    "core:job": ((), (), ENTERPRISE, {}),
    "core:job_progress": ((), (), ENTERPRISE, {}),
    "core:job_download": ((), (), ENTERPRISE, {}),
    "disbursements:bank_file": NONE,
    "disbursements:batch_action": ((), ("version",), Role.FINANCE_APPROVER.value, {}),
    "disbursements:batch_detail": NONE,
    "disbursements:batch_new": (("year",), ("payment", "commitment"), PREPARER, {}),
    "disbursements:batches": (PAGE, (), None, {}),
    "disbursements:budget": (("year",), (), None, {}),
    "disbursements:budget_entry_create": ((), ("fund_year",), PREPARER, {}),
    "disbursements:budget_export": (("year",), (), None, {}),
    "disbursements:commitment_detail": NONE,
    "disbursements:commitments": (("page", "year", "county"), (), CITY, {}),
    "disbursements:contract_accept": ((), ("version",), CITY, {}),
    "disbursements:contract_complete": ((), ("version",), CITY, {}),
    "disbursements:contract_detail": NONE,
    "disbursements:my_funds": NONE,
    "disbursements:payment_cancel": ((), ("version",), PREPARER, {}),
    "disbursements:payment_detail": NONE,
    "disbursements:payment_failure": ((), ("version",), PREPARER, {}),
    "disbursements:payment_retry": NONE,
    "disbursements:payment_rule_update": ((), ("days", "fund_year", "version"), CITY, {}),
    "disbursements:payments": (("page", "year"), (), CITY, {}),
    "disbursements:payments_export": (("year",), (), CITY, {}),
    "disbursements:programme_detail": NONE,
    "disbursements:programmes": ((), ("year",), None, {}),
    "disbursements:reconciliation_detail": NONE,
    "disbursements:reconciliations": (PAGE, ("batch",), PREPARER, {}),
    "disbursements:report_create": ((), ("version",), CITY, {}),
    "disbursements:report_download": NONE,
    "disbursements:return_template": NONE,
    "disbursements:target_create": ((), ("enterprise",), CITY, {}),
    "disbursements:tender_create": ((), ("provider", "version"), CITY, {}),
    "evaluation:county_comparison": (("year",), (), None, {}),
    "evaluation:county_comparison_export": (("year",), (), None, {}),
    "evaluation:deviation_reason": ((), ("version",), CITY, {}),
    "evaluation:evidence_delete": ((), ("version",), CITY, {}),
    "evaluation:evidence_download": NONE,
    "evaluation:evidence_upload": NONE,
    "evaluation:index": NONE,
    "evaluation:indicator_create": ((), ("number", "target_value", "weight"), None, {}),
    "evaluation:indicator_delete": ((), ("version",), CITY, {}),
    "evaluation:indicator_detail": NONE,
    "evaluation:indicator_edit": ((), ("number", "target_value", "weight", "version"), None, {}),
    "evaluation:indicator_list": NONE,
    "evaluation:judgement": ((), ("version",), CITY, {}),
    "evaluation:monitoring_detail": NONE,
    "evaluation:monitoring_export": NONE,
    "evaluation:monitoring_list": NONE,
    "evaluation:my_surveys": NONE,
    "evaluation:narrative": ((), ("v_funds",), None, {}),
    "evaluation:report": NONE,
    "evaluation:report_download": NONE,
    "evaluation:report_generate": NONE,
    "evaluation:report_job": NONE,
    "evaluation:report_progress": NONE,
    "evaluation:statistics": NONE,
    "evaluation:statistics_template": NONE,
    "evaluation:survey_answer": ((), ("q1",), None, {}),
    "evaluation:survey_create": ((), ("organisations",), None, {}),
    "evaluation:survey_detail": NONE,
    "evaluation:survey_list": NONE,
    "evaluation:survey_transition": ((), ("version",), CITY, {}),
    "evaluation:weights": ((), ("w1", "v1"), None, {}),
    "evaluation:year_create": ((), ("year", "copy_from"), CITY, {}),
    "evaluation:year_detail": NONE,
    "evaluation:year_settings": ((), ("manual_budget_original", "manual_spent", "version"), None, {}),
    "evaluation:year_transition": ((), ("version",), CITY, {}),
    "public:call": NONE,
    "public:calls": NONE,
    "publicity:detail": NONE,
    "publicity:index": NONE,
    "publicity:notice_pdf": NONE,
    "reviews:assignment_file": NONE,
    "reviews:assignment_remove": ((), ("version",), CITY, {}),
    "reviews:audit_assign": ((), ("firm", "applications"), None, {}),
    "reviews:audit_detail": ((), ("audited_investment", "audited_amount", "version"), AUDITOR, {}),
    "reviews:audit_list": NONE,
    "reviews:audit_report": NONE,
    "reviews:award": ((), ("version",), CITY, {}),
    "reviews:chair_scores": (("page", "panel"), (), EXPERT, {}),
    "reviews:config": ((), ("experts_per_application", "comment_required_below", "outlier_distance",
                           "publicity_working_days", "version"), None, {}),
    "reviews:declare": ((), ("has_conflict",), EXPERT, {}),
    "reviews:expert_edit": ((), ("county", "version"), None, {}),
    "reviews:expert_new": ((), ("county",), None, {}),
    "reviews:expert_scores_xlsx": NONE,
    "reviews:experts": (("page", "active"), (), None, {}),
    "reviews:home": NONE,
    "reviews:my_assignments": (("page", "panel"), (), EXPERT, {}),
    "reviews:my_scores_xlsx": NONE,
    "reviews:not_selected": ((), ("version",), CITY, {}),
    "reviews:objection_handle": ((), ("entry", "version"), CITY, {}),
    "reviews:panel_action": ((), ("application", "expert"), CITY, {"action": "assign"}),
    "reviews:panel_detail": NONE,
    "reviews:panel_members": ((), ("chair", "members", "version"), None, {}),
    "reviews:panel_new": ((), ("chair", "members"), CITY, {}),
    "reviews:panel_scores_xlsx": NONE,
    "reviews:panel_summary": NONE,
    "reviews:publicity_action": ((), ("version",), CITY, {}),
    "reviews:publicity_detail": NONE,
    "reviews:publicity_list": ((), ("round",), None, {}),
    "reviews:publicity_pdf": NONE,
    "reviews:publicity_xlsx": NONE,
    "reviews:ranking_xlsx": NONE,
    "reviews:results": NONE,
    "reviews:round": NONE,
    "reviews:rubric": (("edit",), ("criterion", "max_points", "order", "version"), None, {}),
    "reviews:score": ((), ("crit_1", "version"), None, {}),
    "reviews:score_reopen": ((), ("version",), CITY, {}),
    "reviews:support_list_action": ((), ("entry", "version"), CITY, {"action": "remove"}),
    "reviews:support_list_detail": NONE,
    "reviews:support_list_xlsx": NONE,
    "reviews:support_lists": ((), ("round",), None, {}),
}


def role_for(name, explicit):
    """The explicit role, else the first role the permission matrix lets open the page (own side)."""
    if explicit:
        return explicit
    row = EXPECTED.get((name, "own")) or EXPECTED[(name, "-")]
    answers = dict(zip(ROLES, row.split(), strict=True))
    for wanted in ("200", "302"):
        for role in ROLES:
            if answers[role] == wanted:
                return role
    raise AssertionError(f"{name}: no role may open this page; name one in INPUTS")


def state():
    """Row counts (as the permission matrix counts them) and every record's version and status."""
    snapshot = {"counts": row_counts()}
    for model in apps.get_models():
        names = {f.attname for f in model._meta.concrete_fields} & {"version", "status"}
        if names and model._meta.managed and not model._meta.proxy:
            fields = ["pk", *sorted(names)]
            snapshot[model._meta.label_lower] = sorted(model._default_manager.values_list(*fields))
    return snapshot


def test_every_view_lists_its_numeric_inputs():
    names = {name for name, _pattern in url_patterns()}
    missing = sorted(names - set(INPUTS))
    stale = sorted(set(INPUTS) - names)
    assert not missing, f"views without an entry in INPUTS (which numbers do they read?): {missing}"
    assert not stale, f"INPUTS rows for URLs that no longer exist: {stale}"


@pytest.mark.slow
def test_malformed_numbers_are_refused_without_a_change():
    world = build_world()
    made = clients(world)
    before = state()
    crashed, answered = [], set()
    for name, pattern in url_patterns():
        get_params, post_fields, explicit, overrides = INPUTS[name]
        if not get_params and not post_fields:
            continue
        role = role_for(name, explicit)
        kwargs = route_kwargs(name, pattern, world, "own") if takes_object(pattern) else {}
        url = reverse(name, kwargs={**kwargs, **overrides})
        client = made[role]
        for value in BAD_VALUES:
            for param in get_params:
                response = client.get(url, {param: value})
                answered.add(response.status_code)
                if response.status_code >= 500:
                    crashed.append(f"GET {name}?{param}={value[:12]!r} as {role}: {response.status_code}")
            for field in post_fields:
                response = client.post(url, {field: value})
                answered.add(response.status_code)
                if response.status_code >= 500:
                    crashed.append(f"POST {name} {field}={value[:12]!r} as {role}: {response.status_code}")
    assert not crashed, "malformed numbers crashed views:\n" + "\n".join(crashed)
    after = state()
    changed = {key: "changed" for key in before if before[key] != after[key]}
    if "counts" in changed:
        changed["counts"] = {k: (before["counts"][k], after["counts"][k]) for k in before["counts"]
                             if before["counts"][k] != after["counts"][k]}
    assert not changed, f"malformed numbers changed state: {changed}"
    assert 400 in answered  # the strict parser answered somewhere, not only forms


@pytest.mark.parametrize("value", ["１２", "١", "²"])
def test_url_ids_accept_ascii_digits_only(client, value):
    """Regex routes use [0-9], not \\d (which matches every script's digits)."""
    for name, pattern in url_patterns():
        regex = pattern.pattern.regex
        assert "\\d" not in regex.pattern, f"{name}: use [0-9] instead of \\d in {regex.pattern}"
    assert client.get(f"/reviews/panels/{value}/close/").status_code == 404


def test_overlong_ids_in_the_path_answer_404(client):
    from tests.factories import UserFactory
    from tests.helpers import login

    login(client, UserFactory.for_role(Role.CITY))
    for url in ("/applications/99999999999999999999/", "/reviews/panels/99999999999999999999/",
                "/disbursements/batches/" + "9" * 5000 + "/"):
        assert client.get(url).status_code == 404, url
