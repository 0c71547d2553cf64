"""Eligibility pre-check, creating and saving drafts, and the completeness check before submission."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Organisation
from accounts.roles import OrganisationKind
from core.audit import audit_record
from core.money import format_wan
from core.permissions import require
from core.workflow import TransitionNotAllowed

from ..models import Application, Attachment
from ..workflow import EDITABLE, Status
from .common import StaleEdit, check_scope, check_version, clean_values
from .uploads import UploadRefused, attachment_remove, attachment_store

# The fields a draft form may write (everything else is set by the workflow).
DRAFT_FIELDS = (
    "project_name", "construction_type", "location", "start_date", "end_date", "total_investment",
    "eligible_investment", "equipment_investment", "requested_amount", "description", "expected_outcomes",
    "other_subsidy", "other_subsidy_detail",
)
REQUIRED_FIELDS = (
    "project_name", "construction_type", "location", "start_date", "end_date", "total_investment",
    "eligible_investment", "requested_amount", "description", "expected_outcomes",
)
# The money fields are typed in 万元: every message names them as the form labels them, never with the
# model's yuan verbose_name (the checklist must not say 元 above a field in 万元).
WAN_LABELS = {
    "total_investment": gettext_lazy("Total investment (10,000 yuan)"),
    "eligible_investment": gettext_lazy("Eligible investment (10,000 yuan)"),
    "equipment_investment": gettext_lazy("Equipment investment (10,000 yuan)"),
    "requested_amount": gettext_lazy("Requested amount (10,000 yuan)"),
}


def field_label(name):
    """The name of a draft field as the form shows it."""
    return str(WAN_LABELS.get(name) or Application._meta.get_field(name).verbose_name)


PROFILE_FIELDS = ("legal_representative", "contact_person", "contact_phone", "address", "bank_account_name",
                  "bank_name", "bank_account_no")


@dataclass
class Eligibility:
    category: object
    eligible: bool
    reasons: list = field(default_factory=list)      # why not (blocking)
    conditions: list = field(default_factory=list)   # what the application itself must meet
    existing: list = field(default_factory=list)     # the enterprise's applications in this category
    profile_fixable: bool = False                    # a reason the company profile may resolve (link to it)


def category_eligibility(enterprise, category, existing=()):
    reasons, conditions, profile_fixable = [], [], False
    if not enterprise.is_active:
        reasons.append(_("Your enterprise has been deactivated. Contact the city bureau."))
    if category.above_scale_only and not enterprise.is_above_scale:
        reasons.append(_("Only enterprises above designated size (规上) may apply; your profile says yours is not. "
                         "If this has changed, update the company profile."))
        profile_fixable = True
    if category.min_eligible_investment:
        conditions.append(_("Eligible investment of at least %(amount)s (10,000 yuan).")
                          % {"amount": format_wan(category.min_eligible_investment)})
    rule = getattr(category, "award_rule", None)
    if rule is not None:
        conditions.append(_("Award: %(rate)s%% of the %(base)s%(cap)s.") % {
            "rate": rule.rate_percent, "base": rule.get_base_display().lower(),
            "cap": (_(", at most %(cap)s (10,000 yuan)") % {"cap": format_wan(rule.cap)}) if rule.cap else "",
        })
    return Eligibility(category, not reasons, reasons, conditions, list(existing), profile_fixable)


def round_eligibility(enterprise, round_):
    """What the pre-check page shows: every category of the call, eligible or why not."""
    mine = {}
    for app in Application.objects.filter(enterprise=enterprise, round=round_).exclude(status=Status.WITHDRAWN):
        mine.setdefault(app.category_id, []).append(app)
    return [category_eligibility(enterprise, category, mine.get(category.pk, ()))
            for category in round_.categories.all()]


def application_create_draft(*, actor, category, project_name=""):
    enterprise = actor.organisation
    require(actor, "applications.apply", message=_("Only enterprise users can apply."))
    if enterprise.kind != OrganisationKind.ENTERPRISE:
        raise TransitionNotAllowed(_("Only enterprise users can apply."))
    round_ = category.round
    if not round_.is_published or timezone.now() >= round_.closes_at:
        raise ValidationError(_("This call is not open for applications."), code="closed")
    check = category_eligibility(enterprise, category)
    if not check.eligible:
        raise ValidationError(check.reasons, code="ineligible")
    with transaction.atomic():
        application = Application.objects.create(
            round=round_, category=category, enterprise=enterprise, county=enterprise.county,
            project_name=project_name or "", created_by=actor,
        )
        audit_record(actor=actor, action="application.create", obj=application, to_state=application.status)
    return application


def clean_draft_values(data):
    """The draft fields of ``data`` (plain values; other keys are ignored) checked against the model: empty values
    pass (a draft may be incomplete, the completeness check comes at submission), anything else must be a valid
    value of its field. Raises ValidationError {field: [message]} in the user's language."""
    cleaned, errors = clean_values(Application, DRAFT_FIELDS, data, empty_allowed=True)
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    if start and end and end < start:
        errors.setdefault("end_date", []).append(_("The end date lies before the start date."))
    if errors:
        raise ValidationError(errors, code="invalid")
    return cleaned


