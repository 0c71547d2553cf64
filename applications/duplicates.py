"""Possible duplicate applications: the one definition of the checks, and the flag that keeps their result.

An active application (not a draft, not withdrawn) is a possible duplicate when

- another active application of the same enterprise stands in the same call and category;
- one of its current files is identical (same SHA-256) to a current file of an active application of another
  enterprise; or
- the enterprise declared another subsidy for the project.

Checking fifty rows on every list page cost about 200 index probes (1.2-1.5 ms at a million applications), and
the "only possible duplicates" filter ran both checks on every row it read. The result is therefore kept on the
application (``Application.possible_duplicate``) and brought up to date whenever something it depends on
changes (``refresh``):

- an application saved with its status, its declared subsidy, its enterprise, call or category (a workflow
  transition saves the status: ``post_save``, connected in ``AppConfig.ready``);
- a file saved (``post_save``), and a file taken out of a slot, replaced or removed (``services.uploads`` calls
  ``refresh`` with its hash: the holders of an identical file may no longer be duplicates).

A change touches more than its own application: the others of the enterprise in the same call and category, and
the applications holding a file identical to one of its files, are checked again too. Whatever a refresh cannot
see (rows written by SQL, bulk loads, two transactions changing both sides of a pair at the same instant) is put
right by ``refresh_all`` (``manage.py refresh_duplicates`` and the nightly task ``applications.refresh_duplicates``),
which recomputes every flag set-wise.

A file that thousands of enterprises uploaded (a blank template) links all their applications. Neither a
change nor the application page reads them all: a change leaves the holders of a file alone when active
applications of two enterprises or more hold it besides the changed ones (``_settled``: their flags cannot
depend on the change), and the page lists the first few holders of each file (``shared_file_ids``).

The application page and the exports show why an application is flagged, each check apart
(``duplicate_annotations``, ``duplicate_sets``, ``shared_file_ids``; ``selectors.detail_rows``).
"""

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.expressions import RawSQL

from core import sqlcache

from .models import Application, Attachment
from .workflow import Status

INACTIVE = (Status.DRAFT, Status.WITHDRAWN)  # an application in these statuses is never a duplicate, nor makes one
WATCHED = frozenset({"status", "other_subsidy", "enterprise", "enterprise_id", "round", "round_id", "category",
                     "category_id"})  # the fields of an application the checks read


def duplicate_annotations():
    """The two checks as correlated EXISTS subqueries (``dup_category``, ``dup_file``), for a queryset whose rows
    say why they are flagged (the exports)."""
    other_same_category = Application.objects.filter(
        round_id=OuterRef("round_id"), category_id=OuterRef("category_id"), enterprise_id=OuterRef("enterprise_id"),
    ).exclude(pk=OuterRef("pk")).exclude(status__in=INACTIVE)
    shared_file = Attachment.objects.filter(
        is_current=True,
        sha256__in=Attachment.objects.filter(application_id=OuterRef(OuterRef("pk")), is_current=True).values("sha256"),
    ).exclude(application__enterprise_id=OuterRef("enterprise_id")).exclude(application__status__in=INACTIVE)
    return {"dup_category": Exists(other_same_category), "dup_file": Exists(shared_file)}


def _duplicate_sql():
    """The SQL conditions of the checks on an application ``a`` (placeholders: the inactive statuses twice each).
    Only placeholders and the models' own table names go into the text."""
    quote = connection.ops.quote_name
    app, att = quote(Application._meta.db_table), quote(Attachment._meta.db_table)
    same_category = (
        f"EXISTS (SELECT 1 FROM {app} b WHERE b.enterprise_id = a.enterprise_id AND b.round_id = a.round_id"  # noqa: S608
        f"  AND b.category_id = a.category_id AND b.id <> a.id AND b.status NOT IN (%s, %s))")
    shared_file = (
        # (sha256, application) of the current files is an index: another application's file is found there
        f"EXISTS (SELECT 1 FROM {att} x JOIN {att} y ON y.sha256 = x.sha256 AND y.application_id <> x.application_id"  # noqa: S608
        f"  JOIN {app} c ON c.id = y.application_id"
        f"  WHERE x.application_id = a.id AND x.is_current AND y.is_current AND c.enterprise_id <> a.enterprise_id"
        f"  AND c.status NOT IN (%s, %s))")
    return app, same_category, shared_file


def _checks():
    app, same_category, shared_file = _duplicate_sql()
    return app, f"a.status NOT IN (%s, %s) AND (a.other_subsidy OR {same_category} OR {shared_file})"


