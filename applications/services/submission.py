"""Submission (with its receipt number and frozen version) and withdrawal by the enterprise."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import clock

from ..models import Application, ApplicationVersion, Attachment, ReceiptCounter
from ..workflow import Action, Status
from .common import check_allowed, check_scope, check_version, move
from .drafts import DRAFT_FIELDS, submission_problems

# What the start of a receipt number can look like (``next_receipt_no``: year, county abbreviation, number), upper-
# cased: the search box looks for a word among the receipt numbers only when it can start one (core.search).
RECEIPT_NO_PREFIX = re.compile(r"\d{1,4}|\d{4}-[A-Z]*|\d{4}-[A-Z]+-\d*")


def next_receipt_no(round_, county):
    """The next number for (round, county), e.g. 2021-ZY-0001. Call inside the submitting transaction:
    the counter row stays locked until commit, and a rollback gives the number back (gap-free)."""
    ReceiptCounter.objects.bulk_create([ReceiptCounter(round=round_, county=county)], ignore_conflicts=True)
    counter = ReceiptCounter.objects.select_for_update().get(round=round_, county=county)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{round_.year}-{county.abbreviation}-{counter.last_number:04d}"


def submission_deadline(round_, *, resubmission):
    """Server-side deadline. Corrections after a return are accepted until the county forwarding deadline."""
    deadline = round_.closes_at
    if resubmission and round_.county_deadline:
        end_of_day = datetime.datetime.combine(round_.county_deadline + datetime.timedelta(days=1), datetime.time())
        deadline = max(deadline, timezone.make_aware(end_of_day))
    return deadline


def window_error(round_, *, resubmission, now=None):
    now = now or clock.now()
    if not round_.is_published:
        return _("This call has not been published.")
    if now < round_.opens_at:
        return _("Applications open on %(time)s; submission is not possible before then.") % {
            "time": formats.date_format(timezone.localtime(round_.opens_at), "Y-m-d H:i")}
    deadline = submission_deadline(round_, resubmission=resubmission)
    if now >= deadline:
        return _("The deadline was %(time)s (server time). The platform no longer accepts submissions for this call; "
                 "if you believe this is wrong, contact your county bureau.") % {
            "time": formats.date_format(timezone.localtime(deadline), "Y-m-d H:i")}
    return ""


def snapshot(application, attachments):
    """The frozen copy of a submitted version: fields, enterprise profile, files (name, hash, size)."""
    data = {name: _plain(getattr(application, name)) for name in DRAFT_FIELDS}
    enterprise = application.enterprise
    data.update({
        "category": application.category.name,
        "round": application.round.title,
        "receipt_no": application.receipt_no,
        "county": application.county.name,
        "enterprise": {
            name: _plain(getattr(enterprise, name)) for name in (
                "name", "credit_code", "industry", "is_above_scale", "legal_representative", "contact_person",
                "contact_phone", "address", "bank_account_name", "bank_name", "bank_account_no")
        },
        "attachments": [
            {"id": a.pk, "material": a.material.name, "name": a.original_name, "sha256": a.sha256, "size": a.size}
            for a in attachments
        ],
        "declaration_accepted_at": _plain(application.declaration_accepted_at),
    })
    return data


def _plain(value):
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return str(value)  # Decimal and date: exact text


def application_submit(*, application, actor, declaration, expected_version=None, now=None):
    now = now or clock.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        check_scope(locked, actor)
        check_allowed(locked, Action.SUBMIT, actor)
        check_version(locked, expected_version)
        resubmission = locked.status == Status.RETURNED
        problem = window_error(locked.round, resubmission=resubmission, now=now)
        if problem:
            raise ValidationError(problem, code="window")
        if not declaration:
            raise ValidationError(_("Read and accept the declaration before submitting."), code="declaration")
        attachments = list(Attachment.objects.filter(application=locked, is_current=True).select_related("material"))
        problems = submission_problems(locked, attachments=attachments, now=now)
        if problems:
            raise ValidationError(problems, code="incomplete")
        county = locked.enterprise.county
        updates = {"county": county, "submitted_at": now, "declaration_accepted": True,
                   "declaration_accepted_at": now}
        if not locked.receipt_no:
            updates.update(receipt_no=next_receipt_no(locked.round, county), first_submitted_at=now)
        moved = move(locked, Action.SUBMIT, actor=actor, extra_updates=updates,
                     data={"resubmission": True} if resubmission else None)
        number = ApplicationVersion.objects.filter(application=moved).count() + 1
        ApplicationVersion.objects.create(application=moved, number=number, data=snapshot(moved, attachments),
                                          submitted_at=now, submitted_by=actor)
    application.refresh_from_db()
    return application


def application_withdraw(*, application, actor, note="", expected_version=None):
    with transaction.atomic():
        return move(application, Action.WITHDRAW, actor=actor, note=note, expected_version=expected_version)
