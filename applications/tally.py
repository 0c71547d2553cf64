"""How many applications stand at each status, per call and county: kept by the database, read in a millisecond.

The dashboards, the calls page and the evaluation's county figures count applications by call, county and
status. Counted from the applications table, each such figure read every application of a call: at a million
applications, half a second to a second a statement and three seconds for the city's dashboard. The counts are
therefore kept in ``StatusTally`` by triggers of the database on the applications table, whatever writes it
(the workflow's services, a bulk load in SQL, the admin site):

- every statement that inserts, updates or deletes applications adds rows of changes: +n for the keys
  (call, county, status, submitted at least once) its rows now have, -n for those they had; an update that
  changes none of these adds nothing;
- ``counts`` sums them (grouped by the index on call and status); ``compact`` folds them into one row a key
  (``manage.py tally --compact`` and the task ``applications.compact_tally`` every ten minutes), so that what is
  summed stays a few thousand rows;
- ``rebuild`` counts everything again from the applications (``manage.py tally --rebuild``); ``install`` puts the
  triggers in place. Both run after every ``migrate`` when the triggers were missing (SQLite drops a table's
  triggers when a migration rebuilds the table).

On PostgreSQL the triggers are statement-level, with transition tables: one grouped insert a statement, however
many rows it writes; on SQLite they are row-level. Tests compare ``counts`` with counting the applications after
random changes (tests/applications/test_tally.py).
"""

from collections import Counter

from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from .models import Application, Round, StatusTally

TRIGGERS = ("applications_tally_insert", "applications_tally_update", "applications_tally_delete")


def _tables():
    quote = connection.ops.quote_name
    return quote(Application._meta.db_table), quote(StatusTally._meta.db_table)


