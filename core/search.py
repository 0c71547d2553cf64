"""Search boxes of the lists: one parser, one query builder, the indexes that serve them.

A list's search box sends ``q``. ``parse_search`` trims it, folds full-width characters and collapses spaces;
``search_q`` turns it into one ``Q`` over the fields the list names:

- ``codes``: receipt numbers and 统一社会信用代码, stored upper-case. A term made only of ASCII letters, digits
  and hyphens matches them by prefix, upper-cased (``LIKE 'ABC%'``: a btree index with
  ``varchar_pattern_ops`` serves it, which PostgreSQL gets for every indexed or unique CharField, else
  ``PrefixIndex``); a whole code is its own prefix.
- ``names``: enterprise and project names (and other free texts), matched by case-insensitive substring
  (``UPPER(col) LIKE UPPER('%…%')``). On PostgreSQL a trigram GIN index on ``UPPER(col)`` (``TrigramIndex``)
  serves terms of three characters or more, Chinese included. A term of one or two characters has no trigram:
  on a field with a ``BigramIndex`` (a GIN index on ``bigrams(UPPER(col))``, every character and every pair of
  neighbouring characters) it also requires ``bigrams(UPPER(col)) @> ARRAY[UPPER(term)]``, which that index
  serves, so a rare two-character word such as 余热 reads only its own rows; unless the index's statistics say
  the term is common (``_common_term``: the list's order index then finds its rows at once). Elsewhere (and on
  SQLite) it is the ``LIKE`` alone, a scan bounded by the list's scope and filters (docs/architecture.md,
  "Lists and search").
- ``exact``: fields compared with ``=`` (e.g. a text id), for terms that fit them.

A field may come with the shape of its values' beginnings (``(path, compiled pattern)`` instead of ``path``): a
term the pattern does not match whole, upper-cased, is not looked for in that field. A credit code has no hyphen
and a receipt number starts with a four-digit year: ``91410102MB5`` is no receipt number's start, ``2021-ZY-00`` no
credit code's, and the list's statement keeps only the alternative that can match (with the enterprise's own index
on submission time, a credit-code prefix then reads its applications from the index alone).

A term that can only be a code (``is_code_only``: eight or more ASCII letters, digits and hyphens, six of them
digits or more, as the start of a credit code or a receipt number is) is matched against the codes alone when the
list has any: looking for ``91410102MB5`` inside every project and enterprise name found nothing, and cost the
trigram index's scan and its planning on every such search (a credit-code prefix at a million applications:
2.5 -> 1.3 ms for the page's keys).

Several words are all required (AND), each in any of the fields (OR). The results are always filtered
further by the list's scope, so a search never widens what the user may see.
"""

import re
import time
import unicodedata

from django.contrib.postgres import operations as postgres_operations
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import OpClass
from django.db import connection
from django.db.migrations.operations.base import Operation
from django.db.models import CharField, Func, Index, Q, TextField
from django.db.models.functions import Upper
from django.db.models.lookups import IContains, Lookup

MAX_LENGTH = 100
MAX_TERMS = 5
BIGRAM_TERM = 2  # names terms up to this many characters (upper-cased) use the bigram index
COMMON_SHARE = 0.05  # ... unless the index's statistics say at least this share of the rows hold the term
STATISTICS_SECONDS = 600  # how long a process keeps the common elements it read from pg_stats
_COMMON = {}  # index name -> (time read, {element: share of rows})
RELATED_IDS = 1000  # related rows a name search passes to the list's query as literal ids (see _related_match)
CODE_TERM = re.compile(r"^[0-9A-Z][0-9A-Z-]*$")


def parse_search(raw):
    """The terms of a search box: NFKC-folded (full-width letters, digits and spaces become ASCII), trimmed,
    at most MAX_LENGTH characters and MAX_TERMS words. An empty list means no search."""
    if not raw:
        return []
    text = unicodedata.normalize("NFKC", str(raw))[:MAX_LENGTH]
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text.split()[:MAX_TERMS]


