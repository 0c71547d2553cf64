"""Data for the fault scenarios, and the check that nothing was lost or done twice.

Used in-process (pytest, run.py) and as a command against another database (the throwaway PostgreSQL):

    DJANGO_SETTINGS_MODULE=benchmarks.faults.settings DATABASE_URL=... python -m benchmarks.faults.seed seed 12
    ... python -m benchmarks.faults.seed verify <round id>

Both print JSON.
"""

import json
import sys
from collections import Counter, defaultdict

SUBMIT_AUDIT = "application.submit"


def seed_submitters(count, counties=("中原区", "二七区")):
    """A fresh open call with one category, ``count`` complete drafts (files attached) of as many
    enterprises spread over ``counties``, one enterprise user each and one county officer per county.
    Returns (round id, [{"username", "password", "app", "county"}])."""
    from accounts.models import County
    from accounts.roles import Role
    from tests.factories import ApplicationFactory, ProfiledEnterpriseFactory, UserFactory, category_with_rules
    from tests.factories.accounts import PASSWORD
    from tests.factories.applications import attach_required, ensure_counties, enterprise_user

    ensure_counties()
    places = [County.objects.get(name=name) for name in counties]
    for place in places:
        UserFactory(role=Role.COUNTY, county=place)
    category = category_with_rules()
    people = []
    for n in range(count):
        enterprise = ProfiledEnterpriseFactory(county=places[n % len(places)])
        application = ApplicationFactory(category=category, enterprise=enterprise)
        user = enterprise_user(application)
        attach_required(application, user)
        people.append({"username": user.username, "password": PASSWORD, "app": application.pk,
                       "county": enterprise.county.abbreviation})
    return category.round_id, people


def notify_users(count, prefix="outbox"):
    """``count`` users with one e-mail notification each, from one core.notifications.notify call (its
    on-commit hook publishes one outbox task). Returns their e-mail addresses."""
    from django.db import transaction

    from accounts.roles import Role
    from core.notifications import notify
    from tests.factories import UserFactory

    users = [UserFactory(role=Role.ENTERPRISE, username=f"{prefix}{n:04d}", email=f"{prefix}{n:04d}@example.cn")
             for n in range(count)]
    with transaction.atomic():
        notify(users, subject="申报已受理", body="您的申报已被县区受理。")
    return [user.email for user in users]


def outbox_state(emails):
    from core.models import Notification

    rows = Notification.objects.filter(recipient__email__in=emails)
    return {"rows": rows.count(), "emailed": rows.filter(emailed_at__isnull=False).count(),
            "attempts": sorted(rows.values_list("email_attempts", flat=True))}


def round_outbox(round_id):
    """The e-mail outbox of one call's applications: rows, sent, and the (address, subject) of each row."""
    from applications.models import Application
    from core.models import Notification

    ids = Application.objects.filter(round_id=round_id).values_list("pk", flat=True)
    links = [f"/applications/{pk}/" for pk in ids]
    rows = Notification.objects.filter(link__in=links, email_wanted=True)
    return {"rows": rows.count(), "emailed": rows.filter(emailed_at__isnull=False).count(),
            "expected": sorted([email, subject] for email, subject in rows.values_list("recipient__email", "subject"))}


def verify(round_id):
    """Everything the scenarios assert about one call's submissions, as plain data.

    ``problems`` lists every breach of: a submitted application has exactly one frozen version, one
    submit audit row, a receipt number and one notification per county officer and enterprise user;
    a draft has none of these (no partial rows); receipt numbers are 1..n per county with the counter
    at n (gap-free, none twice)."""
    from django.contrib.contenttypes.models import ContentType

    from applications.models import Application, ApplicationVersion, ReceiptCounter
    from applications.workflow import Status
    from core.models import AuditLog, Notification

    apps = list(Application.objects.filter(round_id=round_id).select_related("county").order_by("pk"))
    ids = [a.pk for a in apps]
    versions = Counter(ApplicationVersion.objects.filter(application_id__in=ids).values_list("application_id",
                                                                                              flat=True))
    content_type = ContentType.objects.get_for_model(Application)
    audits = Counter(int(pk) for pk in AuditLog.objects.filter(
        content_type=content_type, action=SUBMIT_AUDIT, object_id__in=[str(pk) for pk in ids],
    ).values_list("object_id", flat=True))
    links = Counter(Notification.objects.filter(link__in=[f"/applications/{pk}/" for pk in ids])
                    .values_list("link", flat=True))
    from accounts.models import User
    from accounts.roles import Role

    staff = Counter(User.objects.filter(role=Role.COUNTY, is_active=True).values_list("county_id", flat=True))
    members = Counter(User.objects.filter(organisation_id__in={a.enterprise_id for a in apps}, is_active=True)
                      .values_list("organisation_id", flat=True))
    problems, numbers = [], defaultdict(list)
    submitted = 0
    for app in apps:
        link = f"/applications/{app.pk}/"
        if app.status == Status.SUBMITTED:
            submitted += 1
            expected = {"versions": (versions[app.pk], 1), "audit": (audits[app.pk], 1),
                        "notifications": (links[link], staff[app.county_id] + members[app.enterprise_id])}
            if not app.receipt_no:
                problems.append(f"{app.pk}: submitted without a receipt number")
            else:
                numbers[app.county.abbreviation].append(int(app.receipt_no.rsplit("-", 1)[1]))
        elif app.status == Status.DRAFT:
            expected = {"versions": (versions[app.pk], 0), "audit": (audits[app.pk], 0),
                        "notifications": (links[link], 0)}
            if app.receipt_no:
                problems.append(f"{app.pk}: draft holding receipt number {app.receipt_no}")
        else:
            problems.append(f"{app.pk}: unexpected status {app.status}")
            continue
        problems += [f"{app.pk} ({app.status}): {what} {got} != {want}" for what, (got, want) in expected.items()
                     if got != want]
    counters = {c.county.abbreviation: c.last_number
                for c in ReceiptCounter.objects.filter(round_id=round_id).select_related("county")}
    for county, got in numbers.items():
        if sorted(got) != list(range(1, len(got) + 1)):
            problems.append(f"{county}: receipt numbers {sorted(got)} are not 1..{len(got)}")
        if counters.get(county) != len(got):
            problems.append(f"{county}: counter at {counters.get(county)} for {len(got)} submissions")
    return {"applications": len(apps), "submitted": submitted, "drafts": len(apps) - submitted,
            "receipts": {county: len(got) for county, got in sorted(numbers.items())}, "problems": problems}


def main(argv):
    import django

    django.setup()
    if argv[:1] == ["seed"]:
        round_id, people = seed_submitters(int(argv[1]))
        print(json.dumps({"round": round_id, "people": people}))
    elif argv[:1] == ["notify"]:
        print(json.dumps(notify_users(int(argv[1]), prefix=argv[2])))
    elif argv[:1] == ["verify"]:
        print(json.dumps(verify(int(argv[1])), ensure_ascii=False))
    else:
        raise SystemExit("usage: python -m benchmarks.faults.seed seed N | notify N PREFIX | verify ROUND_ID")


if __name__ == "__main__":
    main(sys.argv[1:])
