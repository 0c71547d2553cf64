"""Writes of the annual call: rounds, categories with their award rule and materials, publishing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.locking import locked_for_edit, save_versioned

from ..models import Round
from .common import clean_values, save_form_versioned


def _require_city(actor):
    if not actor.has_perm("applications.manage_calls"):
        raise PermissionDenied


ROUND_FIELDS = ("year", "title", "notice", "notice_date", "opens_at", "closes_at", "county_deadline",
                "expert_review_date", "audit_date", "publicity_date", "budget_listing_date", "total_budget",
                "same_county_conflict")


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
    _require_city(actor)
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
                         note=", ".join(changed)[:500])
    return record


def round_set_published(*, actor, round_, published, expected_version=None):
    """Publish (or withdraw) the call the officer looked at: refused (StaleEdit) if it changed meanwhile."""
    _require_city(actor)
    if published and not round_.categories.exists():
        raise ValidationError(_("Add at least one category before publishing the call."))
    with transaction.atomic(durable=True):
        round_ = locked_for_edit(round_, expected_version)
        round_.is_published = published
        save_versioned(round_, ["is_published"])
        audit_record(actor=actor, action="call.publish" if published else "call.unpublish", obj=round_)
    return round_


def category_save(*, actor, form, rule_form, materials):
    """Save a category, its award rule and its materials together (all or nothing). The category's version locks
    the whole page: a stale form (another officer saved the category, its rule or its materials) changes nothing."""
    _require_city(actor)
    with transaction.atomic(durable=True):
        created = form.instance.pk is None
        category = form.save() if created else save_form_versioned(form)
        rule_form.instance.category = category
        rule_form.save()
        materials.instance = category
        materials.save()
        audit_record(actor=actor, action="category.create" if created else "category.update", obj=category,
                     note=", ".join(form.changed_data + rule_form.changed_data)[:500])
    return category
