"""Statements built and compiled once, then run again with other values.

Django builds a queryset (filters, joins, annotations) and compiles it to SQL anew every time it is evaluated.
For the few statements an object page runs on every request — the object with its related rows, the UNION ALL
of its small lists — that Python work costs several times what PostgreSQL needs to answer them. ``rows`` builds
such a queryset once per ``key`` with stand-in values, compiles it once, remembers where each stand-in went among
the statement's parameters, and afterwards only puts the real values there before running the same SQL: the
rows come back exactly as the queryset would give them (model instances with their ``select_related`` rows and
annotations, or the tuples of ``values_list``), through Django's own converters.

The rules for a ``build`` function (checked when the statement is first compiled: it is compiled twice, with
two sets of stand-ins, and the two results compared):

- every value that may differ between two calls with the same key is one of the named ``values`` (integers, or
  lists of integers compared with the ``any_of`` lookup: ``filter(pk__any_of=ids)``, one array parameter on
  PostgreSQL whatever the list's length) and reaches the statement only as a parameter: a value missing from the
  parameters, or one that changes the statement's text (a slice, a Python condition), is refused with
  ``ValueError``;
- whatever else shapes the statement (the user's scope, a permission, a flag) is part of ``key``: the key of a
  statement that reads the user's scope names the user or the fields the scope is made of;
- nothing in it reads the clock or another changing value that is not in ``values``.

On PostgreSQL the statement is also prepared on the server (``PREPARE``, once per connection and statement) and
run with ``EXECUTE``: the planner's work — 5 to 20 ms for a join of a dozen tables or a UNION ALL of six
parts, more than running them — is done once per connection too. Only the ``values`` are the prepared
statement's parameters, each declared with the type of its first value; the statement's constants (a status,
a flag) are written into its text, so that the plan PostgreSQL keeps for it knows them (with them as
parameters too, the kept plan looked worse than one made for the given values, and PostgreSQL planned the
statement again on every run). A statement PostgreSQL refuses to prepare simply runs as plain SQL. Prepared
statements need a session of their own on the server: behind a pooler in transaction mode (PgBouncer's
default) set ``SQLCACHE_PREPARE = False``.

Compiled statements are kept per thread (a compiler belongs to its thread's database connection), at most
``MAX_ENTRIES`` of them, the least recently used dropped first. Tests compare ``rows`` with the queryset built
afresh for each shape (tests/core/test_sqlcache.py and the callers' own tests).
"""

import datetime
import itertools
import re
import threading
from collections import OrderedDict
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Field, Lookup

MAX_ENTRIES = 512
# two sets of stand-ins, small enough for any integer column (Django compiles a lookup with a value outside
# the column's range as "no row"), compared to tell the values' places from the statement's constants
STAND_INS = (20_001, 30_001)
STAND_IN_SPAN = 50
_INT64 = (-(2**63), 2**63 - 1)

_local = threading.local()
_names = itertools.count(1)
# the server-side type of each parameter, from its Python value (bool before int: a bool is an int)
_PG_TYPES = ((bool, "boolean"), (int, "int8"), (str, "text"), (Decimal, "numeric"), (float, "float8"),
             (datetime.datetime, "timestamptz"), (datetime.date, "date"))
_PLACEHOLDER = re.compile(r"%([%s])")


class _Compiled:
    __slots__ = ("compiler", "name", "params", "passed", "queryset", "slots", "sql", "types")

    def __init__(self, queryset, compiler, sql, params, slots):
        self.queryset, self.compiler, self.sql, self.params, self.slots = queryset, compiler, sql, params, slots
        self.name = f"sqlcache_{next(_names)}"
        # on the server only the values are parameters; the statement's constants are part of its text
        self.passed = [position for position, _name, _as_text in slots]
        self.types = _types([params[position] for position in self.passed])


def _types(params):
    """The parameters' server-side types as PREPARE declares them, or None when one has no known type (a list of
    integers is an ``int8[]``, as psycopg2 passes it: ``ARRAY[…]``)."""
    names = []
    for value in params:
        if isinstance(value, list) and value and all(type(v) is int for v in value):
            names.append("int8[]")
            continue
        name = next((pg for python, pg in _PG_TYPES if isinstance(value, python)), None)
        if name is None:
            return None
        names.append(name)
    return names


def _server_text(connection, sql, params, passed):
    """``sql`` as PostgreSQL's PREPARE takes it: the values at the positions ``passed`` as ``$1, $2, …``, every
    other value written as the literal psycopg2 would send in its place (``%%`` becomes ``%``)."""
    positions, numbers = itertools.count(), {position: n for n, position in enumerate(passed, 1)}

    def placeholder(match):
        if match.group(1) == "%":
            return "%"
        position = next(positions)
        if position in numbers:
            return f"${numbers[position]}"
        return connection.ops.compose_sql("%s", [params[position]])

    return _PLACEHOLDER.sub(placeholder, sql)


