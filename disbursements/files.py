"""Upload checks for this app: the content decides the type (PDF, DOCX, XLSX), never the file's name.

The detection itself (magic bytes; office files as real zip packages with [Content_Types].xml and their
main part, unpacked with bounds to catch zip bombs; HTML and executables refused) is the platform's one
implementation in ``applications.services.uploads``; this module adds this app's allowed types and limits.
"""

from contextlib import contextmanager

from django.utils.translation import gettext as _

from applications.services.uploads import CONTENT_TYPES as _TYPES
from applications.services.uploads import UploadRefused, detect_type, sanitize_filename, sha256_of

FileRefused = UploadRefused
LABELS = {"pdf": "PDF", "docx": "Word (DOCX)", "xlsx": "Excel (XLSX)"}
CONTENT_TYPES = {str(kind): value for kind, value in _TYPES.items()}

__all__ = ["CONTENT_TYPES", "FileRefused", "check_upload", "clean_filename", "removed_on_error", "sha256_of"]


def check_upload(upload, *, allowed, max_bytes):
    """Validate ``upload``; returns its kind ('pdf', 'docx', 'xlsx'). Raises FileRefused with a message."""
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise FileRefused(_("The file is empty."), code="empty")
    if size > max_bytes:
        raise FileRefused(
            _("The file is %(size).1f MB; at most %(limit).1f MB is accepted.")
            % {"size": size / 1024 / 1024, "limit": max_bytes / 1024 / 1024}, code="too_big")
    kind, _what = detect_type(upload)
    upload.seek(0)
    if kind is None or str(kind) not in allowed:
        raise FileRefused(
            _("By its content this file is not %(allowed)s. Choose the original document, not a renamed file.")
            % {"allowed": " / ".join(LABELS[k] for k in sorted(allowed))}, code="type")
    return str(kind)


def clean_filename(name, kind):
    """A safe display name (no path, no control or bidi characters) with the extension of its real type."""
    return sanitize_filename(name, kind)


@contextmanager
def removed_on_error():
    """Files are not transactional: the caller appends each FieldFile it stored to the yielded list; if the
    block fails (and its transaction rolls back), those files are deleted again, so no orphan stays behind."""
    stored = []
    try:
        yield stored
    except BaseException:
        for fieldfile in stored:
            fieldfile.storage.delete(fieldfile.name)
        raise
