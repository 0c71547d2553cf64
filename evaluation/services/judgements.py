"""Judgements of the qualitative indicators and their attachments."""

import hashlib
import uuid

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_record

from ..constants import Source
from ..models import Evidence, Judgement
from ..scoring import in_band
from . import require, require_editable

EDIT = "evaluation.edit_evaluation"
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
# detected by content (magic bytes), never by the name or the browser's claim
ALLOWED_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


@transaction.atomic
def judgement_save(*, actor, indicator, grade, points, basis):
    require(actor, EDIT)
    require_editable(indicator.year)
    if indicator.source != Source.JUDGED:
        raise ValidationError(_("Only judged indicators take a judgement."))
    if not basis.strip():
        raise ValidationError(_("Write the basis of the judgement."))
    if not in_band(indicator.weight, grade, points):
        raise ValidationError(_("The points lie outside the band of the judgement."))
    judgement = Judgement.objects.select_for_update().filter(indicator=indicator).first()
    before = f"{judgement.grade} {judgement.points}" if judgement else ""
    if judgement is None:
        judgement = Judgement(indicator=indicator)
    judgement.grade, judgement.points, judgement.basis, judgement.judged_by = grade, points, basis.strip(), actor
    judgement.full_clean()
    judgement.save()
    audit_record(actor=actor, action="evaluation.judgement_save", obj=indicator, from_state=before,
                 to_state=f"{grade} {points}")
    return judgement


def sniff(data):
    kind = filetype.guess(data[:8192] if len(data) > 8192 else data)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        # docx/xlsx are recognised from the zip directory, which may lie beyond the first bytes
        kind = filetype.guess(data)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        return None
    return kind.mime


@transaction.atomic
def evidence_add(*, actor, indicator, name, data, description=""):
    require(actor, EDIT)
    require_editable(indicator.year)
    if not data:
        raise ValidationError(_("The file is empty."))
    if len(data) > MAX_EVIDENCE_BYTES:
        raise ValidationError(_("Attachments may be at most %(mb)s MB.") % {"mb": MAX_EVIDENCE_BYTES // 1024 // 1024})
    mime = sniff(data)
    if mime is None:
        raise ValidationError(_("Only PDF, JPG, PNG, DOCX and XLSX files are accepted (checked by content)."))
    evidence = Evidence(indicator=indicator, original_name=name[:200], content_type=mime, size=len(data),
                        sha256=hashlib.sha256(data).hexdigest(), description=description[:200], uploaded_by=actor)
    evidence.file.save(f"{uuid.uuid4().hex}.{ALLOWED_TYPES[mime]}", ContentFile(data), save=False)
    evidence.save()
    audit_record(actor=actor, action="evaluation.evidence_add", obj=indicator,
                 note=f"{evidence.original_name} sha256={evidence.sha256[:16]}")
    return evidence


@transaction.atomic
def evidence_delete(*, actor, evidence):
    require(actor, EDIT)
    require_editable(evidence.indicator.year)
    audit_record(actor=actor, action="evaluation.evidence_delete", obj=evidence.indicator,
                 note=f"{evidence.original_name} sha256={evidence.sha256[:16]}")
    storage, path = evidence.file.storage, evidence.file.name
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(path))
