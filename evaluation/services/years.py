"""Evaluation years, their indicators and narrative sections."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.locking import check_version, locked_for_edit, save_versioned
from core.workflow import transition

from .. import catalogue
from ..constants import Section
from ..models import EvaluationYear, Indicator, NarrativeSection
from ..workflow import YEAR_TRANSITIONS
from . import keep_in_step, require, require_editable

EDIT = "evaluation.edit_evaluation"
HUNDRED = Decimal("100")
COPIED_FIELDS = ["number", "name", "level", "direction", "target_value", "target_text", "unit", "weight",
                 "scoring_rule", "source", "source_key", "cumulative"]


def weights_total(weights):
    return sum((Decimal(w) for w in weights), Decimal("0"))


def validate_weights_total(weights):
    total = weights_total(weights)
    if total != HUNDRED:
        raise ValidationError(_("The weights of a year must total 100 points; they total %(total)s.")
                              % {"total": f"{total:f}"})


@transaction.atomic
def year_create(*, actor, year, copy_from=None):
    """A new year with the indicators and narrative of ``copy_from`` (or the 2021 catalogue when None)."""
    require(actor, EDIT)
    if EvaluationYear.objects.filter(year=year).exists():
        raise ValidationError(_("The year %(year)s exists already.") % {"year": year})
    new = EvaluationYear(year=year)
    if copy_from is not None:
        for name in ("unit_name", "fund_name"):
            setattr(new, name, getattr(copy_from, name))
    new.full_clean()
    new.save()
    if copy_from is not None:
        rows = [{f: getattr(ind, f) for f in COPIED_FIELDS} for ind in copy_from.indicators.all()]
        sections = {s.key: s.body for s in copy_from.sections.all()}
    else:
        rows, sections = list(catalogue.indicator_rows()), {}
    Indicator.objects.bulk_create(Indicator(year=new, **row) for row in rows)
    NarrativeSection.objects.bulk_create(
        NarrativeSection(year=new, key=key, body=sections.get(key, ""), updated_by=actor) for key in Section.values)
    audit_record(actor=actor, action="evaluation.year_create", obj=new,
                 data={"copied_from_year": copy_from.year} if copy_from else {"from_catalogue": True})
    return new


@transaction.atomic
def year_update_settings(*, actor, year, data, version=None):
    """Save the changed settings; ``version`` is what the editor loaded (a stale one saves nothing)."""
    require(actor, EDIT)
    locked = locked_for_edit(year, version)
    require_editable(locked)
    for name, value in data.items():
        setattr(locked, name, value)
    locked.full_clean()
    save_versioned(locked, list(data))
    audit_record(actor=actor, action="evaluation.year_settings", obj=locked, data={"fields": sorted(data)})
    return keep_in_step(year, locked, list(data))


def year_finalise(*, actor, year, version=None):
    require(actor, EDIT)
    with transaction.atomic(durable=True):
        year = locked_for_edit(year, version)
        validate_weights_total(year.indicators.values_list("weight", flat=True))
        return transition(year, "finalise", actor=actor, table=YEAR_TRANSITIONS,
                          audit_action="evaluation.year_finalise")


def year_reopen(*, actor, year, note="", version=None):
    require(actor, EDIT)
    with transaction.atomic(durable=True):
        return transition(year, "reopen", actor=actor, table=YEAR_TRANSITIONS, note=note, expected_version=version,
                          audit_action="evaluation.year_reopen")


@transaction.atomic
def section_update(*, actor, year, key, body, version=None):
    require(actor, EDIT)
    require_editable(year)
    section, _created = NarrativeSection.objects.select_for_update().get_or_create(year=year, key=Section(key))
    check_version(section, version)
    if section.body == body:
        return section
    section.body = body
    section.updated_by = actor
    section.full_clean()
    save_versioned(section, ["body", "updated_by", "updated_at"])
    audit_record(actor=actor, action="evaluation.section_update", obj=section)
    return section


@transaction.atomic
def sections_update(*, actor, year, bodies, versions):
    """Save the report texts of one form together: one stale section refuses them all (nothing is saved)."""
    return [section_update(actor=actor, year=year, key=key, body=body, version=versions.get(key))
            for key, body in bodies.items()]


@transaction.atomic
def indicator_save(*, actor, indicator, fields=None, version=None):
    """Create or update one indicator (the form has validated its fields; the weight total is checked
    on the weights page and when the year is finalised). For an update, ``fields`` are the ones the form
    edits and ``version`` the one the editor loaded: a stale edit saves nothing."""
    require(actor, EDIT)
    require_editable(indicator.year)
    created = indicator.pk is None
    if created:
        indicator.full_clean()
        indicator.version = 1
        indicator.save()
    else:
        fields = list(fields or [])
        locked = locked_for_edit(indicator, version)
        for name in fields:
            setattr(locked, name, getattr(indicator, name))
        locked.full_clean()
        indicator = save_versioned(locked, fields)
    audit_record(actor=actor, action="evaluation.indicator_create" if created else "evaluation.indicator_update",
                 obj=indicator)
    return indicator


@transaction.atomic
def indicator_delete(*, actor, indicator, version=None):
    """Delete one indicator; ``version`` is the one the deleting user saw (a changed indicator is not deleted)."""
    require(actor, EDIT)
    require_editable(indicator.year)
    indicator = locked_for_edit(indicator, version)
    audit_record(actor=actor, action="evaluation.indicator_delete", obj=indicator,
                 data={"indicator": str(indicator)})
    indicator.delete()


@transaction.atomic
def weights_update(*, actor, year, weights, versions=None):
    """Set every weight of the year at once; ``weights`` maps indicator id to points; they must total 100.
    ``versions`` maps indicator id to the version the editor loaded: any stale one saves nothing."""
    require(actor, EDIT)
    require_editable(year)
    indicators = {ind.pk: ind for ind in year.indicators.select_for_update()}
    if set(weights) != set(indicators):
        raise ValidationError(_("Give a weight for every indicator of the year."))
    if versions is not None:
        for pk, ind in indicators.items():
            check_version(ind, versions.get(pk, -1))
    validate_weights_total(weights.values())
    changed = []
    for pk, weight in weights.items():
        if indicators[pk].weight != Decimal(weight):
            indicators[pk].weight = Decimal(weight)
            changed.append(indicators[pk])
    for ind in changed:
        save_versioned(ind, ["weight"])
    audit_record(actor=actor, action="evaluation.weights_update", obj=year,
                 data={"weights": {str(ind.number): str(ind.weight) for ind in changed}})
    return changed


@transaction.atomic
def deviation_reason_update(*, actor, indicator, reason, version=None):
    require(actor, EDIT)
    require_editable(indicator.year)
    locked = locked_for_edit(indicator, version)
    locked.deviation_reason = reason.strip()
    save_versioned(locked, ["deviation_reason"])
    audit_record(actor=actor, action="evaluation.deviation_reason", obj=locked)
    return keep_in_step(indicator, locked, ["deviation_reason"])
