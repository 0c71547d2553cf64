"""The city imports credit lists; the city and the counties read them (and see the hits on applications)."""

import rules

from accounts.rules import is_city, is_county, is_official

rules.add_perm("credit.import_lists", is_city)
rules.add_perm("credit.view_lists", is_city | is_county | is_official)
rules.add_perm("credit.import_registry", is_city)