def duplicate_flags(ids):
    """{id: True} for the applications among ``ids`` that the checks flag now, computed in one statement (what
    ``refresh`` writes into ``possible_duplicate``)."""
    if not ids:
        return {}
    app, checks = _checks()
    params = [*INACTIVE, *INACTIVE, *INACTIVE]
    if connection.vendor == "postgresql":  # the ids as one array: one statement text, prepared once
        rows = sqlcache.raw_rows("duplicate_flags", f"SELECT a.id FROM {app} a WHERE a.id = ANY(%s) AND {checks}",  # noqa: S608
                                 [[int(i) for i in ids], *params])
    else:
        marks = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT a.id FROM {app} a WHERE a.id IN ({marks}) AND {checks}",  # noqa: S608
                           [*(int(i) for i in ids), *params])
            rows = cursor.fetchall()
    return {row[0]: True for row in rows}


def duplicate_sets(rows):
    """{"dup_category": ids, "dup_file": ids}: the active applications of ``rows`` (a queryset) that each check
    flags. Two statements for a whole export: the checks stand in the WHERE clause, where PostgreSQL joins them
    set-wise, not as two subqueries run for every row (``duplicate_annotations``)."""
    try:
        ids_sql, ids_params = rows.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return {"dup_category": set(), "dup_file": set()}
    app, same_category, shared_file = _duplicate_sql()
    found = {}
    with connection.cursor() as cursor:
        for flag, condition in (("dup_category", same_category), ("dup_file", shared_file)):
            cursor.execute(f"SELECT a.id FROM {app} a WHERE a.id IN ({ids_sql}) AND a.status NOT IN (%s, %s)"  # noqa: S608
                           f" AND {condition}", [*ids_params, *INACTIVE, *INACTIVE])
            found[flag] = {row[0] for row in cursor.fetchall()}
    return found


def shared_file_ids(pk, enterprise, per_file):
    """RawSQL for ``id IN (...)``: the current files of other enterprises' active applications identical to a
    current file of the application ``pk`` (of ``enterprise``), at most ``per_file`` of them for each of its
    files, those of the first applications by id. On PostgreSQL each file's holders are read in order from the
    (sha256, application) index and the reading stops there: a blank template held by tens of thousands of
    applications costs what a file held by two does."""
    quote = connection.ops.quote_name
    app, att = quote(Application._meta.db_table), quote(Attachment._meta.db_table)
    holders = (f"FROM {att} y JOIN {app} c ON c.id = y.application_id WHERE y.is_current"  # noqa: S608
               f" AND c.enterprise_id <> %s AND c.status NOT IN (%s, %s)")
    if connection.vendor == "postgresql":
        sql = (f"SELECT s.id FROM (SELECT DISTINCT sha256 FROM {att} WHERE application_id = %s AND is_current) x"  # noqa: S608
               f" CROSS JOIN LATERAL (SELECT y.id {holders} AND y.sha256 = x.sha256"
               f" ORDER BY y.application_id, y.id LIMIT %s) s")
        return RawSQL(sql, [pk, enterprise, *INACTIVE, per_file])  # noqa: S611 - table names and placeholders
    # SQLite has no LATERAL: number each file's holders (what it holds at its scale costs little)
    sql = (f"SELECT n.id FROM (SELECT y.id, ROW_NUMBER() OVER (PARTITION BY y.sha256"  # noqa: S608
           f" ORDER BY y.application_id, y.id) AS place {holders} AND y.sha256 IN ("
           f"SELECT sha256 FROM {att} WHERE application_id = %s AND is_current)) n WHERE n.place <= %s")
    return RawSQL(sql, [enterprise, *INACTIVE, pk, per_file])  # noqa: S611 - table names and placeholders


def _settled(hashes, ids):
    """The hashes among ``hashes`` that current files of active applications of two enterprises or more hold,
    not counting the applications ``ids``. Whatever ``ids`` become, every active holder of such a file keeps
    another enterprise's identical file, and with it its flag: a change of ``ids`` need not check them again.
    Each hash costs two short reads of the (sha256, application) index: the first holder's enterprise, then the
    first holder of another."""
    hashes = sorted(set(hashes))
    if not hashes:
        return set()
    quote = connection.ops.quote_name
    app, att = quote(Application._meta.db_table), quote(Attachment._meta.db_table)
    listed = " UNION ALL ".join(["SELECT %s AS sha256"] * len(hashes))
    outside = ", ".join(["%s"] * len(ids)) or "NULL"
    holders = (f"FROM {att} {{y}} JOIN {app} {{c}} ON {{c}}.id = {{y}}.application_id"  # noqa: S608
               f" WHERE {{y}}.sha256 = h.sha256 AND {{y}}.is_current AND {{c}}.status NOT IN (%s, %s)"
               f" AND {{y}}.application_id NOT IN ({outside})")
    first = f"SELECT c2.enterprise_id {holders.format(y='y2', c='c2')} ORDER BY y2.application_id LIMIT 1"
    # a scalar subquery with LIMIT, not EXISTS: PostgreSQL would plan EXISTS as a join costed for every holder
    # of a common file, and compile that plan for the costly join it is not (JIT)
    sql = (f"SELECT h.sha256 FROM ({listed}) h WHERE (SELECT 1 {holders.format(y='y', c='c')}"  # noqa: S608
           f" AND c.enterprise_id <> ({first}) LIMIT 1) = 1")
    with connection.cursor() as cursor:
        cursor.execute(sql, [*hashes, *INACTIVE, *ids, *INACTIVE, *ids])
        return {row[0] for row in cursor.fetchall()}


