"""The generated permission matrix: every named URL of the project (admin and i18n excepted) × anonymous and
every Role × own or foreign object, requested with GET, against one table of expected answers.

Columns, in order: anonymous, enterprise, county, city, expert, auditor, finance_preparer, finance_approver,
official, admin. Answers: 200; login (302 to the login page); 302 (another redirect, e.g. the declaration step
before scoring, or a home page forwarding to the role's start page); 403; 404 (foreign or missing object); 405
(POST-only view). "own" is the object of enterprise A in 中原区 (the one the enterprise, county, expert and
auditor users belong to); "foreign" is enterprise B's in 金水区 (another expert, another audit firm). Routes
without an object have side "-". Objects the world does not build (publicity, support lists, reconciliations,
diagnosis contracts, monitoring snapshots, report jobs, evidence) use a missing id, so only the 403/404 layer
is checked there.

A URL name missing from the table fails the suite: a new view needs its row here.
"""

import pytest
from django.apps import apps

from .matrixlib import ROLES, clients, observe
from .routes import takes_object, url_patterns
from .world import build_world

pytestmark = pytest.mark.django_db

EXPECTED = {
    ("api:application", "foreign"): "401 401 401 401 401 401 401 401 401 401",
    ("api:application", "own"): "401 401 401 401 401 401 401 401 401 401",
    ("api:applications", "-"): "401 401 401 401 401 401 401 401 401 401",
    ("api:call", "foreign"): "200 200 200 200 200 200 200 200 200 200",
    ("api:call", "own"): "200 200 200 200 200 200 200 200 200 200",
    ("api:calls", "-"): "200 200 200 200 200 200 200 200 200 200",
    ("api:commitments", "-"): "401 401 401 401 401 401 401 401 401 401",
    ("api:docs", "-"): "200 200 200 200 200 200 200 200 200 200",
    ("api:indicators", "foreign"): "401 401 401 401 401 401 401 401 401 401",
    ("api:indicators", "own"): "401 401 401 401 401 401 401 401 401 401",
    ("api:publicity", "-"): "200 200 200 200 200 200 200 200 200 200",
    ("api:schema", "-"): "200 200 200 200 200 200 200 200 200 200",
    ("api:statistics", "foreign"): "401 401 401 401 401 401 401 401 401 401",
    ("api:statistics", "own"): "401 401 401 401 401 401 401 401 401 401",
    ("api:support_lists", "-"): "401 401 401 401 401 401 401 401 401 401",
    ("api:token_new", "-"): "login 403 403 403 403 403 403 403 403 200",
    ("api:token_revoke", "foreign"): "login 403 403 403 403 403 403 403 403 405",
    ("api:token_revoke", "own"): "login 403 403 403 403 403 403 403 403 405",
    ("api:tokens", "-"): "login 403 403 403 403 403 403 403 403 200",
    ("applications:credit_clearance", "foreign"): "login 404 404 405 404 404 403 403 403 403",
    ("applications:credit_clearance", "own"): "login 403 403 405 404 404 403 403 403 403",
    ("applications:credit_confirm", "foreign"): "login 404 404 405 404 404 403 403 403 403",
    ("applications:credit_confirm", "own"): "login 403 403 405 404 404 403 403 403 403",
    ("credit:list", "foreign"): "login 403 404 404 403 403 403 403 404 403",
    ("credit:list", "own"): "login 403 404 404 403 403 403 403 404 403",
    ("credit:lists", "-"): "login 403 200 200 403 403 403 403 200 403",
    ("credit:template", "-"): "login 403 403 200 403 403 403 403 403 403",
    ("accounts:colleague_deactivate", "foreign"): "login 405 405 405 405 405 405 405 405 405",
    ("accounts:colleague_deactivate", "own"): "login 405 405 405 405 405 405 405 405 405",
    ("accounts:bank_change", "foreign"): "login 403 404 404 403 403 403 403 403 403",
    ("accounts:bank_change", "own"): "login 403 404 404 403 403 403 403 403 403",
    ("accounts:bank_changes", "-"): "login 403 200 200 403 403 403 403 403 403",
    ("accounts:colleagues", "-"): "login 200 403 403 403 403 403 403 403 403",
    ("accounts:company", "-"): "login 200 403 403 403 403 403 403 403 403",
    ("accounts:enterprise", "foreign"): "login 403 404 200 403 403 403 403 403 403",
    ("accounts:enterprise", "own"): "login 403 200 200 403 403 403 403 403 403",
    ("accounts:enterprise_action", "foreign"): "login 405 405 405 405 405 405 405 405 405",
    ("accounts:enterprise_action", "own"): "login 405 405 405 405 405 405 405 405 405",
    ("accounts:enterprises", "-"): "login 403 200 200 403 403 403 403 403 403",
    ("accounts:login", "-"): "200 302 302 302 302 302 302 302 302 302",
    ("accounts:logout", "-"): "405 405 405 405 405 405 405 405 405 405",
    ("accounts:password_change", "-"): "login 200 200 200 200 200 200 200 200 200",
    ("accounts:password_reset", "-"): "200 200 200 200 200 200 200 200 200 200",
    ("accounts:password_reset_complete", "-"): "200 200 200 200 200 200 200 200 200 200",
    ("accounts:password_reset_confirm", "foreign"): "200 200 200 200 200 200 200 200 200 200",
    ("accounts:password_reset_confirm", "own"): "200 200 200 200 200 200 200 200 200 200",
    ("accounts:password_reset_done", "-"): "200 200 200 200 200 200 200 200 200 200",
    ("accounts:profile", "-"): "login 200 200 200 200 200 200 200 200 200",
    ("accounts:register", "-"): "200 302 302 302 302 302 302 302 302 302",
    ("accounts:two_factor", "-"): "login 200 200 302 200 200 302 302 200 302",
    ("applications:action", "foreign"): "login 405 405 405 405 405 405 405 405 405",
    ("applications:action", "own"): "login 405 405 405 405 405 405 405 405 405",
    ("applications:apply", "-"): "login 200 403 403 403 403 403 403 403 403",
    ("applications:batch", "-"): "login 405 405 405 405 405 405 405 405 405",
    ("applications:call_detail", "foreign"): "login 403 403 200 403 403 403 403 403 403",
    ("applications:call_detail", "own"): "login 403 403 200 403 403 403 403 403 403",
    ("applications:call_edit", "foreign"): "login 403 403 200 403 403 403 403 403 403",
    ("applications:call_edit", "own"): "login 403 403 200 403 403 403 403 403 403",
    ("applications:call_new", "-"): "login 403 403 200 403 403 403 403 403 403",
    ("applications:call_publish", "foreign"): "login 403 403 405 403 403 403 403 403 403",
    ("applications:call_publish", "own"): "login 403 403 405 403 403 403 403 403 403",
    ("applications:calls", "-"): "login 403 403 200 403 403 403 403 403 403",
    ("applications:category_edit", "foreign"): "login 403 403 200 403 403 403 403 403 403",
    ("applications:category_edit", "own"): "login 403 403 200 403 403 403 403 403 403",
    ("applications:category_new", "foreign"): "login 403 403 200 403 403 403 403 403 403",
    ("applications:category_new", "own"): "login 403 403 200 403 403 403 403 403 403",
    ("applications:compare", "foreign"): "login 404 404 302 404 404 302 302 302 302",
    ("applications:compare", "own"): "login 302 302 302 404 404 302 302 302 302",
    ("applications:detail", "foreign"): "login 404 404 200 404 404 200 200 200 200",
    ("applications:detail", "own"): "login 200 200 200 404 404 200 200 200 200",
    ("applications:download", "foreign"): "login 404 404 200 404 404 200 200 200 200",
    ("applications:download", "own"): "login 200 200 200 404 404 200 200 200 200",
    ("applications:evidence_download", "foreign"): "login 404 404 404 404 404 404 404 404 404",
    ("applications:evidence_download", "own"): "login 404 404 404 404 404 404 404 404 404",
    ("applications:edit", "foreign"): "login 404 404 404 404 404 404 404 404 404",
    ("applications:edit", "own"): "login 200 404 404 404 404 404 404 404 404",
    ("applications:export", "-"): "login 403 200 200 403 403 200 200 200 200",
    ("applications:list", "-"): "login 200 200 200 403 403 200 200 200 200",
    ("applications:pdf", "foreign"): "login 404 404 404 404 404 404 404 404 404",
    ("applications:pdf", "own"): "login 404 404 404 404 404 404 404 404 404",
    ("applications:start", "foreign"): "login 405 405 405 405 405 405 405 405 405",
    ("applications:start", "own"): "login 405 405 405 405 405 405 405 405 405",
    ("applications:submit", "foreign"): "login 404 404 404 404 404 404 404 404 404",
    ("applications:submit", "own"): "login 200 404 404 404 404 404 404 404 404",
    ("applications:re_review", "foreign"): "login 404 404 302 404 404 302 302 302 302",
    ("applications:re_review", "own"): "login 302 302 302 404 404 302 302 302 302",
    ("applications:summary", "-"): "login 403 200 200 403 403 200 200 200 200",
    ("core:audit_log", "-"): "login 403 403 200 403 403 403 403 200 200",
    ("core:dashboard", "-"): "login 200 200 200 200 200 200 200 200 200",
    ("core:healthz", "-"): "200 200 200 200 200 200 200 200 200 200",
    ("core:home", "-"): "login 302 302 302 302 302 302 302 302 302",
    ("core:job", "foreign"): "login 404 404 404 404 404 404 404 404 404",
    ("core:job", "own"): "login 404 404 404 404 404 404 404 404 404",
    ("core:job_download", "foreign"): "login 404 404 404 404 404 404 404 404 404",
    ("core:job_download", "own"): "login 404 404 404 404 404 404 404 404 404",
    ("core:job_progress", "foreign"): "login 404 404 404 404 404 404 404 404 404",
    ("core:job_progress", "own"): "login 404 404 404 404 404 404 404 404 404",
    ("core:notifications", "-"): "login 200 200 200 200 200 200 200 200 200",
    ("core:notifications_mark_read", "-"): "login 405 405 405 405 405 405 405 405 405",
    ("core:notification_mark_read", "own"): "login 405 405 405 405 405 405 405 405 405",
    ("core:notification_mark_read", "foreign"): "login 405 405 405 405 405 405 405 405 405",
    ("disbursements:bank_file", "foreign"): "login 403 403 200 403 403 200 200 200 200",
    ("disbursements:bank_file", "own"): "login 403 403 200 403 403 200 200 200 200",
    ("disbursements:batch_action", "foreign"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:batch_action", "own"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:batch_detail", "foreign"): "login 403 403 200 403 403 200 200 200 200",
    ("disbursements:batch_detail", "own"): "login 403 403 200 403 403 200 200 200 200",
    ("disbursements:batch_new", "-"): "login 403 403 403 403 403 200 403 403 403",
    ("disbursements:batches", "-"): "login 403 403 200 403 403 200 200 200 200",
    ("disbursements:budget", "-"): "login 403 403 200 403 403 200 200 200 200",
    ("disbursements:budget_entry_create", "-"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:budget_export", "-"): "login 403 403 200 403 403 200 200 200 200",
    ("disbursements:commitment_detail", "foreign"): "login 404 404 200 403 403 200 200 200 200",
    ("disbursements:commitment_detail", "own"): "login 200 200 200 403 403 200 200 200 200",
    ("disbursements:commitments", "-"): "login 200 200 200 403 403 200 200 200 200",
    ("disbursements:contract_accept", "foreign"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:contract_accept", "own"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:contract_complete", "foreign"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:contract_complete", "own"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:contract_detail", "foreign"): "login 403 403 404 403 403 404 404 404 404",
    ("disbursements:contract_detail", "own"): "login 403 403 404 403 403 404 404 404 404",
    ("disbursements:my_funds", "-"): "login 200 403 403 403 403 403 403 403 403",
    ("disbursements:payment_cancel", "foreign"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:payment_cancel", "own"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:payment_detail", "foreign"): "login 404 404 200 403 403 200 200 200 200",
    ("disbursements:payment_detail", "own"): "login 200 200 200 403 403 200 200 200 200",
    ("disbursements:payment_failure", "foreign"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:payment_failure", "own"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:payment_retry", "foreign"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:payment_retry", "own"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:payment_rule_update", "-"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:payments", "-"): "login 200 200 200 403 403 200 200 200 200",
    ("disbursements:payments_export", "-"): "login 200 200 200 403 403 200 200 200 200",
    ("disbursements:programme_detail", "foreign"): "login 403 403 404 403 403 404 404 404 404",
    ("disbursements:programme_detail", "own"): "login 403 403 404 403 403 404 404 404 404",
    ("disbursements:programmes", "-"): "login 403 403 200 403 403 200 200 200 200",
    ("disbursements:reconciliation_detail", "foreign"): "login 403 403 404 403 403 404 404 404 404",
    ("disbursements:reconciliation_detail", "own"): "login 403 403 404 403 403 404 404 404 404",
    ("disbursements:reconciliations", "-"): "login 403 403 200 403 403 200 200 200 200",
    ("disbursements:report_create", "foreign"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:report_create", "own"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:report_download", "foreign"): "login 403 403 404 403 403 404 404 404 404",
    ("disbursements:report_download", "own"): "login 403 403 404 403 403 404 404 404 404",
    ("disbursements:return_template", "foreign"): "login 403 403 200 403 403 200 200 200 200",
    ("disbursements:return_template", "own"): "login 403 403 200 403 403 200 200 200 200",
    ("disbursements:target_create", "foreign"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:target_create", "own"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:tender_create", "foreign"): "405 405 405 405 405 405 405 405 405 405",
    ("disbursements:tender_create", "own"): "405 405 405 405 405 405 405 405 405 405",
    ("evaluation:deviation_reason", "foreign"): "login 403 403 405 403 403 403 403 403 403",
    ("evaluation:deviation_reason", "own"): "login 403 403 405 403 403 403 403 403 403",
    ("evaluation:evidence_delete", "foreign"): "login 403 403 405 403 403 403 403 403 403",
    ("evaluation:evidence_delete", "own"): "login 403 403 405 403 403 403 403 403 403",
    ("evaluation:evidence_download", "foreign"): "login 403 403 404 403 403 403 403 404 403",
    ("evaluation:evidence_download", "own"): "login 403 403 404 403 403 403 403 404 403",
    ("evaluation:evidence_upload", "foreign"): "login 403 403 405 403 403 403 403 403 403",
    ("evaluation:evidence_upload", "own"): "login 403 403 405 403 403 403 403 403 403",
    ("evaluation:index", "-"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:indicator_create", "foreign"): "login 403 403 200 403 403 403 403 403 403",
    ("evaluation:indicator_create", "own"): "login 403 403 200 403 403 403 403 403 403",
    ("evaluation:indicator_delete", "foreign"): "login 403 403 405 403 403 403 403 403 403",
    ("evaluation:indicator_delete", "own"): "login 403 403 405 403 403 403 403 403 403",
    ("evaluation:indicator_detail", "foreign"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:indicator_detail", "own"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:indicator_edit", "foreign"): "login 403 403 200 403 403 403 403 403 403",
    ("evaluation:indicator_edit", "own"): "login 403 403 200 403 403 403 403 403 403",
    ("evaluation:indicator_list", "foreign"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:indicator_list", "own"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:judgement", "foreign"): "login 403 403 405 403 403 403 403 403 403",
    ("evaluation:judgement", "own"): "login 403 403 405 403 403 403 403 403 403",
    ("evaluation:monitoring_detail", "foreign"): "login 403 403 404 403 403 403 403 404 403",
    ("evaluation:monitoring_detail", "own"): "login 403 403 404 403 403 403 403 404 403",
    ("evaluation:monitoring_export", "foreign"): "login 403 403 404 403 403 403 403 404 403",
    ("evaluation:monitoring_export", "own"): "login 403 403 404 403 403 403 403 404 403",
    ("evaluation:monitoring_list", "foreign"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:monitoring_list", "own"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:my_surveys", "-"): "login 200 403 403 403 403 403 403 403 403",
    ("evaluation:narrative", "foreign"): "login 403 403 200 403 403 403 403 403 403",
    ("evaluation:narrative", "own"): "login 403 403 200 403 403 403 403 403 403",
    ("evaluation:report", "foreign"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:report", "own"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:report_download", "foreign"): "login 403 403 404 403 403 403 403 404 403",
    ("evaluation:report_download", "own"): "login 403 403 404 403 403 403 403 404 403",
    ("evaluation:report_generate", "foreign"): "login 403 403 405 403 403 403 403 405 403",
    ("evaluation:report_generate", "own"): "login 403 403 405 403 403 403 403 405 403",
    ("evaluation:report_job", "foreign"): "login 403 403 404 403 403 403 403 404 403",
    ("evaluation:report_job", "own"): "login 403 403 404 403 403 403 403 404 403",
    ("evaluation:report_progress", "foreign"): "login 403 403 404 403 403 403 403 404 403",
    ("evaluation:report_progress", "own"): "login 403 403 404 403 403 403 403 404 403",
    ("evaluation:statistics", "foreign"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:statistics", "own"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:statistics_template", "foreign"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:statistics_template", "own"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:survey_answer", "foreign"): "login 404 403 403 403 403 403 403 403 403",
    ("evaluation:survey_answer", "own"): "login 200 403 403 403 403 403 403 403 403",
    ("evaluation:survey_create", "foreign"): "login 403 403 200 403 403 403 403 403 403",
    ("evaluation:survey_create", "own"): "login 403 403 200 403 403 403 403 403 403",
    ("evaluation:survey_detail", "foreign"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:survey_detail", "own"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:survey_list", "foreign"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:survey_list", "own"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:survey_transition", "foreign"): "login 403 403 405 403 403 403 403 403 403",
    ("evaluation:survey_transition", "own"): "login 403 403 405 403 403 403 403 403 403",
    ("evaluation:weights", "foreign"): "login 403 403 200 403 403 403 403 403 403",
    ("evaluation:weights", "own"): "login 403 403 200 403 403 403 403 403 403",
    ("evaluation:year_create", "-"): "login 403 403 405 403 403 403 403 403 403",
    ("evaluation:year_detail", "foreign"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:year_detail", "own"): "login 403 403 200 403 403 403 403 200 403",
    ("evaluation:year_settings", "foreign"): "login 403 403 200 403 403 403 403 403 403",
    ("evaluation:year_settings", "own"): "login 403 403 200 403 403 403 403 403 403",
    ("evaluation:year_transition", "foreign"): "login 403 403 405 403 403 403 403 403 403",
    ("evaluation:year_transition", "own"): "login 403 403 405 403 403 403 403 403 403",
    ("public:call", "foreign"): "200 200 200 200 200 200 200 200 200 200",
    ("public:call", "own"): "200 200 200 200 200 200 200 200 200 200",
    ("public:calls", "-"): "200 200 200 200 200 200 200 200 200 200",
    ("publicity:detail", "foreign"): "404 404 404 404 404 404 404 404 404 404",
    ("publicity:detail", "own"): "404 404 404 404 404 404 404 404 404 404",
    ("publicity:index", "-"): "200 200 200 200 200 200 200 200 200 200",
    ("publicity:notice_pdf", "foreign"): "404 404 404 404 404 404 404 404 404 404",
    ("publicity:notice_pdf", "own"): "404 404 404 404 404 404 404 404 404 404",
    ("reviews:assignment_file", "foreign"): "login 403 403 403 404 403 403 403 403 403",
    ("reviews:assignment_file", "own"): "login 403 403 403 200 403 403 403 403 403",
    ("reviews:assignment_remove", "foreign"): "login 403 403 405 403 403 403 403 403 403",
    ("reviews:assignment_remove", "own"): "login 403 403 405 403 403 403 403 403 403",
    ("reviews:audit_assign", "foreign"): "login 403 403 200 403 403 403 403 403 403",
    ("reviews:audit_assign", "own"): "login 403 403 200 403 403 403 403 403 403",
    ("reviews:audit_detail", "foreign"): "login 404 404 200 404 404 404 404 200 200",
    ("reviews:audit_detail", "own"): "login 404 404 200 404 200 404 404 200 200",
    ("reviews:audit_list", "-"): "login 403 403 200 403 200 403 403 200 200",
    ("reviews:audit_report", "foreign"): "login 404 404 302 404 404 404 404 302 302",
    ("reviews:audit_report", "own"): "login 404 404 302 404 302 404 404 302 302",
    ("reviews:award", "foreign"): "login 403 403 404 403 403 403 403 404 404",
    ("reviews:award", "own"): "login 403 403 404 403 403 403 403 404 404",
    ("reviews:config", "foreign"): "login 403 403 200 403 403 403 403 403 403",
    ("reviews:config", "own"): "login 403 403 200 403 403 403 403 403 403",
    ("reviews:declare", "foreign"): "login 403 403 403 404 403 403 403 403 403",
    ("reviews:declare", "own"): "login 403 403 403 302 403 403 403 403 403",
    ("reviews:expert_edit", "foreign"): "login 403 403 200 403 403 403 403 403 403",
    ("reviews:expert_edit", "own"): "login 403 403 200 403 403 403 403 403 403",
    ("reviews:expert_new", "-"): "login 403 403 200 403 403 403 403 403 403",
    ("reviews:expert_scores_xlsx", "foreign"): "login 403 403 200 403 403 403 403 200 200",
    ("reviews:expert_scores_xlsx", "own"): "login 403 403 200 403 403 403 403 200 200",
    ("reviews:experts", "-"): "login 403 403 200 403 403 403 403 200 200",
    ("reviews:home", "-"): "login 403 403 302 403 403 403 403 302 302",
    ("reviews:my_assignments", "-"): "login 403 403 403 200 403 403 403 403 403",
    ("reviews:my_scores_xlsx", "-"): "login 403 403 403 200 403 403 403 403 403",
    ("reviews:not_selected", "foreign"): "login 403 403 405 403 403 403 403 403 403",
    ("reviews:not_selected", "own"): "login 403 403 405 403 403 403 403 403 403",
    ("reviews:objection_handle", "foreign"): "login 403 403 405 403 403 403 403 403 403",
    ("reviews:objection_handle", "own"): "login 403 403 405 403 403 403 403 403 403",
    ("reviews:panel_action", "foreign"): "login 403 403 405 403 403 403 403 403 403",
    ("reviews:panel_action", "own"): "login 403 403 405 403 403 403 403 403 403",
    ("reviews:panel_detail", "foreign"): "login 403 403 200 403 403 403 403 200 200",
    ("reviews:panel_detail", "own"): "login 403 403 200 403 403 403 403 200 200",
    ("reviews:panel_members", "foreign"): "login 403 403 200 403 403 403 403 403 403",
    ("reviews:panel_members", "own"): "login 403 403 200 403 403 403 403 403 403",
    ("reviews:panel_new", "foreign"): "login 403 403 302 403 403 403 403 403 403",
    ("reviews:panel_new", "own"): "login 403 403 302 403 403 403 403 403 403",
    ("reviews:panel_scores_xlsx", "foreign"): "login 404 404 200 200 404 404 404 200 200",
    ("reviews:panel_scores_xlsx", "own"): "login 404 404 200 200 404 404 404 200 200",
    ("reviews:panel_summary", "foreign"): "login 404 404 200 404 404 404 404 200 200",
    ("reviews:panel_summary", "own"): "login 404 404 200 404 404 404 404 200 200",
    ("reviews:publicity_action", "foreign"): "login 403 403 405 403 403 403 403 403 403",
    ("reviews:publicity_action", "own"): "login 403 403 405 403 403 403 403 403 403",
    ("reviews:publicity_detail", "foreign"): "login 403 403 404 403 403 403 403 404 404",
    ("reviews:publicity_detail", "own"): "login 403 403 404 403 403 403 403 404 404",
    ("reviews:publicity_list", "-"): "login 403 403 200 403 403 403 403 200 200",
    ("reviews:publicity_pdf", "foreign"): "login 403 403 404 403 403 403 403 404 404",
    ("reviews:publicity_pdf", "own"): "login 403 403 404 403 403 403 403 404 404",
    ("reviews:publicity_xlsx", "foreign"): "login 403 403 404 403 403 403 403 404 404",
    ("reviews:publicity_xlsx", "own"): "login 403 403 404 403 403 403 403 404 404",
    ("reviews:ranking_xlsx", "foreign"): "login 403 403 200 403 403 403 403 200 200",
    ("reviews:ranking_xlsx", "own"): "login 403 403 200 403 403 403 403 200 200",
    ("reviews:results", "foreign"): "login 403 403 200 403 403 403 403 200 200",
    ("reviews:results", "own"): "login 403 403 200 403 403 403 403 200 200",
    ("reviews:round", "foreign"): "login 403 403 200 403 403 403 403 200 200",
    ("reviews:round", "own"): "login 403 403 200 403 403 403 403 200 200",
    ("reviews:rubric", "foreign"): "login 403 403 200 403 403 403 403 403 403",
    ("reviews:rubric", "own"): "login 403 403 200 403 403 403 403 403 403",
    ("reviews:score", "foreign"): "login 403 403 403 404 403 403 403 403 403",
    ("reviews:score", "own"): "login 403 403 403 200 403 403 403 403 403",
    ("reviews:score_reopen", "foreign"): "login 405 405 405 405 405 405 405 405 405",
    ("reviews:score_reopen", "own"): "login 405 405 405 405 405 405 405 405 405",
    ("reviews:support_list_action", "foreign"): "login 403 403 405 403 403 405 405 405 405",
    ("reviews:support_list_action", "own"): "login 403 403 405 403 403 405 405 405 405",
    ("reviews:support_list_detail", "foreign"): "login 403 403 404 403 403 404 404 404 404",
    ("reviews:support_list_detail", "own"): "login 403 403 404 403 403 404 404 404 404",
    ("reviews:support_list_xlsx", "foreign"): "login 403 403 404 403 403 404 404 404 404",
    ("reviews:support_list_xlsx", "own"): "login 403 403 404 403 403 404 404 404 404",
    ("reviews:support_lists", "-"): "login 403 403 200 403 403 200 200 200 200",
}

# Bookkeeping a GET may write: sessions, the OTP device used by the 2FA login helper, login records.
BOOKKEEPING = {"sessions.session", "otp_totp.totpdevice", "otp_static.staticdevice", "otp_static.statictoken"}


def row_counts():
    """Rows per table; audit rows that only record a download (access logging, e.g. bank files) are not a
    state change and are left out."""
    from core.models import AuditLog

    counts = {m._meta.label_lower: m._default_manager.count() for m in apps.get_models()
              if m._meta.label_lower not in BOOKKEEPING and not m._meta.proxy and m._meta.managed}
    counts["core.auditlog"] = AuditLog.objects.exclude(action__endswith="_download").count()
    return counts


def test_every_url_has_an_entry():
    wanted = set()
    for name, pattern in url_patterns():
        for side in (("own", "foreign") if takes_object(pattern) else ("-",)):
            wanted.add((name, side))
    missing = sorted(wanted - set(EXPECTED))
    stale = sorted(set(EXPECTED) - wanted)
    assert not missing, f"new view without an entry in the permission matrix: {missing}"
    assert not stale, f"matrix rows for URLs that no longer exist: {stale}"
    assert all(len(v.split()) == len(ROLES) for v in EXPECTED.values())


def test_matrix_and_no_state_change_on_get():
    from core.models import AuditLog

    world = build_world()
    made = clients(world)  # logging in is bookkeeping, done before the snapshot
    last_audit = AuditLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    before = row_counts()
    seen = observe(world, made=made)
    after = row_counts()
    wrong = []
    for (name, side), row in EXPECTED.items():
        for role, expected in zip(ROLES, row.split(), strict=True):
            actual = seen.get((name, side, role))
            if actual != expected:
                wrong.append(f"{name} [{side}] as {role}: expected {expected}, got {actual}")
    assert not wrong, "permission matrix differs:\n" + "\n".join(wrong)
    changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
    new_rows = AuditLog.objects.filter(pk__gt=last_audit).exclude(action__endswith="_download")
    written = list(new_rows.values_list("action", "object_repr")[:20]) if changed else []
    assert not changed, f"GET requests changed rows: {changed}; audit rows written: {written}"
