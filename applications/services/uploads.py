"""Upload checks and storage: the file's content decides its type, never its name.

- empty files, oversize files and executables (MZ, ELF, Mach-O, scripts) are refused;
- a PDF must start with %PDF- and, parsed with pypdf, carry no HTML, JavaScript, launch or automatic actions
  and no embedded files anywhere (pdf_inspect); JPG/PNG by their magic bytes (filetype);
- DOCX/XLSX are zip files: a valid zip with [Content_Types].xml and the part of that format, and
  decompressed (bounded) to catch zip bombs whatever the headers claim;
- the user's file name is cleaned (no paths, no control or bidi characters such as U+202E) and the file
  is stored under a generated name with its SHA-256.
"""

import hashlib
import re
import unicodedata
import uuid
import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_record

from .. import duplicates
from ..models import Application, Attachment, FileType, ReReviewEvidence
from ..templatetags.applications_tags import filesize
from ..workflow import EDITABLE
from .common import check_scope, check_version
from .pdf_inspect import pdf_problem, problem_label

HEAD_BYTES = 8192
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe", b"\xfe\xed\xfa", b"\xca\xfe\xba\xbe",
                    b"#!")
HTML_MARKERS = (b"<!doctype", b"<html", b"<script", b"<body", b"<head", b"<iframe", b"<svg")
EXTENSIONS = {FileType.PDF: ".pdf", FileType.JPG: ".jpg", FileType.PNG: ".png", FileType.DOCX: ".docx",
              FileType.XLSX: ".xlsx"}
