"""Budget entries (dated figures, never overwritten) and the per-year due-date rule."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.locking import StaleEdit, check_version, save_versioned
from core.permissions import require

from ..models import BudgetEntry, Commitment, PaymentRule
from .commitments import due_date_for
from .common import validate_amount


def budget_entry_add(*, actor, fund_year, kind, amount, date, note=""):
    """Add one dated figure to a year's budget. Only adjustments may be negative."""
    require(actor, "disbursements.edit_budget")
    if kind not in BudgetEntry.Kind.values:
        raise ValidationError(_("Choose the kind of budget figure."), code="kind")
    amount = validate_amount(amount, allow_negative=kind == BudgetEntry.Kind.ADJUSTMENT)
    with transaction.atomic():
        entry = BudgetEntry.objects.create(fund_year=fund_year, kind=kind, amount=amount, date=date, note=note,
                                           created_by=actor)
        audit_record(actor=actor, action="budget.entry_add", obj=entry,
                     note=note, data={"fund_year": fund_year, "kind": kind, "amount_yuan": str(amount),
                                      "date": date.isoformat()})
    return entry


def payment_rule_set(*, actor, fund_year, days, basis=PaymentRule.Basis.CALENDAR, note="", version=None):
    """Set the year's due-date rule and recompute the due dates of that year's commitments (audited).

    ``version``: the rule's version the editor loaded (0 = there was no rule yet); a different current version
    raises StaleEdit and changes nothing. None: called from code, no check."""
    require(actor, "disbursements.edit_payment_rule")
    with transaction.atomic():
        rule = PaymentRule.objects.select_for_update().filter(fund_year=fund_year).first()
        check_version(rule or PaymentRule(version=0), version)
        if rule is None:
            try:
                with transaction.atomic():
                    rule = PaymentRule.objects.create(fund_year=fund_year, days=days, basis=basis, note=note,
                                                      updated_by=actor)
            except IntegrityError:  # a colleague created it at the same moment
                raise StaleEdit() from None
        else:
            rule.days, rule.basis, rule.note, rule.updated_by = days, basis, note, actor
            save_versioned(rule, ["days", "basis", "note", "updated_by"])
        changed = 0
        for commitment in Commitment.objects.select_for_update().filter(fund_year=fund_year):
            due = due_date_for(fund_year, commitment.approved_at, rule=rule)
            if due != commitment.due_date:
                commitment.due_date = due
                commitment.save(update_fields=["due_date"])
                changed += 1
        audit_record(actor=actor, action="payment_rule.set", obj=rule,
                     note=note, data={"fund_year": fund_year, "days": days, "basis": basis,
                                      "due_dates_changed": changed})
    return rule, changed