def affected(ids, hashes=()):
    """The applications whose flag a change to the applications ``ids`` (and to files with the SHA-256 ``hashes``,
    e.g. a file just replaced) can change: themselves, the others of their enterprise in the same call and
    category, and those holding a current file identical to one of theirs or to ``hashes``, unless that file is
    ``_settled``."""
    ids = [int(i) for i in ids]
    if not ids and not hashes:
        return set()
    groups = Application.objects.filter(pk__in=ids).values_list("enterprise_id", "round_id", "category_id")
    siblings = Q()
    for enterprise, call, category in groups:
        siblings |= Q(enterprise_id=enterprise, round_id=call, category_id=category)
    found = set(ids)
    if siblings:
        found.update(Application.objects.filter(siblings).values_list("pk", flat=True))
    current = Attachment.objects.filter(is_current=True).order_by()
    shared = set(current.filter(application_id__in=ids).values_list("sha256", flat=True)).union(hashes)
    shared -= _settled(shared, ids)
    if shared:
        found.update(current.filter(sha256__in=sorted(shared)).values_list("application_id", flat=True))
    return found


def refresh(ids, hashes=()):
    """Bring ``possible_duplicate`` up to date for every application a change to ``ids`` (and to files with the
    SHA-256 ``hashes``) can concern (``affected``); -> the number of flags changed."""
    concerned = affected(ids, hashes)
    if not concerned:
        return 0
    with transaction.atomic():
        flagged = set(duplicate_flags(sorted(concerned)))
        wrong = Application.objects.filter(pk__in=concerned).filter(
            Q(possible_duplicate=False, pk__in=flagged) | (Q(possible_duplicate=True) & ~Q(pk__in=flagged)))
        # an application another transaction is changing is left to that change's own refresh (and to the
        # nightly one): waiting for it could deadlock two changes of a pair made at the same moment
        wrong = list(wrong.select_for_update(skip_locked=True).values_list("pk", "possible_duplicate"))
        for flag in (True, False):
            Application.objects.filter(pk__in=[pk for pk, kept in wrong if kept != flag]).update(
                possible_duplicate=flag)
    return len(wrong)


def _flagged_set_wise():
    """(sql, params): the condition of the checks on an application ``a`` written set-wise, for every application
    at once: the groups of an enterprise, call and category with two active applications or more, and the hashes
    that current files of active applications of two enterprises or more share, each found once with a hash
    aggregate (a million applications: 9 s, against four minutes for the per-row ``_checks``). The same result as
    ``_checks`` (tests/applications/test_duplicates.py compares them)."""
    quote = connection.ops.quote_name
    app, att = quote(Application._meta.db_table), quote(Attachment._meta.db_table)
    twins = (f"SELECT b.id FROM {app} b JOIN (SELECT enterprise_id, round_id, category_id FROM {app}"  # noqa: S608
             f"  WHERE status NOT IN (%s, %s) GROUP BY enterprise_id, round_id, category_id HAVING COUNT(*) > 1) g"
             f"  ON g.enterprise_id = b.enterprise_id AND g.round_id = b.round_id AND g.category_id = b.category_id")
    shared = (f"SELECT x.application_id FROM {att} x WHERE x.is_current AND x.sha256 IN ("  # noqa: S608
              f"  SELECT y.sha256 FROM {att} y JOIN {app} c ON c.id = y.application_id"
              f"  WHERE y.is_current AND c.status NOT IN (%s, %s) GROUP BY y.sha256"
              f"  HAVING COUNT(DISTINCT c.enterprise_id) > 1)")
    condition = f"(a.status NOT IN (%s, %s) AND (a.other_subsidy OR a.id IN ({twins}) OR a.id IN ({shared})))"
    return condition, [*INACTIVE, *INACTIVE, *INACTIVE]


def refresh_all():
    """Recompute every application's flag set-wise (after a bulk load; nightly, to put right what no refresh
    saw); -> the number of flags changed."""
    app = connection.ops.quote_name(Application._meta.db_table)
    column = connection.ops.quote_name("possible_duplicate")
    condition, params = _flagged_set_wise()
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {app} SET {column} = NOT {column} WHERE id IN ("  # noqa: S608
                       f"  SELECT a.id FROM {app} a WHERE a.{column} <> {condition})", params)
        return cursor.rowcount


def application_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """``post_save`` of an application: refresh the flags when a field the checks read may have changed."""
    if raw or (update_fields is not None and not WATCHED.intersection(update_fields)):
        return
    refresh([instance.pk])


def attachment_saved(sender, instance, created=False, raw=False, **kwargs):
    """``post_save`` of a file: its application and the holders of an identical file."""
    if not raw:
        refresh([instance.application_id], [instance.sha256])
