"""Permission predicates of the acceptance. List scope is decided by the selectors."""

import rules

from accounts.rules import has_organisation, is_city, is_citywide, is_county, is_enterprise, is_finance_preparer

# An enterprise its own projects, county staff their county's, city-wide roles all.
rules.add_perm("aftercare.view_acceptances", (is_enterprise & has_organisation) | is_county | is_citywide)
rules.add_perm("aftercare.submit_report", is_enterprise & has_organisation)
rules.add_perm("aftercare.inspect", is_county)
rules.add_perm("aftercare.decide", is_city)
rules.add_perm("aftercare.export", is_county | is_citywide)
rules.add_perm("aftercare.record_refund", is_city | is_finance_preparer)

# Follow-up reports (绩效跟踪): the enterprise reports, its county verifies, city-wide roles read.
rules.add_perm("aftercare.view_followups", (is_enterprise & has_organisation) | is_county | is_citywide)
rules.add_perm("aftercare.submit_followup", is_enterprise & has_organisation)
rules.add_perm("aftercare.verify_followup", is_county)
rules.add_perm("aftercare.export_followups", is_county | is_citywide)
