"""Judgements of the qualitative indicators and their attachments."""

import hashlib
import uuid
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from applications.models import FileType
from applications.services.uploads import CONTENT_TYPES, EXTENSIONS, detect_type
from core.audit import audit_record
from core.locking import StaleEdit, check_version

from ..constants import Source
from ..models import Evidence, Judgement
from ..scoring import in_band
from . import require, require_editable, upload_name

EDIT = "evaluation.edit_evaluation"
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# detected by content (magic bytes), never by the name or the browser's claim
ALLOWED_TYPES = set(FileType)


@transaction.atomic
def judgement_save(*, actor, indicator, grade, points, basis, version=None):
    """Save the judgement; ``version`` is the one the editor loaded (0 when there was none): stale saves nothing."""
    require(actor, EDIT)
    require_editable(indicator.year)
    if indicator.source != Source.JUDGED:
        raise ValidationError(_("Only judged indicators take a judgement."))
    if not basis.strip():
        raise ValidationError(_("Write the basis of the judgement."))
    if not in_band(indicator.weight, grade, points):
        raise ValidationError(_("The points lie outside the band of the judgement."))
    judgement = Judgement.objects.select_for_update().filter(indicator=indicator).first()
    previous = Judgement(grade=judgement.grade, points=judgement.points) if judgement else None
    if judgement is None:
        judgement = Judgement(indicator=indicator, version=0)
    check_version(judgement, version)
    judgement.grade, judgement.points, judgement.basis, judgement.judged_by = grade, points, basis.strip(), actor
    judgement.full_clean()
    judgement.version += 1
    try:
        with transaction.atomic():
            judgement.save()
    except IntegrityError:  # somebody judged it first, between our read and our insert
        raise StaleEdit() from None
    audit_record(actor=actor, action="evaluation.judgement_save", obj=indicator, data={
        "grade": grade, "points": str(points),
        **({"previous_grade": previous.grade, "previous_points": str(previous.points)} if previous else {})})
    return judgement


@transaction.atomic
def evidence_add(*, actor, indicator, name, data, description=""):
    """Store an attachment after the platform's content check (applications.services.uploads.detect_type:
    magic bytes, no executables or HTML, office files unpacked with bounds against zip bombs)."""
    require(actor, EDIT)
    require_editable(indicator.year)
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    if len(data) > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("Attachments may be at most %(mb)s MB.") % {"mb": MAX_EVIDENCE_BYTES // 1024 // 1024},
                              code="too_big")
    file_type, what = detect_type(BytesIO(data))
    if file_type not in ALLOWED_TYPES:
        raise ValidationError(_("By its content this file is %(what)s; only PDF, JPG, PNG, DOCX and XLSX files are "
                                "accepted.") % {"what": what or file_type}, code="type")
    original_name = upload_name(name, file_type)
    evidence = Evidence(indicator=indicator, original_name=original_name, content_type=CONTENT_TYPES[file_type],
                        size=len(data), sha256=hashlib.sha256(data).hexdigest(), description=description[:200],
                        uploaded_by=actor)
    evidence.file.save(f"{uuid.uuid4().hex}{EXTENSIONS[file_type]}", ContentFile(data), save=False)
    try:
        evidence.save()
        audit_record(actor=actor, action="evaluation.evidence_add", obj=indicator,
                     data={"file": evidence.original_name, "tech_sha256": evidence.sha256})
    except BaseException:  # no row, no file: never leave an orphan in MEDIA_ROOT
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


@transaction.atomic
def evidence_delete(*, actor, evidence):
    require(actor, EDIT)
    require_editable(evidence.indicator.year)
    audit_record(actor=actor, action="evaluation.evidence_delete", obj=evidence.indicator,
                 data={"file": evidence.original_name, "tech_sha256": evidence.sha256})
    storage, path = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(path))