def is_code_term(term):
    """True when ``term`` can be the start of a receipt number or credit code (ASCII letters, digits, hyphens)."""
    return bool(CODE_TERM.match(term.upper())) and term.isascii()


CODE_ONLY_LENGTH, CODE_ONLY_DIGITS = 8, 6


def is_code_only(term):
    """True when ``term`` can only be (the start of) a code, never a word of a name: a code term of at least
    CODE_ONLY_LENGTH characters, CODE_ONLY_DIGITS of them digits (``91410102``, ``2021-ZY-0001``; not ``MES`` nor
    ``5G``)."""
    return is_code_term(term) and len(term) >= CODE_ONLY_LENGTH and sum(c.isdigit() for c in term) >= CODE_ONLY_DIGITS


def search_q(raw, *, model, codes=(), names=(), exact=(), more=None):
    """The Q of the search ``raw`` on ``model`` over the given field paths (see the module text); None when
    ``raw`` is empty. ``raw`` may be the text typed or the terms ``parse_search`` returned. ``more``: a function
    of one term returning a further alternative Q (e.g. the action codes whose label contains the term).

    A path through a foreign key (``enterprise__name``) is searched in the related table first (one query per
    term and relation, see ``_related_match``), so the list's own query keeps conditions its indexes serve
    instead of filtering the joined rows one by one.
    """
    terms = parse_search(raw) if isinstance(raw, str) else list(raw or [])
    if not terms:
        return None
    result = Q()
    for term in terms:
        code_only = codes and is_code_only(term)  # a code is not looked for inside the names (module text)
        either = _term_q(model, term, {"codes": codes, "names": () if code_only else names, "exact": exact})
        if more is not None:
            either |= more(term)
        result &= either if either else Q(pk__in=[])  # no field can hold this term: nothing matches
    return result


def _leaf(model, kind, path, term):
    if kind == "codes":
        return Q(**{f"{path}__startswith": term.upper()}) if is_code_term(term) else Q()
    if kind == "names":
        index = _bigram_indexes(model).get(path) if len(term.upper()) <= BIGRAM_TERM else None
        short = index is not None and not _common_term(index, term)
        return Q(**{f"{path}__{BigramContains.lookup_name if short else 'icontains'}": term})
    return Q(**{path: term})


def _bigram_indexes(model):
    """{field: index name} of the fields of ``model`` a BigramIndex serves (its Meta indexes)."""
    return {index.field_name: index.name for index in model._meta.indexes if isinstance(index, BigramIndex)}


def _common_term(index, term):
    """Whether, by the statistics ANALYZE keeps of the bigram index's expression, at least COMMON_SHARE of the
    rows hold ``term`` (PostgreSQL only). Then the bigram condition is left out: the list's order index finds a
    page of such rows at once, and the condition would only add ``bigrams()`` to every row the count reads. Read
    from ``pg_stats`` once per process and index every STATISTICS_SECONDS."""
    if connection.vendor != "postgresql":
        return False
    read_at, shares = _COMMON.get(index, (None, {}))
    if read_at is None or time.monotonic() - read_at > STATISTICS_SECONDS:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.element, e.share FROM pg_stats s CROSS JOIN LATERAL unnest("
                "  s.most_common_elems::text::text[], s.most_common_elem_freqs) AS e(element, share) "
                "WHERE s.schemaname = current_schema() AND s.tablename = %s AND e.element IS NOT NULL", [index])
            shares = dict(cursor.fetchall())
        _COMMON[index] = (time.monotonic(), shares)
    return (shares.get(term.upper()) or 0) >= COMMON_SHARE


# The order of a term's alternatives in the OR: PostgreSQL tests them in that order on every row it reads, so the
# cheap ones come first (the related rows' ids, an equality, a prefix) and the substring of a name, which
# upper-cases the text, last (a credit-code prefix matching 668 applications: 1.8 -> 1.3 ms).
_COST = {"exact": 1, "codes": 2, "names": 3}


