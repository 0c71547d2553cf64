"""Evaluation years, their indicators and narrative sections."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.workflow import transition

from .. import catalogue
from ..constants import Section
from ..models import EvaluationYear, Indicator, NarrativeSection
from ..workflow import YEAR_TRANSITIONS
from . import require, require_editable

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
        for name in ("unit_name", "fund_name", "budget_basis"):
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
                 note=f"copy of {copy_from.year}" if copy_from else "catalogue")
    return new


@transaction.atomic
def year_update_settings(*, actor, year, data):
    require(actor, EDIT)
    require_editable(year)
    for name, value in data.items():
        setattr(year, name, value)
    year.full_clean()
    year.save()
    audit_record(actor=actor, action="evaluation.year_settings", obj=year, note=", ".join(sorted(data)))
    return year


def year_finalise(*, actor, year):
    require(actor, EDIT)
    validate_weights_total(year.indicators.values_list("weight", flat=True))
    return transition(year, "finalise", actor=actor, table=YEAR_TRANSITIONS, audit_action="evaluation.year_finalise")


def year_reopen(*, actor, year, note=""):
    require(actor, EDIT)
    return transition(year, "reopen", actor=actor, table=YEAR_TRANSITIONS, note=note,
                      audit_action="evaluation.year_reopen")


@transaction.atomic
def section_update(*, actor, year, key, body):
    require(actor, EDIT)
    require_editable(year)
    section, _created = NarrativeSection.objects.select_for_update().get_or_create(year=year, key=Section(key))
    if section.body == body:
        return section
    section.body = body
    section.updated_by = actor
    section.full_clean()
    section.save()
    audit_record(actor=actor, action="evaluation.section_update", obj=section)
    return section


@transaction.atomic
def indicator_save(*, actor, indicator):
    """Create or update one indicator (the form has validated its fields; the weight total is checked
    on the weights page and when the year is finalised)."""
    require(actor, EDIT)
    require_editable(indicator.year)
    created = indicator.pk is None
    indicator.full_clean()
    indicator.save()
    audit_record(actor=actor, action="evaluation.indicator_create" if created else "evaluation.indicator_update",
                 obj=indicator)
    return indicator


@transaction.atomic
def indicator_delete(*, actor, indicator):
    require(actor, EDIT)
    require_editable(indicator.year)
    audit_record(actor=actor, action="evaluation.indicator_delete", obj=indicator, note=str(indicator))
    indicator.delete()


@transaction.atomic
def weights_update(*, actor, year, weights):
    """Set every weight of the year at once; ``weights`` maps indicator id to points; they must total 100."""
    require(actor, EDIT)
    require_editable(year)
    indicators = {ind.pk: ind for ind in year.indicators.select_for_update()}
    if set(weights) != set(indicators):
        raise ValidationError(_("Give a weight for every indicator of the year."))
    validate_weights_total(weights.values())
    changed = []
    for pk, weight in weights.items():
        if indicators[pk].weight != Decimal(weight):
            indicators[pk].weight = Decimal(weight)
            changed.append(indicators[pk])
    Indicator.objects.bulk_update(changed, ["weight"])
    audit_record(actor=actor, action="evaluation.weights_update", obj=year,
                 note="; ".join(f"{ind.number}={ind.weight}" for ind in changed))
    return changed


@transaction.atomic
def deviation_reason_update(*, actor, indicator, reason):
    require(actor, EDIT)
    require_editable(indicator.year)
    indicator.deviation_reason = reason.strip()
    indicator.save(update_fields=["deviation_reason", "updated_at"])
    audit_record(actor=actor, action="evaluation.deviation_reason", obj=indicator)
    return indicator
