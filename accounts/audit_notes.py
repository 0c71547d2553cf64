"""How the accounts' audit rows read (their ``data`` through core.audit_notes)."""

from django.utils.translation import gettext_lazy as _

NOTE_FORMATS = {
    "auth.2fa_failed": _("Refused without checking the code: too many attempts"),
    "enterprise.register": _("Unified social credit code %(credit_code)s"),
    "enterprise.update_profile": _("Changed: %(fields)s"),
    "enterprise.add_user": _("Added %(added_user)s"),
}
