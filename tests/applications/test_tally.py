"""The kept counts of applications by call, county and status (applications.tally) are the counts of the table."""

import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from applications import tally
from applications.models import Application, StatusTally
from applications.workflow import Status
from tests.factories import ProfiledEnterpriseFactory, application_in, category_with_rules
from tests.factories.applications import ensure_counties

pytestmark = pytest.mark.django_db


def counted(drafts=False):
    rows = Application.objects.all() if drafts else Application.objects.filter(first_submitted_at__isnull=False)
    return Counter({(r["round_id"], r["county_id"], r["status"]): r["n"]
                    for r in rows.values("round_id", "county_id", "status").annotate(n=Count("id")).order_by()})


def test_the_kept_counts_follow_any_sequence_of_writes():
    """Saves, bulk inserts, queryset updates of one row or many, deletes: after each, the kept counts (staff's,
    and with the drafts) are what counting the applications gives, before and after folding them together."""
    from accounts.models import County

    ensure_counties()
    counties = list(County.objects.order_by("pk")[:3])
    category = category_with_rules()
    apps = [application_in(Status.SUBMITTED, category=category) for _ in range(4)]
    apps.append(application_in(Status.DRAFT, category=category))
    statuses = list(Status)
    rng = random.Random(7)
    for step in range(60):
        what = rng.choice(["status", "county", "update_many", "bulk", "delete", "submit", "compact"])
        app = rng.choice(apps)
        if what == "status":
            app.status = rng.choice(statuses)
            app.save()
        elif what == "county":
            app.county = rng.choice(counties)
            app.save(update_fields=["county"])
        elif what == "update_many":
            Application.objects.filter(pk__in=[a.pk for a in apps[:3]]).update(status=rng.choice(statuses))
        elif what == "bulk":
            apps.extend(Application.objects.bulk_create([
                Application(round=app.round, category=app.category, enterprise=ProfiledEnterpriseFactory(),
                            county=rng.choice(counties), status=Status.SUBMITTED, project_name="批量导入项目",
                            first_submitted_at=timezone.now() if rng.random() < 0.7 else None)
                for _ in range(3)]))
        elif what == "delete" and len(apps) > 3:
            apps.remove(app)
            app.delete()
        elif what == "submit":
            Application.objects.filter(pk=app.pk).update(first_submitted_at=None if rng.random() < 0.5
                                                         else timezone.now())
        else:
            tally.compact()
        assert tally.counts() == counted(), (step, what)
        assert tally.counts(drafts=True) == counted(drafts=True), (step, what)
    tally.compact()
    keys = StatusTally.objects.values("round_id", "county_id", "status", "submitted").annotate(rows=Count("id"))
    assert not keys.filter(rows__gt=1).exists() and not StatusTally.objects.filter(n=0).exists()  # one row a key
    assert tally.counts() == counted()


def test_filters_by_call_and_county():
    first = application_in(Status.SUBMITTED)
    application_in(Status.QUALIFIED, category=first.category)
    other_call = application_in(Status.SUBMITTED)
    assert tally.counts(rounds=[first.round_id]) == Counter(
        {k: n for k, n in counted().items() if k[0] == first.round_id})
    assert tally.counts(county=first.county_id) == Counter(
        {k: n for k, n in counted().items() if k[1] == first.county_id})
    assert sum(tally.counts(rounds=[other_call.round_id]).values()) == Application.objects.filter(
        round_id=other_call.round_id, first_submitted_at__isnull=False).count()


def test_rebuild_and_install_put_right_what_the_triggers_did_not_see():
    """Counts written around the triggers (here: rows of the tally deleted by hand) are put right by ``rebuild``;
    triggers that went missing are put back, and the counts taken again, by every ``migrate``."""
    application_in(Status.SUBMITTED)
    application_in(Status.FORWARDED)
    StatusTally.objects.all().delete()
    assert tally.counts() == Counter()
    tally.rebuild()
    assert tally.counts() == counted()
    assert tally.install() is False  # in place already

    app = Application.objects.first()
    with connection.cursor() as cursor:
        for name in tally.TRIGGERS:
            cursor.execute(f"DROP TRIGGER {name}" + (f" ON {Application._meta.db_table}"
                                                   if connection.vendor == "postgresql" else ""))
    assert not tally.installed()
    Application.objects.filter(pk=app.pk).update(status=Status.QUALIFIED)  # unseen
    assert tally.counts() != counted()
    tally.migrated(sender=None)  # what post_migrate runs
    assert tally.installed()
    assert tally.counts() == counted()


def test_the_management_command_compacts_and_rebuilds():
    import io

    for _ in range(3):
        application_in(Status.SUBMITTED)
    out = io.StringIO()
    call_command("tally", "--compact", stdout=out)
    assert out.getvalue().strip().endswith("row(s) folded")
    assert StatusTally.objects.filter(submitted=True).count() == len(counted())
    call_command("tally", "--rebuild", stdout=io.StringIO())
    assert tally.counts() == counted()


def test_staff_figures_read_the_kept_counts(django_assert_max_num_queries):
    """The dashboard's stage counts for the city and a county are the kept counts, each in one statement."""
    from accounts.roles import Role
    from applications.figures import applications_by_county, cycle_counts
    from tests.factories import UserFactory

    category = category_with_rules()
    a = application_in(Status.SUBMITTED, category=category)
    application_in(Status.QUALIFIED, category=category)
    application_in(Status.WITHDRAWN, category=category)
    city = UserFactory.for_role(Role.CITY)
    county = UserFactory(role=Role.COUNTY, county=a.county)
    for user in (city, county):
        with django_assert_max_num_queries(1):
            found = cycle_counts(user, [a.round])[a.round_id]
        scope = Application.objects.filter(round=a.round, first_submitted_at__isnull=False)
        if user is county:
            scope = scope.filter(county=a.county)
        assert found["submitted"] == scope.exclude(status=Status.WITHDRAWN).count()
        assert found["county_waiting"] == scope.filter(status=Status.SUBMITTED).count()
        assert found["review_waiting"] == scope.filter(status=Status.QUALIFIED).count()
    by_county = {name: (applied, awarded) for name, applied, awarded in applications_by_county(a.round)}
    assert by_county[a.county.name][0] == Application.objects.filter(
        Q(round=a.round, county=a.county, first_submitted_at__isnull=False) & ~Q(status=Status.WITHDRAWN)).count()


def test_a_county_account_without_its_county_sees_no_queue_of_another():
    """The kept counts serve the scopes they hold; a county account without a county sees nothing, as its list."""
    from accounts.roles import Role
    from applications.dashboard import _queue
    from tests.factories import UserFactory

    application_in(Status.SUBMITTED)
    lost = UserFactory(role=Role.COUNTY, county=None)
    assert all(item.count == 0 for item in _queue(lost))
    county = UserFactory(role=Role.COUNTY, county=Application.objects.get().county)
    assert {item.count for item in _queue(county)} == {1, 0}