def _pg_sql():
    app, tally = _tables()
    columns = "round_id, county_id, status, submitted, n"
    key = "round_id, county_id, status, first_submitted_at IS NOT NULL"
    function = f"""
        CREATE OR REPLACE FUNCTION applications_tally() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN
                INSERT INTO {tally} ({columns}) SELECT {key}, COUNT(*) FROM new_rows GROUP BY 1, 2, 3, 4;
            ELSIF TG_OP = 'DELETE' THEN
                INSERT INTO {tally} ({columns}) SELECT {key}, -COUNT(*) FROM old_rows GROUP BY 1, 2, 3, 4;
            ELSE
                INSERT INTO {tally} ({columns})
                SELECT r, c, s, f, SUM(d) FROM (SELECT {key}, -1 FROM old_rows
                                               UNION ALL SELECT {key}, 1 FROM new_rows) AS x (r, c, s, f, d)
                GROUP BY 1, 2, 3, 4 HAVING SUM(d) <> 0;
            END IF;
            RETURN NULL;
        END $$"""  # noqa: S608 - the models' table names only
    referencing = {"INSERT": "NEW TABLE AS new_rows", "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                   "DELETE": "OLD TABLE AS old_rows"}
    triggers = [f"CREATE OR REPLACE TRIGGER {name} AFTER {event} ON {app} REFERENCING {referencing[event]}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION applications_tally()"
                for name, event in zip(TRIGGERS, referencing, strict=True)]
    return [function, *triggers]


def _sqlite_sql():
    app, tally = _tables()
    columns = "round_id, county_id, status, submitted, n"

    def row(which, n):
        return (f"INSERT INTO {tally} ({columns}) VALUES ({which}.round_id, {which}.county_id, {which}.status,"  # noqa: S608
                f" {which}.first_submitted_at IS NOT NULL, {n});")

    changed = ("OLD.round_id IS NOT NEW.round_id OR OLD.county_id IS NOT NEW.county_id OR OLD.status IS NOT NEW.status"
               " OR (OLD.first_submitted_at IS NULL) <> (NEW.first_submitted_at IS NULL)")
    insert, update, delete = TRIGGERS
    return [
        f"CREATE TRIGGER IF NOT EXISTS {insert} AFTER INSERT ON {app} BEGIN {row('NEW', 1)} END",
        f"CREATE TRIGGER IF NOT EXISTS {update} AFTER UPDATE OF round_id, county_id, status, first_submitted_at"
        f" ON {app} WHEN {changed} BEGIN {row('OLD', -1)} {row('NEW', 1)} END",
        f"CREATE TRIGGER IF NOT EXISTS {delete} AFTER DELETE ON {app} BEGIN {row('OLD', -1)} END",
    ]


def installed():
    """Whether the three triggers are on the applications table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT COUNT(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = ANY(%s)",
                           [Application._meta.db_table, list(TRIGGERS)])
        else:
            names = ", ".join(["%s"] * len(TRIGGERS))
            cursor.execute(f"SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})",  # noqa: S608
                           list(TRIGGERS))
        return cursor.fetchone()[0] == len(TRIGGERS)


def install():
    """Put the triggers in place (again); -> whether they were missing."""
    missing = not installed()
    with connection.cursor() as cursor:
        for sql in _pg_sql() if connection.vendor == "postgresql" else _sqlite_sql():
            cursor.execute(sql)
    return missing


def migrated(sender=None, using=DEFAULT_DB_ALIAS, **kwargs):
    """``post_migrate``: the triggers in place, and the counts taken again when they were not."""
    if using != DEFAULT_DB_ALIAS or StatusTally._meta.db_table not in connection.introspection.table_names():
        return
    if install():
        rebuild()


def rebuild():
    """Count every application again into one row a key; -> the number of keys. Writes to the applications wait
    for it (a million applications: about a second)."""
    app, tally = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {app} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {tally}")  # noqa: S608
        cursor.execute(f"INSERT INTO {tally} (round_id, county_id, status, submitted, n)"  # noqa: S608
                       f" SELECT round_id, county_id, status, first_submitted_at IS NOT NULL, COUNT(*) FROM {app}"
                       f" GROUP BY round_id, county_id, status, first_submitted_at IS NOT NULL")
        return cursor.rowcount


def compact():
    """Fold the rows of changes into one row a key (the keys that add up to nothing go); -> rows removed."""
    _app, tally = _tables()
    columns = "round_id, county_id, status, submitted"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {tally}")  # noqa: S608
        before = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            # what other transactions add meanwhile is not seen by the DELETE, and stays for the next time
            cursor.execute(f"WITH gone AS (DELETE FROM {tally} RETURNING {columns}, n)"  # noqa: S608
                           f" INSERT INTO {tally} ({columns}, n) SELECT {columns}, SUM(n) FROM gone"
                           f" GROUP BY {columns} HAVING SUM(n) <> 0")
            cursor.execute(f"SELECT COUNT(*) FROM {tally}")  # noqa: S608
            return before - cursor.fetchone()[0]
        # SQLite: the transaction holds the database's write lock from its start (settings: IMMEDIATE)
        cursor.execute(f"SELECT {columns}, SUM(n) FROM {tally} GROUP BY {columns} HAVING SUM(n) <> 0")  # noqa: S608
        rows = cursor.fetchall()
        cursor.execute(f"DELETE FROM {tally}")  # noqa: S608
        cursor.executemany(f"INSERT INTO {tally} ({columns}, n) VALUES (%s, %s, %s, %s, %s)", rows)  # noqa: S608
        return before - len(rows)


def counts(*, rounds=None, county=None, drafts=False, by=("round_id", "county_id", "status")):
    """Counter {key: applications} of the applications submitted at least once (those staff see; with ``drafts``
    the drafts never submitted too), of the calls ``rounds`` (ids, or a queryset of ids; all when None) and the
    county ``county`` (all when None), summed in the statement by the fields ``by`` (a key is the tuple of their
    values; the value itself when ``by`` names one field)."""
    rows = StatusTally.objects.all() if drafts else StatusTally.objects.filter(submitted=True)
    if rounds is not None:
        rows = rows.filter(round_id__in=rounds)
    if county is not None:
        rows = rows.filter(county_id=county)
    grouped = rows.values(*by).annotate(total=Sum("n")).values_list(*by, "total").order_by()
    return Counter({(row[0] if len(by) == 1 else row[:-1]): row[-1] for row in grouped if row[-1]})


def per_county(rounds, **sums):
    """[(county name, one figure a ``sums`` entry)] of every county in order, each figure the applications submitted
    at least once of the calls ``rounds`` (ids, or a queryset of ids) at the statuses of its entry ({name:
    statuses}), in one statement."""
    from accounts.models import County

    kept = StatusTally.objects.filter(submitted=True, round_id__in=rounds, county_id=OuterRef("pk"))
    figures = {name: Coalesce(Subquery(kept.filter(status__in=[str(s) for s in statuses]).values("county_id")
                                       .annotate(total=Sum("n")).values("total")), 0)
               for name, statuses in sums.items()}
    return list(County.objects.order_by("sort_order", "id").annotate(**figures).values_list("name", *figures))


def calls_with(*, exclude=()):
    """The ids of the calls with applications at a status other than ``exclude``, as a subquery (``pk__in``)."""
    return (StatusTally.objects.exclude(status__in=[str(s) for s in exclude]).values("round_id")
            .annotate(total=Sum("n")).filter(total__gt=0).values("round_id"))


def counts_by_call(*, statuses, county=None, call_fields=(), **columns):
    """[{"round_id", "status", "n", each of ``call_fields`` (fields of the call), each of ``columns``}]: ``counts``
    of ``statuses`` by call and status, in one statement with the calls' ``call_fields`` and the expressions
    ``columns`` (e.g. scalar subqueries, which PostgreSQL runs once for the statement)."""
    rows = StatusTally.objects.filter(submitted=True, status__in=[str(s) for s in statuses])
    if county is not None:
        rows = rows.filter(county_id=county)
    fields = {name: Subquery(Round.objects.filter(pk=OuterRef("round_id")).values(name)) for name in call_fields}
    return [row for row in rows.values("round_id", "status").annotate(n=Sum("n")).annotate(**fields, **columns)
            .order_by() if row["n"]]
