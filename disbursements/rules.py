"""Permission predicates of the disbursements app. List scope is decided by the selectors."""

import rules

from accounts.rules import (
    has_organisation,
    is_city,
    is_citywide,
    is_county,
    is_enterprise,
    is_finance,
    is_finance_approver,
    is_finance_preparer,
)

# Commitments and payments: an enterprise its own, county staff their county's, city-wide roles all.
rules.add_perm("disbursements.view_payments", (is_enterprise & has_organisation) | is_county | is_citywide)
# Batches, reconciliations, budget: the city-wide roles.
rules.add_perm("disbursements.view_finance", is_citywide)
rules.add_perm("disbursements.prepare_payments", is_finance_preparer)
rules.add_perm("disbursements.approve_payments", is_finance_approver)
rules.add_perm("disbursements.edit_budget", is_finance)
rules.add_perm("disbursements.edit_payment_rule", is_finance | is_city)
rules.add_perm("disbursements.view_diagnosis", is_citywide)
rules.add_perm("disbursements.run_diagnosis", is_city)
rules.add_perm("disbursements.view_budget", is_citywide)
rules.add_perm("disbursements.view_my_funds", is_enterprise & has_organisation)
# Record the payable amount of an approved application (finance approves the support list; city staff too).
rules.add_perm("disbursements.commit_funds", is_finance | is_city)
# The diagnosis-service provider's fee after a passed acceptance.
rules.add_perm("disbursements.commit_contract_fee", is_city | is_finance_approver)