def _on_server(connection, name, sql, params, types, passed=None):
    """(sql, params) to run: ``EXECUTE name(…)`` once ``name`` is prepared on this connection (prepared here
    if not yet), else the statement itself. ``passed``: the positions of ``params`` that are the statement's
    parameters (all when None), ``types`` their types; the other values are constants of the statement, written
    into its text, so that the planner knows them: PostgreSQL then keeps one plan for the statement (after five
    runs it compares that generic plan with the ones made for the values given) instead of planning it again on
    every run because the generic plan, blind to the constants, looked worse."""
    if connection.vendor != "postgresql" or types is None or not getattr(settings, "SQLCACHE_PREPARE", True):
        return sql, params
    passed = range(len(params)) if passed is None else passed
    connection.ensure_connection()
    raw = connection.connection
    session = (id(raw), raw.get_backend_pid())  # a new connection (reconnect) has prepared nothing yet
    state = getattr(connection, "_sqlcache_prepared", None)
    if state is None or state[0] != session:
        state = connection._sqlcache_prepared = (session, set())
    if name not in state[1]:
        declared = f" ({', '.join(types)})" if types else ""
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute(f"PREPARE {name}{declared} AS {_server_text(connection, sql, params, passed)}")
        except DatabaseError as exc:
            # 42P05: this session has it already (prepared by this process under this unique name, before its
            # record of the session was lost); anything else, e.g. a parameter whose declared type the
            # statement cannot compare: run the SQL itself
            if getattr(exc.__cause__, "pgcode", None) != "42P05":
                return sql, params
        state[1].add(name)
    values = [params[position] for position in passed]
    return (f"EXECUTE {name} ({', '.join(['%s'] * len(values))})" if values else f"EXECUTE {name}"), values


