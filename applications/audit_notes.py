"""How the applications' audit rows read (their ``data`` through core.audit_notes)."""

from django.utils.translation import gettext_lazy as _

NOTE_FORMATS = {
    "application.submit": _("Resubmitted after correction"),
    "application.save_draft": _("Changed: %(fields)s"),
    "application.upload": _("%(material)s: %(file)s"),
    "application.upload_removed": _("%(material)s"),
    "call.create": _("Fields: %(fields)s"),
    "call.update": _("Changed: %(fields)s"),
    "category.create": (_("Fields: %(fields)s; %(materials_changed)s materials"), _("Fields: %(fields)s")),
    "category.update": (_("Changed: %(fields)s; %(materials_changed)s materials changed"),
                        _("Changed: %(fields)s")),
}