def _term_q(model, term, spec):
    alternatives, hops = [], {}
    for kind, paths in spec.items():
        for entry in paths:
            path, shape = entry if isinstance(entry, tuple) else (entry, None)
            if shape is not None and not shape.fullmatch(term.upper()):
                continue  # no value of this field starts so (the module text)
            head, _, rest = path.partition("__")
            field = model._meta.get_field(head)
            if rest and field.concrete and (field.many_to_one or field.one_to_one):
                hops.setdefault(field, {"codes": [], "names": [], "exact": []})[kind].append(
                    (rest, shape) if shape is not None else rest)
            else:
                alternatives.append((_COST[kind], _leaf(model, kind, path, term)))
    for field, inner_spec in hops.items():
        inner = _term_q(field.related_model, term, inner_spec)
        if inner:
            alternatives.append((0, _related_match(field, inner)))
    either = Q()
    for _cost, alternative in sorted(alternatives, key=lambda pair: pair[0]):
        either |= alternative
    return either


def _related_match(field, inner):
    """The rows whose ``field`` points at a related row matching ``inner``.

    The related rows are looked up first (one query, served by the related table's own indexes). Up to
    RELATED_IDS of them become a literal ``IN (1, 2, …)``: the planner knows how many rows it selects and can
    combine it with the other alternatives' indexes (BitmapOr). Beyond that the term is common, and a
    semi-join (``IN (SELECT …)``) lets the planner walk the list's order index and stop at the page's end.
    """
    related = field.related_model._default_manager.filter(inner).order_by().values_list(
        field.target_field.attname, flat=True)
    ids = list(related[: RELATED_IDS + 1])
    if len(ids) <= RELATED_IDS:
        return Q(**{f"{field.attname}__in": ids}) if ids else Q()
    return Q(**{f"{field.attname}__in": related})


def apply_search(qs, raw, **fields):
    """``qs`` filtered by the search ``raw`` (unchanged when there is none)."""
    condition = search_q(raw, model=qs.model, **fields)
    return qs if condition is None else qs.filter(condition)


class _NameIndex(Index):
    """A GIN index on an expression of ``UPPER(field)`` on PostgreSQL; on another database (SQLite in the embedded
    mode) a plain index on ``UPPER(field)``, so migrations run everywhere (django.contrib.postgres's GinIndex
    would emit ``USING gin`` there too)."""

    def __init__(self, field, *, name):
        self.field_name = field
        super().__init__(self.expression(field), name=name)

    def deconstruct(self):
        _path, _args, kwargs = super().deconstruct()
        return f"core.search.{type(self).__name__}", (self.field_name,), {"name": kwargs["name"]}

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return Index(Upper(self.field_name), name=self.name).create_sql(model, schema_editor, using=using,
                                                                             **kwargs)
        return super().create_sql(model, schema_editor, using=" USING gin", **kwargs)


class TrigramIndex(_NameIndex):
    """A trigram GIN index on ``UPPER(field)`` for substring search (``icontains``) of three characters or more on
    PostgreSQL. Needs the ``pg_trgm`` extension (created by the migration that adds the first one)."""

    @staticmethod
    def expression(field):
        return OpClass(Upper(field), name="gin_trgm_ops")


class Bigrams(Func):
    """``bigrams(text)``: the characters of a text and its pairs of neighbouring characters, as ``text[]`` (the SQL
    function BigramFunction creates on PostgreSQL)."""

    function = "bigrams"
    output_field = ArrayField(TextField())


class BigramIndex(_NameIndex):
    """A GIN index on ``bigrams(UPPER(field))`` for substring search of one or two characters on PostgreSQL, where
    trigrams have nothing to offer; ``search_q`` uses it for the fields of a model's Meta indexes that have one.
    Needs the ``bigrams`` function (BigramFunction, in the migration that adds the first one)."""

    @staticmethod
    def expression(field):
        return Bigrams(Upper(field))