def application_save_draft(*, application, actor, data, expected_version):
    """Write the draft fields given in ``data`` (plain values); refuses a stale form (optimistic lock), locked
    statuses and invalid values (ValidationError), writing nothing."""
    data = clean_draft_values(data)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        check_scope(locked, actor)
        if locked.status not in EDITABLE:
            raise TransitionNotAllowed(_("This application can no longer be edited."))
        check_version(locked, expected_version)
        changed = [name for name in DRAFT_FIELDS if name in data and getattr(locked, name) != data[name]]
        if not changed:  # nothing to write: no new version, no audit row
            return locked
        for name in changed:
            setattr(locked, name, data[name])
        locked.version += 1
        locked.save(update_fields=[*changed, "version", "updated_at"])
        audit_record(actor=actor, action="application.save_draft", obj=locked, data={"fields": changed})
    application.refresh_from_db()
    return application


def submission_problems(application, *, attachments=None, now=None):
    """Everything that still stops this application from being submitted, in the order of the form."""
    problems = []
    for name in REQUIRED_FIELDS:
        if getattr(application, name) in (None, ""):
            problems.append(_("Fill in “%(field)s”.") % {"field": field_label(name)})
    rule = getattr(application.category, "award_rule", None)
    if rule is not None and rule.base == "equipment" and application.equipment_investment is None:
        problems.append(_("Fill in “%(field)s”: this category's award is based on it.")
                        % {"field": field_label("equipment_investment")})
    a = application
    if a.start_date and a.end_date and a.end_date < a.start_date:
        problems.append(_("The end date lies before the start date."))
    if a.total_investment is not None and a.eligible_investment is not None \
            and a.eligible_investment > a.total_investment:
        problems.append(_("The eligible investment cannot exceed the total investment."))
    if a.total_investment is not None and a.equipment_investment is not None \
            and a.equipment_investment > a.total_investment:
        problems.append(_("The equipment investment cannot exceed the total investment."))
    minimum = a.category.min_eligible_investment
    if minimum and a.eligible_investment is not None and a.eligible_investment < minimum:
        problems.append(_("This category needs an eligible investment of at least %(amount)s (10,000 yuan).")
                        % {"amount": format_wan(minimum)})
    if rule is not None and a.requested_amount is not None and rule.known_base(a) is not None:
        ceiling = rule.compute(a)
        if a.requested_amount > ceiling:
            problems.append(_("The requested amount exceeds what the award rule allows for these figures: at most "
                              "%(amount)s (10,000 yuan).") % {"amount": format_wan(ceiling)})
    if a.requested_amount is not None and a.requested_amount <= 0:
        problems.append(_("The requested amount must be more than zero."))
    if a.other_subsidy and not a.other_subsidy_detail.strip():
        problems.append(_("Name the other subsidy that funds this project."))
    if attachments is None:
        attachments = Attachment.objects.filter(application=a, is_current=True)
    present = {att.material_id for att in attachments}
    for material in a.category.materials.all():
        if material.required and material.pk not in present:
            problems.append(_("Upload “%(material)s”.") % {"material": material.name})
    enterprise = a.enterprise
    missing_profile = [str(Organisation._meta.get_field(n).verbose_name)
                       for n in PROFILE_FIELDS if not getattr(enterprise, n)]
    if missing_profile:
        problems.append(_("Complete the company profile first: %(fields)s.")
                        % {"fields": _(", ").join(missing_profile)})
    if enterprise.county_id is None:
        problems.append(_("Choose your enterprise's county in the company profile."))
    check = category_eligibility(enterprise, a.category)
    problems.extend(check.reasons)
    return problems


@dataclass
class DraftEdit:
    """What one save of the draft page did."""

    application: Application
    stale: ValidationError | None = None   # the page was out of date: nothing at all was written
    saved: bool = False                      # the fields were written (or were unchanged)
    upload_errors: dict = field(default_factory=dict)  # material id -> messages of the refused file
    removed: object = None                   # the material whose file was removed


def draft_edit(*, actor, application, expected_version, fields=None, uploads=None, remove_material_id=None):
    """One save of the draft page, all against ``expected_version`` (the version the page was opened with): the
    draft ``fields`` (plain values; None when the form had errors: only the files change), then each upload
    (``uploads``: {material id: uploaded file}, each slot succeeds or fails on its own), then the removal of one
    slot's file. A stale page writes nothing at all (``stale``). Invalid field values raise ValidationError before
    anything is written."""
    result = DraftEdit(application)
    if fields is not None:
        fields = clean_draft_values(fields)
    with transaction.atomic(durable=True):
        locked = Application.objects.select_for_update().get(pk=application.pk)
        check_scope(locked, actor)
        try:
            check_version(locked, expected_version)
        except StaleEdit as exc:
            result.stale = exc
            application.refresh_from_db()
            return result
        if fields is not None:
            application = application_save_draft(application=application, actor=actor, data=fields,
                                                 expected_version=expected_version)
            result.application, result.saved = application, True
        materials = list(application.category.materials.all())
        for material in materials:
            upload = (uploads or {}).get(material.pk)
            if upload is None:
                continue
            try:
                attachment_store(application=application, material=material, upload=upload, actor=actor,
                                 expected_version=application.version)
            except (UploadRefused, StaleEdit) as exc:
                result.upload_errors[material.pk] = exc.messages
        remove = str(remove_material_id or "")
        material = next((m for m in materials if remove.isdecimal() and m.pk == int(remove)), None)
        if material is not None:
            try:
                attachment_remove(application=application, material=material, actor=actor,
                                  expected_version=application.version)
            except (UploadRefused, StaleEdit) as exc:
                result.upload_errors[material.pk] = exc.messages
            else:
                result.removed = material
    return result
