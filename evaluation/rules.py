"""Who may do what in the evaluation app. City staff edit, officials read and export, enterprises answer."""

import rules

from accounts.rules import is_city, is_enterprise_user, is_official

can_view = is_city | is_official

rules.add_perm("evaluation.view_evaluation", can_view)
rules.add_perm("evaluation.edit_evaluation", is_city)
rules.add_perm("evaluation.export_evaluation", can_view)
rules.add_perm("evaluation.view_evidence", can_view)
rules.add_perm("evaluation.answer_survey", is_enterprise_user)
