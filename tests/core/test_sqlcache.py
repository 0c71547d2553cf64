"""core.sqlcache: a statement compiled once gives, for any values, exactly the rows the queryset built afresh gives."""

import pytest
from django.db.models import Count, F, Q, Value

from accounts.roles import Role
from applications.models import Application, Attachment
from applications.selectors import application_detail, applications_for, detail_rows
from applications.workflow import Status
from core import sqlcache
from core.models import AuditLog, Notification
from tests.factories import application_in
from tests.factories.accounts import county

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget():
    sqlcache.clear()
    yield
    sqlcache.clear()


def _with_related(pk):
    return (Application.objects.select_related("enterprise", "category", "county")
            .annotate(files=Count("attachments")).filter(pk=pk))


def test_model_rows_with_related_rows_and_annotations_match_a_fresh_queryset():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, second = application_in(Status.SUBMITTED), application_in(Status.FORWARDED)
    for n, app in enumerate((first, second, first)):
        with CaptureQueriesContext(connection) as ctx:
            got = sqlcache.rows("related", _with_related, pk=app.pk)
        # one statement (PostgreSQL prepares it on the first call)
        assert len(_statements(ctx.captured_queries)) == (1 if n or connection.vendor != "postgresql" else 2)
        fresh = list(_with_related(app.pk))
        assert [a.pk for a in got] == [app.pk] == [a.pk for a in fresh]
        assert got[0].enterprise.name == fresh[0].enterprise.name  # the select_related rows, already read
        assert got[0].county.name == fresh[0].county.name and got[0].files == fresh[0].files
        assert got[0].status == app.status
    assert len(sqlcache._entries()) == 1  # one compiled statement for the three calls


def test_values_list_unions_and_text_parameters_match():
    app = application_in(Status.SUBMITTED)
    other = application_in(Status.SUBMITTED)
    for target in (app, other):
        AuditLog.objects.create(action="application.submit", object_id=str(target.pk), object_repr=f"#{target.pk}")

    def build(pk, code):
        logs = AuditLog.objects.filter(object_id=str(pk)).order_by().annotate(k=Value("l"), n=F("id"))
        apps = Application.objects.filter(Q(pk=pk) | Q(pk=code)).order_by().annotate(k=Value("a"), n=F("id"))
        return logs.values_list("k", "n").union(apps.values_list("k", "n"), all=True).order_by()

    for target in (app, other):
        got = sqlcache.rows("union", build, pk=target.pk, code=other.pk)
        assert sorted(got) == sorted(build(target.pk, other.pk))
        assert ("a", other.pk) in got and sum(1 for k, _n in got if k == "l") == 1


def test_count_matches_the_querysets_count(user_for):
    user_a, user_b = user_for(Role.CITY), user_for(Role.CITY)
    for n in range(3):
        Notification.objects.create(recipient=user_a, subject=f"a{n}", object_key=f"k{n % 2}")
    Notification.objects.create(recipient=user_b, subject="b")

    def build(user):
        return Notification.objects.filter(recipient=user).values("object_key").annotate(n=Count("id"))

    assert sqlcache.count("groups", build, user=user_a.pk) == build(user_a.pk).count() == 2
    assert sqlcache.count("groups", build, user=user_b.pk) == build(user_b.pk).count() == 1


def test_a_value_that_does_not_reach_the_statement_is_refused():
    with pytest.raises(ValueError, match="limit"):
        sqlcache.rows("bad", lambda pk, limit: Application.objects.filter(pk=pk)[:1], pk=1, limit=5)


def test_prefetch_related_is_refused():
    with pytest.raises(ValueError, match="prefetch_related"):
        sqlcache.rows("prefetch", lambda pk: Application.objects.filter(pk=pk).prefetch_related("attachments"), pk=1)


def test_a_statement_that_can_return_nothing_gives_no_rows():
    assert sqlcache.rows("none", lambda pk: Application.objects.none().filter(pk=pk), pk=1) == []
    assert sqlcache.count("none", lambda pk: Application.objects.none().filter(pk=pk), pk=1) == 0


def test_the_least_recently_used_statement_is_dropped(monkeypatch):
    monkeypatch.setattr(sqlcache, "MAX_ENTRIES", 2)
    app = application_in(Status.SUBMITTED)
    for key in ("one", "two", "one", "three"):
        assert [a.pk for a in sqlcache.rows(key, lambda pk: Application.objects.filter(pk=pk), pk=app.pk)] == [app.pk]
    assert list(sqlcache._entries()) == ["one", "three"]


def test_the_application_page_statements_keep_each_scope(user_for):
    """Two counties' staff share no compiled statement: each sees its own county's applications, 404 for others."""
    here = application_in(Status.SUBMITTED)
    there = application_in(Status.SUBMITTED, county=county("金水区"))
    assert here.county_id != there.county_id
    staff_here = user_for(Role.COUNTY, county=here.county)
    staff_there = user_for(Role.COUNTY, county=there.county)
    city = user_for(Role.CITY)
    assert application_detail(staff_here, here.pk).pk == here.pk
    with pytest.raises(Application.DoesNotExist):
        application_detail(staff_here, there.pk)
    assert application_detail(staff_there, there.pk).pk == there.pk
    with pytest.raises(Application.DoesNotExist):
        application_detail(staff_there, here.pk)
    assert {application_detail(city, a.pk).pk for a in (here, there)} == {here.pk, there.pk}
    for actor in (staff_here, city):
        rows = detail_rows(actor, here, duplicates=True)
        fresh_files = Attachment.objects.filter(application=here, is_current=True).count()
        assert len(rows.attachments) == fresh_files
        assert [m.pk for m in rows.materials] == list(
            here.category.materials.order_by("sort_order", "id").values_list("pk", flat=True))
    assert applications_for(staff_here).filter(pk=there.pk).exists() is False