class AnyOf(Lookup):
    """``field__any_of=[1, 2, 3]``: the rows whose field is one of the integers. On PostgreSQL ``field = ANY(%s)``
    with the list as one array parameter, so the statement's text is the same for every list (``rows`` compiles
    and prepares it once); elsewhere ``IN (…)``, and ``rows`` builds such a statement afresh on every call."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [int(value) for value in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        if not values:
            raise EmptyResultSet
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


Field.register_lookup(AnyOf)


def _entries():
    entries = getattr(_local, "entries", None)
    if entries is None:
        entries = _local.entries = OrderedDict()
    return entries


def _compile(build, values):
    """Compile ``build`` twice with two sets of stand-ins: the parameters that differ are the values' places,
    the rest (constants) must be the same, and so must the SQL (else a value shaped the statement)."""
    if len(values) > STAND_IN_SPAN:
        raise ValueError(f"at most {STAND_IN_SPAN} values")
    compiled = []
    for base in STAND_INS:
        stand_ins = {name: [base + n] if isinstance(values[name], list) else base + n
                     for n, name in enumerate(values)}
        queryset = build(**stand_ins)
        if queryset._prefetch_related_lookups:
            raise ValueError("prefetch_related is not run by core.sqlcache: read those rows separately")
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            sql, params = None, ()  # e.g. a scope that sees nothing: no rows whatever the values
        compiled.append((stand_ins, queryset, compiler, sql, tuple(params)))
    (stand_ins, queryset, compiler, sql, params), (other_ins, _q, _c, other_sql, other_params) = compiled
    if sql != other_sql or len(params) != len(other_params):
        raise ValueError("the statement's text depends on the values: pass what shapes it in the key")
    if sql is None:
        return None
    names = {_hashable(value): name for name, value in stand_ins.items()}
    names.update({str(value): name for name, value in stand_ins.items()})  # a text column compared with a value
    slots = []
    for position, (param, other) in enumerate(zip(params, other_params, strict=True)):
        if param == other:
            continue  # a constant of the statement
        name = names.get(_hashable(param))
        if name is None or other not in (other_ins[name], str(other_ins[name])):
            raise ValueError(f"parameter {position} changes with the values but is not one of them")
        slots.append((position, name, isinstance(param, str)))
    missing = set(values) - {name for _position, name, _text in slots}
    if missing:
        raise ValueError(f"values not passed to the statement as parameters: {sorted(missing)}")
    # The compiler answers with this SQL from now on; its select list, converters and related-row layout were
    # set by the as_sql above, so Django's iterables read its rows as usual.
    queryset.query.get_compiler = lambda using=None, connection=None, elide_empty=True: compiler
    return _Compiled(queryset, compiler, sql, params, slots)


def _text_follows_lists(values):
    """Whether a list among ``values`` makes the statement's text (``any_of`` is a list of placeholders but on
    PostgreSQL): such a statement is built afresh on every call."""
    return any(isinstance(v, list) for v in values.values()) and connections[DEFAULT_DB_ALIAS].vendor != "postgresql"


def _hashable(value):
    return tuple(value) if isinstance(value, list) else value


def _prepared(key, build, values):
    """(entry, its parameters with ``values`` in place); entry None when the statement can return no row."""
    if any(isinstance(v, int) and not _INT64[0] <= v <= _INT64[1] for v in values.values()):
        return None, ()  # as Django does: a value no integer column can hold matches no row
    entries = _entries()
    if key in entries:
        entries.move_to_end(key)
        entry = entries[key]
    else:
        entry = entries[key] = _compile(build, values)
        if len(entries) > MAX_ENTRIES:
            entries.popitem(last=False)
    if entry is None:
        return None, ()
    params = list(entry.params)
    for position, name, as_text in entry.slots:
        params[position] = str(values[name]) if as_text else values[name]
    return entry, tuple(params)


def rows(key, build, **values):
    """The rows of ``build(**values)`` (a list, as ``list(queryset)`` gives them), compiled once per ``key`` and
    thread (see the module text for what ``build`` and ``key`` must respect)."""
    if _text_follows_lists(values):
        return list(build(**values))
    entry, params = _prepared(key, build, values)
    if entry is None:
        return []
    queryset = entry.queryset
    connection = connections[queryset.db]
    sql, params = _on_server(connection, entry.name, entry.sql, params, entry.types, entry.passed)
    # run on the connection this thread uses now (the one of the request's transaction), whichever the
    # compiler was made with
    entry.compiler.connection = connection
    entry.compiler.as_sql = lambda *args, **kwargs: (sql, params)
    return list(queryset._iterable_class(queryset))


def _around(entry, params, suffix, head, tail="", extra=()):
    """The rows of ``head`` + the compiled statement + ``tail`` (e.g. a count around it), prepared on the server
    as ``<name>_<suffix>``; ``extra``: integer parameters ``tail`` takes after the statement's own."""
    connection = connections[entry.queryset.db]
    passed = [*entry.passed, *range(len(params), len(params) + len(extra))]
    types = None if entry.types is None else [*entry.types, *["int8"] * len(extra)]
    sql, params = _on_server(connection, f"{entry.name}_{suffix}", f"{head}({entry.sql}){tail}",
                             [*params, *extra], types, passed)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def count(key, build, **values):
    """How many rows ``build(**values)`` has (``SELECT COUNT(*)`` around its statement), compiled once per ``key``."""
    if _text_follows_lists(values):
        return build(**values).count()
    entry, params = _prepared(key, build, values)
    if entry is None:
        return 0
    return _around(entry, params, "count", "SELECT COUNT(*) FROM ", " counted")[0][0]


def keys(key, build, bottom, top, **values):
    """The primary keys of rows ``bottom:top`` of ``build(**values)``, in its order, compiled once per ``key``:
    the page's position is a parameter too (``LIMIT … OFFSET …``), so one statement serves every page of a list."""
    if _text_follows_lists(values):
        return list(build(**values).values_list("pk", flat=True)[bottom:top])
    entry, params = _prepared(("keys", key), lambda **given: build(**given).values("pk"), values)
    if entry is None:
        return []
    rows = _around(entry, params, "keys", "SELECT k.pk FROM ", " k LIMIT %s OFFSET %s", extra=(top - bottom, bottom))
    return [row[0] for row in rows]


def raw_rows(name, sql, params, using=DEFAULT_DB_ALIAS):
    """The rows (tuples) of a hand-written statement: ``sql`` with Django's ``%s`` placeholders, ``name`` a fixed
    word naming that text (the caller's: one text per name). On PostgreSQL it is prepared once per connection
    like the compiled statements, so that a statement whose planning costs more than its run (a page's checks
    over a list of ids, passed as one array) is planned once; elsewhere it simply runs."""
    connection = connections[using]
    sql, params = _on_server(connection, f"sqlcache_raw_{name}", sql, list(params), _types(params))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def clear():
    """Forget this thread's compiled statements (after a schema change in tests)."""
    _entries().clear()


__all__ = ["MAX_ENTRIES", "AnyOf", "clear", "count", "keys", "raw_rows", "rows"]
