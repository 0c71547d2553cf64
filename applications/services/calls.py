"""Writes of the annual call: rounds, categories with their award rule and materials, publishing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.locking import locked_for_edit, save_versioned
from core.permissions import require

from ..models import AwardRule, Category, FileType, Material, Round
from .common import clean_values

ROUND_FIELDS = ("year", "title", "notice", "notice_date", "opens_at", "closes_at", "county_deadline",
                "expert_review_date", "audit_date", "publicity_date", "budget_listing_date", "payment_deadline",
                "reminder_days", "followup_years", "total_budget", "same_county_conflict")


def _round_date_errors(record):
    errors = {}
    if record.opens_at and record.closes_at and record.closes_at <= record.opens_at:
        errors["closes_at"] = [_("Applications must close after they open.")]
    if record.closes_at and record.county_deadline and record.county_deadline < timezone.localdate(record.closes_at):
        errors["county_deadline"] = [_("The county deadline cannot lie before the application deadline.")]
    return errors


def round_save(*, actor, round_=None, expected_version=None, **fields):
    """Create the annual call (``round_`` None) or change it, from plain values of ``ROUND_FIELDS`` (others are
    ignored: publishing has its own service). ``expected_version`` is the version the page showed: a call changed
    by another officer since is refused (StaleEdit). Invalid values raise ValidationError; both write nothing."""
    require(actor, "applications.manage_calls")
    values, errors = clean_values(Round, ROUND_FIELDS, fields)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        record = Round() if round_ is None else locked_for_edit(round_, expected_version)
        changed = [name for name in ROUND_FIELDS if name in values and getattr(record, name) != values[name]]
        for name in changed:
            setattr(record, name, values[name])
        errors = _round_date_errors(record)
        if errors:
            raise ValidationError(errors)
        record.full_clean()
        if round_ is None:
            record.save()
        elif changed:
            save_versioned(record, changed)
        if round_ is None or changed:
            audit_record(actor=actor, action="call.create" if round_ is None else "call.update", obj=record,
                         data={"fields": changed})
    return record


def round_set_published(*, actor, round_, published, expected_version=None):
    """Publish (or withdraw) the call the officer looked at: refused (StaleEdit) if it changed meanwhile."""
    require(actor, "applications.manage_calls")
    if published and not round_.categories.exists():
        raise ValidationError(_("Add at least one category before publishing the call."))
    with transaction.atomic(durable=True):
        round_ = locked_for_edit(round_, expected_version)
        round_.is_published = published
        save_versioned(round_, ["is_published"])
        audit_record(actor=actor, action="call.publish" if published else "call.unpublish", obj=round_)
    return round_


CATEGORY_FIELDS = ("name", "description", "is_three_upgrades", "is_green_manufacturing", "above_scale_only",
                   "min_eligible_investment", "sort_order")
RULE_FIELDS = ("rate", "base", "cap", "payment", "description")
MATERIAL_FIELDS = ("name", "description", "allowed_types", "required", "max_size_mb", "sort_order")


def _apply(record, values):
    changed = [name for name, value in values.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, values[name])
    return changed


def _labelled(model, errors):
    """{field: [message]} of one part of the page as messages that name the field."""
    return [f"{model._meta.get_field(name).verbose_name}: {message}"
            for name, messages in errors.items() for message in messages]


def _material_rows(materials):
    """The material rows checked: (id or None, delete, values); raises ValidationError naming the bad values."""
    rows, problems = [], []
    for row in materials:
        material_id, delete = row.get("id"), bool(row.get("delete"))
        if material_id is not None and not str(material_id).isdecimal():
            problems.append(_("A material of this page is unknown. Reload the page."))
            continue
        values, errors = ({}, {}) if delete else clean_values(Material, MATERIAL_FIELDS, row)
        kinds = values.get("allowed_types")
        if kinds is not None and (not kinds or not set(kinds) <= set(FileType.values)):
            errors["allowed_types"] = [_("Choose at least one of the offered file types.")]
        problems += _labelled(Material, errors)
        rows.append((int(material_id) if material_id is not None else None, delete, values))
    if problems:
        raise ValidationError(problems)
    return rows


def category_save(*, actor, round_, category=None, expected_version=None, fields, rule, materials=()):
    """Create a category of ``round_`` (``category`` None) or change it, with its award rule and its materials, all
    or nothing, from plain values: ``fields`` of ``CATEGORY_FIELDS``; ``rule`` of ``RULE_FIELDS`` (``rate`` as a
    fraction, 0.1 for 10%); ``materials`` one dict per slot: ``id`` (None for a new one), ``delete`` and the values
    of ``MATERIAL_FIELDS``. The category's version locks the whole page: a stale page (another officer saved the
    category, its rule or its materials) is refused (StaleEdit). Bad values raise ValidationError, a material with
    uploads cannot be deleted (ProtectedError); all write nothing."""
    require(actor, "applications.manage_calls")
    values, errors = clean_values(Category, CATEGORY_FIELDS, fields)
    rule_values, rule_errors = clean_values(AwardRule, RULE_FIELDS, rule)
    if errors or rule_errors:
        raise ValidationError(_labelled(Category, errors) + _labelled(AwardRule, rule_errors))
    rows = _material_rows(materials)
    with transaction.atomic(durable=True):
        created = category is None
        record = Category(round=round_) if created else locked_for_edit(category, expected_version)
        if record.round_id != round_.pk:
            raise PermissionDenied
        changed = _apply(record, values)
        record.full_clean()
        if created:
            record.save()
        award = AwardRule.objects.filter(category=record).first() or AwardRule(category=record)
        rule_changed = _apply(award, rule_values)
        award.full_clean()
        if rule_changed or award.pk is None:
            award.save()
        existing = {m.pk: m for m in Material.objects.filter(category=record)}
        material_changes = 0
        for material_id, delete, material_values in rows:
            material = existing.get(material_id) if material_id is not None else Material(category=record)
            if material is None:
                raise ValidationError(_("A material of this page is unknown. Reload the page."))
            if delete:
                if material.pk is not None:
                    material.delete()  # ProtectedError when applications have uploaded files for it
                    material_changes += 1
                continue
            if _apply(material, material_values) or material.pk is None:
                material.full_clean()
                material.save()
                material_changes += 1
        if not created and (changed or rule_changed or material_changes):
            save_versioned(record, changed)  # any change of the page makes the others' copies stale
        if created or changed or rule_changed or material_changes:
            data = {"fields": changed + [f"applications.AwardRule.{name}" for name in rule_changed]}
            if material_changes:
                data["materials_changed"] = material_changes
            audit_record(actor=actor, action="category.create" if created else "category.update", obj=record,
                         data=data)
    return record