def _statements(captured):
    return [q["sql"] for q in captured if not q["sql"].startswith(("SAVEPOINT", "RELEASE", "BEGIN", "COMMIT"))]


def test_on_postgresql_the_statement_is_prepared_once_per_connection(postgres):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first, second = application_in(Status.SUBMITTED), application_in(Status.FORWARDED)
    with CaptureQueriesContext(connection) as ctx:
        assert [a.pk for a in sqlcache.rows("prepared", _with_related, pk=first.pk)] == [first.pk]
        assert [a.pk for a in sqlcache.rows("prepared", _with_related, pk=second.pk)] == [second.pk]
    statements = _statements(ctx.captured_queries)
    assert len(statements) == 3 and statements[0].startswith("PREPARE sqlcache_")
    assert all(s.startswith("EXECUTE sqlcache_") for s in statements[1:])
    # a session it does not know (a reconnect) is prepared again; one that has the statement already keeps it
    connection._sqlcache_prepared = ((0, 0), set())
    with CaptureQueriesContext(connection) as ctx:
        assert sqlcache.count("prepared", _with_related, pk=first.pk) == 1
        assert [a.pk for a in sqlcache.rows("prepared", _with_related, pk=first.pk)] == [first.pk]
    statements = _statements(ctx.captured_queries)
    assert statements[0].startswith("PREPARE sqlcache_") and statements[-1].startswith("EXECUTE sqlcache_")
    assert "PREPARE" in statements[-3]  # the row statement's PREPARE, refused as existing, then EXECUTE


def test_a_statement_the_server_will_not_prepare_runs_as_plain_sql(postgres, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    app = application_in(Status.SUBMITTED)
    AuditLog.objects.create(action="application.submit", object_id=str(app.pk), object_repr="x")
    monkeypatch.setattr(sqlcache, "_types", lambda params: ["int8"] * len(params))  # varchar = bigint: refused
    with CaptureQueriesContext(connection) as ctx:
        got = sqlcache.rows("refused", lambda pk: AuditLog.objects.filter(object_id=str(pk)), pk=app.pk)
    assert [log.object_id for log in got] == [str(app.pk)]
    assert _statements(ctx.captured_queries)[-1].startswith("SELECT")
    assert Application.objects.filter(pk=app.pk).exists()  # the transaction is still usable


def test_a_value_that_shapes_the_statement_is_refused():
    with pytest.raises(ValueError, match="depends on the values"):
        sqlcache.rows("shape", lambda pk, n: Application.objects.filter(pk=pk)[: n - 20_000], pk=1, n=1)


def test_small_integer_columns_take_their_values(user_for):
    """A fund year is a small integer: the stand-ins must fit it (Django compiles an out-of-range value as
    "no row")."""
    import datetime
    from decimal import Decimal

    from django.db.models import Sum

    from disbursements.figures import budget_figures
    from disbursements.models import BudgetEntry

    city = user_for(Role.CITY)
    for year, amount in ((2097, "100.00"), (2098, "250.00")):
        BudgetEntry.objects.create(fund_year=year, kind=BudgetEntry.Kind.ORIGINAL, amount=Decimal(amount),
                                   date=datetime.date(year, 1, 1), created_by=city)
    def sums(year):
        return sqlcache.rows(("entry_sums",), lambda year: BudgetEntry.objects.filter(fund_year=year).order_by()
                             .values("fund_year").annotate(original=Sum("amount")).values("original"), year=year)

    assert [row["original"] for row in sums(2097)] == [Decimal("100.00")] == [budget_figures(2097).original]
    assert [row["original"] for row in sums(2098)] == [Decimal("250.00")] == [budget_figures(2098).original]
    assert sums(2099) == [] and budget_figures(2099).recorded is False


def test_a_value_no_integer_column_can_hold_matches_nothing():
    app = application_in(Status.SUBMITTED)
    assert sqlcache.rows("huge", lambda pk: Application.objects.filter(pk=pk), pk=app.pk)[0].pk == app.pk
    assert sqlcache.rows("huge", lambda pk: Application.objects.filter(pk=pk), pk=10**20) == []
    assert sqlcache.count("huge", lambda pk: Application.objects.filter(pk=pk), pk=-(10**20)) == 0


def test_keys_of_any_page_come_from_one_statement():
    """``keys``: the keys of rows bottom:top in the queryset's order, the page's position a parameter."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    apps = [application_in(Status.SUBMITTED if n % 2 else Status.FORWARDED, county=county(("中原区", "金水区")[n % 2]))
            for n in range(7)]
    county_ids = {a.county_id for a in apps}
    everything = list(Application.objects.order_by("-id").values_list("pk", flat=True))
    with CaptureQueriesContext(connection) as ctx:
        for bottom, top in ((0, 3), (2, 5), (5, 9), (9, 12)):
            assert sqlcache.keys("ordered", lambda county: Application.objects.exclude(county_id=county)
                                 .order_by("-id"), bottom, top, county=0) == everything[bottom:top]
    statements = _statements(ctx.captured_queries)
    if connection.vendor == "postgresql":
        assert len({s.split("(")[0] for s in statements if s.startswith("EXECUTE")}) == 1
    for county_id in county_ids:
        expected = list(Application.objects.filter(county_id=county_id).order_by("-id").values_list("pk", flat=True))
        assert sqlcache.keys("by county", lambda county: Application.objects.filter(county_id=county)
                             .order_by("-id"), 0, 2, county=county_id) == expected[0:2]
