"""Conflict-of-interest rules (回避): which experts may not review which application, and why."""

from django.utils.translation import gettext_lazy as _

EMPLOYER = "employer"
SAME_COUNTY = "same_county"
DECLARED = "declared"

LABELS = {
    EMPLOYER: _("The expert's employer is the applicant (same credit code)"),
    SAME_COUNTY: _("The expert works in the applicant's county"),
    DECLARED: _("The expert declared a conflict of interest"),
}


def conflict_reasons(expert, application, *, same_county_rule):
    """The automatic exclusions of ``expert`` for ``application`` (a list of EMPLOYER / SAME_COUNTY)."""
    reasons = []
    applicant_code = (application.enterprise.credit_code or "").strip().upper()
    if applicant_code and expert.employer_credit_code.strip().upper() == applicant_code:
        reasons.append(EMPLOYER)
    if same_county_rule and expert.county_id and expert.county_id == application.county_id:
        reasons.append(SAME_COUNTY)
    return reasons
