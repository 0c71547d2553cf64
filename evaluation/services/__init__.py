"""Every write of the evaluation app, one function per change, each with an actor and an audit row."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from applications.services.uploads import sanitize_filename
from core.permissions import require  # noqa: F401  (the services' guard, used through this package)


def require_editable(year):
    if not year.is_editable:
        raise ValidationError(_("The evaluation of %(year)s is finalised; reopen it to change anything.")
                              % {"year": year.year})


def keep_in_step(caller_copy, saved, fields):
    """The caller's instance shows what was saved (services lock and save a fresh copy of the row)."""
    for name in [*fields, "version"]:
        setattr(caller_copy, name, getattr(saved, name))
    return saved


def upload_name(name, file_type):
    """The display name of an upload of ``file_type``: a name with control or direction characters (U+202E
    makes "report\u202efdp.exe" read "reportexe.pdf"), NUL or a path is refused; the file itself is stored
    under a generated name."""
    name = str(name or "")
    if ("/" in name or "\\" in name or name.strip(". ") == ""
            or any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") for ch in name)):
        raise ValidationError(_("The file name contains a path, control characters or text-direction marks. "
                                "Rename the file, then upload it again."), code="file_name")
    return sanitize_filename(name, file_type)
