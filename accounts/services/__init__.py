"""Every write on accounts and organisations (enterprise registration, profile, colleagues, verification)."""
