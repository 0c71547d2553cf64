"""How the applications' audit rows read (their ``data`` through core.audit_notes)."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _draft_fields(values, data):
    """The draft's changed fields as the form names them (amounts in 万元, as typed)."""
    from django.core.exceptions import FieldDoesNotExist

    from .services.drafts import field_label

    names = []
    for name in data.get("fields") or []:
        try:
            names.append(field_label(str(name)))
        except FieldDoesNotExist:
            names.append(str(name))
    return gettext("Changed: %(fields)s") % {"fields": gettext(", ").join(names)} if names else ""


NOTE_FORMATS = {
    "application.submit": _("Resubmitted after correction"),
    "application.save_draft": _draft_fields,
    "application.upload": _("%(material)s: %(file)s"),
    "application.upload_removed": "%(material)s",
    "call.create": _("Fields: %(fields)s"),
    "invitation.send": _("%(enterprise)s invited to apply for %(category)s"),
    "call.update": _("Changed: %(fields)s"),
    "category.create": (_("Fields: %(fields)s; %(materials_changed)s materials"), _("Fields: %(fields)s")),
    "category.update": (_("Changed: %(fields)s; %(materials_changed)s materials changed"),
                        _("Changed: %(fields)s")),
}
