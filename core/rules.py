"""Permissions of the platform core. core is the lowest layer: it may not import accounts, so role-based
permissions that core's pages need (the audit log, user administration) live in accounts/rules.py and are
referred to here by name."""

import rules

# Pages every signed-in user has: the dashboard, notifications, their profile.
rules.add_perm("core.use_platform", rules.is_authenticated)
# The Django admin site lets in active staff accounts (its own rule); its menu entry asks the same.
rules.add_perm("core.use_admin_site", rules.is_active & rules.is_staff)
