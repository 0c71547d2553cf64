"""Shared pieces of the disbursement services: money checks, four eyes, idempotency keys."""

import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.money import MAX_YUAN, parse_amount, round_cent
from core.workflow import TransitionNotAllowed

from ..models import IdempotencyKey


class FourEyesViolation(TransitionNotAllowed):
    """The person who prepared a payment (or batch) tries to approve it."""


def validate_amount(value, *, allow_negative=False):
    """A money amount in yuan: a finite Decimal, at most 2 decimal places (fen), not negative, not zero.

    Returns the Decimal quantised to 2 places; raises ValidationError with a message for the user. Text is
    parsed as strictly as a typed amount (core.money.parse_amount).
    """
    if isinstance(value, float):
        raise ValidationError(_("Amounts must be exact decimals, not floating point numbers."), code="float")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(_("Enter the amount in yuan as a number, e.g. 125000.50."), code="invalid")
        if value == round_cent(value):  # Decimal("100.000") is a whole amount, not three decimals
            value = round_cent(value)
    amount = parse_amount(value, allow_negative=allow_negative, max_value=MAX_YUAN)
    if amount == 0:
        raise ValidationError(_("The amount must be greater than zero."), code="zero")
    return round_cent(amount)


def check_four_eyes(preparer_id, actor, *, what):
    if preparer_id is not None and preparer_id == getattr(actor, "pk", None):
        raise FourEyesViolation(
            _("You prepared this %(what)s, so you cannot approve it: a different finance approver must approve "
              "it (four-eyes principle). Nothing was changed.") % {"what": what})


def parse_key(key):
    if isinstance(key, uuid.UUID):
        return key
    try:
        return uuid.UUID(str(key))
    except (TypeError, ValueError, AttributeError):
        raise ValidationError(_("This form is incomplete. Reload the page and try again."), code="key")


def run_once(*, key, actor, action, obj, perform):
    """Run ``perform()`` (returns a JSON-able dict) exactly once per idempotency key.

    The key row is inserted in the same transaction as the change: if the change fails, the key is free
    again; if the same key comes again (double click, replayed request), the first result is returned and
    nothing changes. A concurrent request with the same key waits on the unique key until the first commits.
    Returns ``(result, replayed)``.
    """
    if key is None:
        return perform(), False
    key = parse_key(key)
    fingerprint = {"action": action, "actor": actor, "object_type": type(obj).__name__, "object_id": str(obj.pk)}
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(key=key, **fingerprint)
            result = perform()
            IdempotencyKey.objects.filter(pk=key).update(result=result)
        return result, False
    except IntegrityError:
        first = IdempotencyKey.objects.filter(pk=key).first()
        if first is None:  # the error came from the change itself
            raise
    same = (first.action, first.actor_id, first.object_type, first.object_id) == (
        action, actor.pk, fingerprint["object_type"], fingerprint["object_id"])
    if not same:
        raise ValidationError(_("This form was already used for something else. Reload the page."), code="key_reuse")
    return first.result, True
