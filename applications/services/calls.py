"""Writes of the annual call: rounds, categories with their award rule and materials, publishing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.locking import locked_for_edit, save_versioned
from core.permissions import require

from .common import save_form_versioned


def round_save(*, actor, form):
    require(actor, "applications.manage_calls")
    with transaction.atomic():
        created = form.instance.pk is None
        round_ = form.save() if created else save_form_versioned(form)
        audit_record(actor=actor, action="call.create" if created else "call.update", obj=round_,
                     note=", ".join(form.changed_data)[:500])
    return round_


def round_set_published(*, actor, round_, published, expected_version=None):
    """Publish (or withdraw) the call the officer looked at: refused (StaleEdit) if it changed meanwhile."""
    require(actor, "applications.manage_calls")
    if published and not round_.categories.exists():
        raise ValidationError(_("Add at least one category before publishing the call."))
    with transaction.atomic():
        round_ = locked_for_edit(round_, expected_version)
        round_.is_published = published
        save_versioned(round_, ["is_published"])
        audit_record(actor=actor, action="call.publish" if published else "call.unpublish", obj=round_)
    return round_


def category_save(*, actor, form, rule_form, materials):
    """Save a category, its award rule and its materials together (all or nothing). The category's version locks
    the whole page: a stale form (another officer saved the category, its rule or its materials) changes nothing."""
    require(actor, "applications.manage_calls")
    with transaction.atomic():
        created = form.instance.pk is None
        category = form.save() if created else save_form_versioned(form)
        rule_form.instance.category = category
        rule_form.save()
        materials.instance = category
        materials.save()
        audit_record(actor=actor, action="category.create" if created else "category.update", obj=category,
                     note=", ".join(form.changed_data + rule_form.changed_data)[:500])
    return category
