"""Upload checks for this app: the content decides the type (PDF, DOCX, XLSX), never the file's name.

Office files are zip archives: a valid zip with [Content_Types].xml and the format's main part, unpacked
(bounded) to catch zip bombs whatever the headers claim.
"""

import hashlib
import re
import unicodedata
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

HTML_MARKERS = (b"<!doctype", b"<html", b"<script", b"<body", b"<iframe", b"<svg")
OFFICE_PART = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}
LABELS = {"pdf": "PDF", "docx": "Word (DOCX)", "xlsx": "Excel (XLSX)"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class FileRefused(ValidationError):
    pass


def limits():
    return {
        "max_unpacked": getattr(settings, "UPLOAD_ZIP_MAX_UNCOMPRESSED", 200 * 1024 * 1024),
        "max_ratio": getattr(settings, "UPLOAD_ZIP_MAX_RATIO", 100),
        "max_entries": getattr(settings, "UPLOAD_ZIP_MAX_ENTRIES", 5000),
    }


def _office_kind(fileobj):
    bounds = limits()
    fileobj.seek(0)
    try:
        archive = zipfile.ZipFile(fileobj)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    with archive:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names:
            return None
        kind = next((k for part, k in OFFICE_PART.items() if part in names), None)
        if kind is None:
            return None
        if len(infos) > bounds["max_entries"]:
            raise FileRefused(_("The document contains too many parts and was refused."), code="zip_bomb")
        packed = max(sum(info.compress_size for info in infos), 1)
        total = 0
        try:
            for info in infos:  # count what really comes out, stop early
                with archive.open(info) as part:
                    while chunk := part.read(1024 * 1024):
                        total += len(chunk)
                        if total > bounds["max_unpacked"] or (
                                total > 1024 * 1024 and total / packed > bounds["max_ratio"]):
                            raise FileRefused(
                                _("The document unpacks to far more data than its size suggests (a 'zip bomb') "
                                  "and was refused."), code="zip_bomb")
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
            return None
    return kind


def detect(fileobj):
    """'pdf', 'docx', 'xlsx' or None, by content."""
    fileobj.seek(0)
    head = fileobj.read(8192)
    fileobj.seek(0)
    if head.startswith(b"%PDF-"):
        return None if any(m in head[:1024].lower() for m in HTML_MARKERS) else "pdf"
    if head.startswith(b"PK\x03\x04"):
        return _office_kind(fileobj)
    return None


def check_upload(upload, *, allowed, max_bytes):
    """Validate ``upload``; returns its kind. Raises FileRefused with a message for the user."""
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise FileRefused(_("The file is empty."), code="empty")
    if size > max_bytes:
        raise FileRefused(
            _("The file is %(size).1f MB; at most %(limit).1f MB is accepted.")
            % {"size": size / 1024 / 1024, "limit": max_bytes / 1024 / 1024}, code="too_big")
    kind = detect(upload)
    if kind not in allowed:
        raise FileRefused(
            _("By its content this file is not %(allowed)s. Choose the original document, not a renamed file.")
            % {"allowed": " / ".join(LABELS[k] for k in sorted(allowed))}, code="type")
    upload.seek(0)
    return kind


def sha256_of(fileobj):
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def clean_filename(name, kind):
    """A safe display name: last path part, no control/format characters (U+202E ...), the right extension."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ")
    name = re.sub(r'[<>:"|?*]', "_", name).strip().lstrip(".")
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{(stem.strip() or 'file')[:100]}.{kind}"