class BigramFunction(Operation):
    """Creates the SQL function ``bigrams(text) → text[]`` on PostgreSQL (nothing elsewhere): every character of
    the text and every pair of neighbouring characters, cut with ``string_to_array`` and ``substr``, so it does not
    depend on the database's locale (pg_trgm's trigrams do: under the C locale they drop Chinese, see
    ``trigram_splits_cjk``). IMMUTABLE, so an index can be built on it; PL/pgSQL, about twice as fast as the same in
    SQL with ``generate_series``. Unapplying a migration leaves the function: the bigram indexes of other apps may
    still use it."""

    reduces_to_sql = True
    reversible = True
    SQL = """CREATE OR REPLACE FUNCTION bigrams(value text) RETURNS text[]
        LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
        DECLARE grams text[] := string_to_array(value, NULL);
        BEGIN
            FOR i IN 1 .. length(value) - 1 LOOP grams := array_append(grams, substr(value, i, 2)); END LOOP;
            RETURN grams;
        END $$"""

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(self.SQL)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def describe(self):
        return "Creates the SQL function bigrams(text) on PostgreSQL"


class BigramContains(Lookup):
    """``icontains`` that, on PostgreSQL, also requires ``bigrams(UPPER(col)) @> ARRAY[UPPER(term)]``: the same
    rows for a term of one or two characters (a text holding it holds it as one of its characters or pairs), found
    through the field's BigramIndex. Elsewhere the ``LIKE`` alone.

    When the planner reads the rows another way (walking the list's order index is cheaper), the condition is a
    filter: the ``LIKE`` comes first, so ``bigrams()`` (about 10 µs a row) is computed only for the rows that hold
    the term, at most a page (or the capped count's 10,001) of them; ``search_q`` leaves the condition out for the
    terms the statistics call common (``_common_term``)."""

    lookup_name = "bigram_icontains"

    def as_sql(self, compiler, connection):
        return compiler.compile(IContains(self.lhs, self.rhs))

    def as_postgresql(self, compiler, connection):
        like_sql, like_params = self.as_sql(compiler, connection)
        lhs_sql, lhs_params = compiler.compile(self.lhs)
        return (f"({like_sql} AND bigrams(UPPER({lhs_sql})) @> ARRAY[UPPER(%s)])",
                [*like_params, *lhs_params, self.rhs])


CharField.register_lookup(BigramContains)
TextField.register_lookup(BigramContains)


class PrefixIndex(Index):
    """A btree index that serves ``LIKE 'ABC%'`` (``startswith``) in any collation: ``varchar_pattern_ops`` on
    PostgreSQL, a plain index elsewhere (other backends ignore operator classes)."""

    def __init__(self, field, *, name, condition=None):
        super().__init__(fields=[field], name=name, opclasses=["varchar_pattern_ops"], condition=condition)

    def deconstruct(self):
        path, _args, kwargs = super().deconstruct()
        kwargs.pop("fields")
        kwargs.pop("opclasses")
        return "core.search.PrefixIndex", tuple(self.fields), kwargs


class TrigramExtension(postgres_operations.TrigramExtension):
    """``CREATE EXTENSION IF NOT EXISTS pg_trgm`` on PostgreSQL (nothing elsewhere). Unapplying a migration leaves
    the extension: the trigram indexes of other apps may still use it."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


def trigram_splits_cjk(connection):
    """Whether this PostgreSQL database's trigrams keep Chinese characters (False under the C locale, where
    pg_trgm drops them and the trigram indexes cannot serve a Chinese search). None when not PostgreSQL or
    pg_trgm is not installed."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            return None
        cursor.execute("SELECT array_length(show_trgm(%s), 1)", ["郑州市"])
        return bool(cursor.fetchone()[0])


__all__ = ["BigramFunction", "BigramIndex", "PrefixIndex", "TrigramExtension", "TrigramIndex", "apply_search",
           "is_code_only", "is_code_term", "parse_search", "search_q", "trigram_splits_cjk"]
