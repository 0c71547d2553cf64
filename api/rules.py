"""Who may manage the data interface's tokens: the administrator only."""

import rules

from accounts.rules import is_admin

rules.add_perm("api.manage_tokens", is_admin)
