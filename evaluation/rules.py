"""Who may do what in the evaluation app. City staff edit, officials read and export, enterprises answer."""

import rules

from accounts.rules import has_county, is_city, is_citywide, is_county, is_enterprise_user, is_official

can_view = is_city | is_official

rules.add_perm("evaluation.view_evaluation", can_view)
rules.add_perm("evaluation.edit_evaluation", is_city)
rules.add_perm("evaluation.export_evaluation", can_view)
rules.add_perm("evaluation.view_evidence", can_view)
rules.add_perm("evaluation.answer_survey", is_enterprise_user)
# The counties compared year on year: the city-wide roles every county, county staff their own county (the scopes
# of the applications, commitments and acceptances the page counts; evaluation.counties.visible_county).
rules.add_perm("evaluation.compare_counties", is_citywide | (is_county & has_county))