CONTENT_TYPES = {
    FileType.PDF: "application/pdf",
    FileType.JPG: "image/jpeg",
    FileType.PNG: "image/png",
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OFFICE_PART = {"word/document.xml": FileType.DOCX, "xl/workbook.xml": FileType.XLSX}


class UploadRefused(ValidationError):
    pass


def zip_limits():
    return (
        getattr(settings, "UPLOAD_ZIP_MAX_UNCOMPRESSED", 200 * 1024 * 1024),
        getattr(settings, "UPLOAD_ZIP_MAX_RATIO", 100),
        getattr(settings, "UPLOAD_ZIP_MAX_ENTRIES", 5000),
    )


def sanitize_filename(name, file_type=None):
    """A safe display name: last path part only, no control/format characters (U+202E ...), sane length."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] not in ("C", "Z") or ch == " ")
    name = re.sub(r'[<>:"|?*]', "_", name).strip().lstrip(".").strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if file_type is not None:
        wanted = EXTENSIONS[file_type].lstrip(".")
        if ext.lower() not in ({wanted, "jpeg"} if file_type == FileType.JPG else {wanted}):
            stem = name if not dot else stem
            ext = wanted
    stem = stem.strip()[:100] or "file"
    return f"{stem}.{ext}" if ext else stem


def _looks_like_html(head):
    sample = head[:1024].lower()
    return any(marker in sample for marker in HTML_MARKERS)


def _office_type(fileobj):
    """DOCX/XLSX or None; raises UploadRefused for zip bombs."""
    max_total, max_ratio, max_entries = zip_limits()
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
        kind = next((t for part, t in OFFICE_PART.items() if part in names), None)
        if kind is None:
            return None
        if any(name.lower().rsplit("/", 1)[-1] == "vbaproject.bin" for name in names):
            raise UploadRefused(_("The document contains macros (a .docm or .xlsm file) and was refused. Save it as "
                                  "a plain .docx or .xlsx."), code="macro")
        if len(infos) > max_entries:
            raise UploadRefused(_("The document contains too many parts and was refused."), code="zip_bomb")
        compressed = max(sum(info.compress_size for info in infos), 1)
        total = 0
        try:
            for info in infos:  # the headers may lie: count what really comes out, and stop early
                with archive.open(info) as part:
                    while chunk := part.read(1024 * 1024):
                        total += len(chunk)
                        if total > max_total or (total > 1024 * 1024 and total / compressed > max_ratio):
                            raise UploadRefused(
                                _("The document unpacks to far more data than its size suggests (a 'zip bomb') "
                                  "and was refused."), code="zip_bomb")
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
            return None
    return kind


def detect_type(fileobj):
    """The FileType of the content, or a short label of what it is when it is not an accepted type."""
    fileobj.seek(0)
    head = fileobj.read(HEAD_BYTES)
    if head.startswith(EXECUTABLE_MAGIC):
        return None, _("an executable program")
    if head.startswith(b"%PDF-"):
        if _looks_like_html(head):
            return None, _("an HTML page")
        problem = pdf_problem(fileobj)
        return (None, problem_label(problem)) if problem else (FileType.PDF, "")
    if _looks_like_html(head.lstrip(b"\xef\xbb\xbf \t\r\n")):
        return None, _("an HTML page")
    kind = filetype.guess(head)
    if kind is not None and kind.mime == "image/jpeg":
        return FileType.JPG, ""
    if kind is not None and kind.mime == "image/png":
        return FileType.PNG, ""
    if head.startswith(b"PK\x03\x04"):
        office = _office_type(fileobj)
        if office:
            return office, ""
        return None, _("a ZIP archive that is not a Word or Excel document")
    return None, (kind.mime if kind is not None else _("an unknown type"))


def sha256_of(fileobj):
    digest = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
    fileobj.seek(0)
    return digest.hexdigest()


def check_upload(upload, material):
    """Validate an uploaded file for a material slot; returns its FileType. Raises UploadRefused."""
    size = upload.size or 0
    if size == 0:
        raise UploadRefused(_("The file is empty. Choose the finished document again."), code="empty")
    if size > material.max_bytes:
        raise UploadRefused(
            _("The file is %(size)s; this slot accepts at most %(limit)s. Compress or split it.")
            % {"size": filesize(size), "limit": filesize(material.max_bytes)}, code="too_big")
    file_type, what = detect_type(upload)
    if file_type is None or file_type not in material.allowed_types:
        found = what or dict(FileType.choices)[file_type]
        raise UploadRefused(
            _("This file is %(found)s by its content; this slot accepts only %(allowed)s.")
            % {"found": found, "allowed": material.allowed_labels}, code="type")
    return file_type


def _locked_draft(application, actor, expected_version):
    """The application row locked for a file change: in scope, still editable, and (when the caller passes the
    version its form was opened with) not changed by a colleague since (StaleEdit)."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    check_scope(locked, actor)
    if locked.status not in EDITABLE:
        raise UploadRefused(_("Files can only be changed while the application is a draft or returned."),
                            code="locked")
    check_version(locked, expected_version)
    return locked


def _bump(application, locked):
    """A file change is a change of the draft: colleagues' open forms become stale."""
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    application.version = locked.version


def store_file(item, upload, file_type, digest, actor):
    """Save a checked ``upload`` (``check_upload``: its detected type and sha256) as ``item``, an unsaved
    ``StoredFile`` (its own fields already set): under a generated name, with the user's name sanitised."""
    item.original_name = sanitize_filename(upload.name, file_type)
    item.sha256, item.size, item.file_type = digest, upload.size, file_type
    item.content_type, item.uploaded_by = CONTENT_TYPES[file_type], actor
    upload.seek(0)
    item.file.save(f"{uuid.uuid4().hex}{EXTENSIONS[file_type]}", File(upload), save=False)
    item.save()
    return item


def attachment_store(*, application, material, upload, actor, expected_version=None):
    """Check ``upload`` and put it into the slot, keeping the replaced file for older versions."""
    check_scope(application, actor)
    if application.status not in EDITABLE:
        raise UploadRefused(_("Files can only be changed while the application is a draft or returned."),
                            code="locked")
    if material.category_id != application.category_id:
        raise UploadRefused(_("This material does not belong to the application's category."), code="slot")
    file_type = check_upload(upload, material)
    digest = sha256_of(upload)
    with transaction.atomic():
        locked = _locked_draft(application, actor, expected_version)
        replaced = Attachment.objects.filter(application=application, material=material, is_current=True)
        hashes = list(replaced.values_list("sha256", flat=True))
        replaced.update(is_current=False)
        attachment = store_file(Attachment(application=application, material=material), upload, file_type,
                                digest, actor)
        if hashes:  # the new file's twins are refreshed as it is saved; the replaced file's here
            duplicates.refresh((), hashes)
        _bump(application, locked)
        audit_record(actor=actor, action="application.upload", obj=application,
                     data={"material": material.name, "file": attachment.original_name, "tech_sha256": digest})
    return attachment


def attachment_remove(*, application, material, actor, expected_version=None):
    with transaction.atomic():
        locked = _locked_draft(application, actor, expected_version)
        current = Attachment.objects.filter(application=application, material=material, is_current=True)
        hashes = list(current.values_list("sha256", flat=True))
        removed = current.update(is_current=False)
        if removed:
            duplicates.refresh([application.pk], hashes)
            _bump(application, locked)
            audit_record(actor=actor, action="application.upload_removed", obj=application,
                         data={"material": material.name})
    return removed


# --- documents attached to a re-review request ---

EVIDENCE_MAX_FILES = 10


class EvidenceSlot:
    """What a re-review document may be: the platform's size limit and the usual document and image types."""

    allowed_types = [FileType.PDF, FileType.JPG, FileType.PNG, FileType.DOCX, FileType.XLSX]

    @property
    def max_bytes(self):
        return settings.UPLOAD_MAX_BYTES

    @property
    def allowed_labels(self):
        labels = dict(FileType.choices)
        return " / ".join(str(labels[t]) for t in self.allowed_types)


EVIDENCE_SLOT = EvidenceSlot()


def check_evidence(files):
    """[(upload, file_type, sha256)] for the documents of a re-review request; UploadRefused naming the file when
    one fails the upload checks (nothing is stored then)."""
    files = [f for f in files or () if f is not None]
    if len(files) > EVIDENCE_MAX_FILES:
        raise UploadRefused(_("Attach at most %(n)d documents.") % {"n": EVIDENCE_MAX_FILES}, code="too_many")
    checked = []
    for upload in files:
        try:
            file_type = check_upload(upload, EVIDENCE_SLOT)
        except UploadRefused as exc:
            raise UploadRefused(_("%(name)s: %(problem)s") % {
                "name": sanitize_filename(upload.name), "problem": " ".join(exc.messages)}, code=exc.code) from None
        checked.append((upload, file_type, sha256_of(upload)))
    return checked


def store_evidence(application, checked, actor):
    """Store the checked documents of a re-review request (inside the request's transaction)."""
    return [store_file(ReReviewEvidence(application=application), upload, file_type, digest, actor)
            for upload, file_type, digest in checked]
