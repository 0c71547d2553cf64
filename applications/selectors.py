"""Every read a view or task uses, already scoped to what the actor may see."""

import time
from collections import Counter
from dataclasses import dataclass

from django.db.models import BigIntegerField, CharField, Count, DateTimeField, Exists, F, OuterRef, Prefetch, Q, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from accounts.roles import CITYWIDE_ROLES, Role
from accounts.validators import CREDIT_CODE_PREFIX
from core import sqlcache
from core.search import apply_search
from credit.selectors import on_a_list

from .duplicates import INACTIVE, duplicate_annotations, shared_file_ids
from .models import Application, ApplicationVersion, Attachment, Category, Material, QualificationDecision, Round
from .services.submission import RECEIPT_NO_PREFIX
from .workflow import Status

# Sorting: only these keys are accepted from the query string.
SORTS = {
    "submitted": "first_submitted_at",
    "-submitted": "-first_submitted_at",
    "receipt": "receipt_no",
    "-receipt": "-receipt_no",
    "amount": "requested_amount",
    "-amount": "-requested_amount",
    "enterprise": "enterprise__name",
    "-enterprise": "-enterprise__name",
    "rank": "county_rank",
    "-rank": "-county_rank",
    "updated": "updated_at",
    "-updated": "-updated_at",
}
DEFAULT_SORT = "-submitted"


def application_search(prefix=""):
    """The fields of an application that every list's search box reads (core.search): receipt number and
    credit code by prefix (each only for a word that can start one), project and enterprise name by substring.
    ``prefix``: the path from the listed model to its application (``"application__"``)."""
    return {"codes": ((f"{prefix}receipt_no", RECEIPT_NO_PREFIX),
                      (f"{prefix}enterprise__credit_code", CREDIT_CODE_PREFIX)),
            "names": (f"{prefix}project_name", f"{prefix}enterprise__name")}


SEARCH_FIELDS = application_search()


def application_scope(actor):
    """The one definition of which applications ``actor`` may see, as a Q (None: none at all).

    Enterprise its own; county staff their county; city-wide roles all. Drafts that were never submitted
    belong to the enterprise alone. Experts and auditors see none here. The list (``applications_for``) and
    the object permission (rules.in_scope, via core.permissions.q_matches) both use it.
    """
    role = getattr(actor, "role", None)
    if role == Role.ENTERPRISE:
        return Q(enterprise_id=actor.organisation_id) if actor.organisation_id else None
    submitted = Q(first_submitted_at__isnull=False)
    if role == Role.COUNTY:
        return submitted & Q(county_id=actor.county_id) if actor.county_id else None
    if role in CITYWIDE_ROLES:
        return submitted
    return None


def staff_scope(actor):
    """(True, county id) for county staff, (True, None) for city-wide roles, whose applications
    (``application_scope``) are all those of their county, or of every county, submitted at least once: what the
    kept counts give (``tally.counts``); (False, None) for anyone else."""
    role = getattr(actor, "role", None)
    if role == Role.COUNTY and actor.county_id:
        return True, actor.county_id
    return role in CITYWIDE_ROLES, None


def scope_key(actor):
    """What ``application_scope`` reads of the actor: part of the key of a statement compiled once per scope
    (core.sqlcache)."""
    return getattr(actor, "role", None), getattr(actor, "organisation_id", None), getattr(actor, "county_id", None)


def applications_for(actor):
    """The applications ``actor`` may see (see ``application_scope``)."""
    scope = application_scope(actor)
    qs = Application.objects.all()
    return qs.filter(scope) if scope is not None else qs.none()


# The columns the list table shows: the page reads plain values (no model instances, no long texts).
LIST_VALUES = (
    "id", "status", "receipt_no", "project_name", "requested_amount", "first_submitted_at", "county_rank",
    "possible_duplicate", "category_id", "county_id", "enterprise__name", "enterprise__is_verified",
)  # category and county names come from filter_menus() (already in memory), not from joins


def _filtered(actor, filters, sort):
    filters = filters or {}
    qs = applications_for(actor)
    if filters.get("round"):
        qs = qs.filter(round_id=filters["round"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("category"):
        qs = qs.filter(category_id=filters["category"])
    if filters.get("county"):
        qs = qs.filter(county_id=filters["county"])
    if filters.get("amount_min") is not None:
        qs = qs.filter(requested_amount__gte=filters["amount_min"])
    if filters.get("amount_max") is not None:
        qs = qs.filter(requested_amount__lte=filters["amount_max"])
    qs = apply_search(qs, filters.get("q"), **SEARCH_FIELDS)
    if filters.get("credit") and getattr(actor, "role", None) != Role.ENTERPRISE:
        qs = qs.filter(on_a_list())  # credit screening: the enterprise's code is on an imported credit list
    if filters.get("duplicates") and getattr(actor, "role", None) != Role.ENTERPRISE:
        qs = qs.filter(possible_duplicate=True)  # kept up to date by applications.duplicates
    return qs.order_by(SORTS.get(sort or "", SORTS[DEFAULT_SORT]), "-id")


def application_list(actor, filters=None, sort=None):
    """The filtered, sorted applications with why each is a possible duplicate (the exports read it as values)."""
    qs = _filtered(actor, filters, sort).select_related("enterprise", "category", "county", "round")
    if getattr(actor, "role", None) != Role.ENTERPRISE:
        qs = qs.annotate(**duplicate_annotations())
    return qs


def application_rows(actor, filters=None, sort=None):
    """(rows, count queryset) for the list pages: the filtered, sorted rows as dicts of LIST_VALUES, and the
    same filter without ordering or the joins of the displayed columns, for the pager's count."""
    filtered = _filtered(actor, filters, sort)
    return filtered.values(*LIST_VALUES), filtered.order_by()


def application_rows_of(ids):
    """The list's rows (LIST_VALUES) of the applications ``ids``, in that order, through one statement prepared
    once (core.sqlcache): the pager's ``rows_of`` (core.paging), whose keys come from the list's own scoped,
    filtered and searched statement."""
    found = sqlcache.rows(("application_rows_of",),
                          lambda ids: Application.objects.filter(pk__any_of=ids).order_by().values(*LIST_VALUES),
                          ids=[int(i) for i in ids])
    by_id = {row["id"]: row for row in found}
    return [by_id[i] for i in ids if i in by_id]


@dataclass(frozen=True)
class _Scope:
    """What ``application_scope`` reads of an actor, for a statement built with the ids as stand-ins."""

    role: str
    organisation_id: int | None = None
    county_id: int | None = None


# the filters a list's statement takes as parameters (core.paging's ``statement``): ids, and the status in its key
STATEMENT_IDS = ("round", "category", "county")


def application_rows_statement(actor, filters=None, sort=None, *, count=False):
    """The rows of ``application_rows(actor, filters, sort)`` as ``(key, build, values)`` for core.paging's
    ``statement``: compiled once per role, sort, status and set of id filters, the actor's organisation or
    county and the filters' ids its parameters (one statement for every county, not one each). None for a list
    that is searched or filtered by amount, credit list or duplicates (built per request as before). With
    ``count``: the count queryset's statement (the pager's count)."""
    filters = {k: v for k, v in (filters or {}).items() if v not in (None, "", False)}
    if set(filters) - {"status", *STATEMENT_IDS}:
        return None
    role = getattr(actor, "role", None)
    values = {}
    if role == Role.ENTERPRISE:
        values["organisation"] = actor.organisation_id
    elif role == Role.COUNTY:
        values["own_county"] = actor.county_id
    elif role not in CITYWIDE_ROLES:
        return None
    if any(v is None for v in values.values()):
        return None
    ids = tuple(name for name in STATEMENT_IDS if name in filters)
    values.update({name: int(filters[name]) for name in ids})
    status, sort = filters.get("status"), sort if sort in SORTS else DEFAULT_SORT

    def build(organisation=None, own_county=None, **given):
        stand_in = _Scope(role, organisation, own_county)
        return application_rows(stand_in, {"status": status, **given}, sort)[1 if count else 0]

    return ("application_rows", count, role, sort, status, ids), build, values


def application_detail(actor, pk):
    """One application in scope with what the detail page shows (raises DoesNotExist when foreign); the small
    lists around it come from ``detail_rows``. The statement is compiled once per scope (core.sqlcache)."""
    def build(pk):
        return applications_for(actor).select_related(
            "enterprise", "enterprise__county", "category", "category__award_rule", "county", "round", "created_by",
        ).annotate(on_credit_list=on_a_list()).filter(pk=pk)  # credit screening: hits read only when there are some

    found = sqlcache.rows(("application_detail", scope_key(actor)), build, pk=int(pk))
    if not found:
        raise Application.DoesNotExist("No application in the actor's scope with this id.")
    return found[0]


SHARED_FILES_SHOWN = 20  # identical files of other enterprises the application page lists (it says when there are more)

# The detail page's small lists in one statement: each part is a query of one kind of row, its columns renamed
# to these shared names (k: the kind), the parts joined by UNION ALL; detail_rows builds model instances back.
_ROW = ("k", "i", "at", "n1", "n2", "t1", "t2", "t3", "t4", "b")


@dataclass(frozen=True, slots=True)
class OtherApplication:
    """Another application of the enterprise in the same category and call, as an application page lists it (at a
    million applications twenty of them: a model instance of thirty fields each cost more than the list)."""

    pk: int
    receipt_no: str | None
    project_name: str
    status: str


@dataclass(frozen=True, slots=True)
class SharedFile:
    """A current file of another enterprise's application identical to one of this application's, as the
    application page lists it (four model instances a row cost more than the rest of the page's rows)."""

    pk: int
    application_id: int
    receipt_no: str | None
    enterprise_name: str
    material_name: str
    visible: bool  # whether the reader may open that application


def _part(queryset, kind, **columns):
    filler = {"at": Cast(Value(None), DateTimeField()), "n1": Value(0, BigIntegerField()),
              "n2": Value(0, BigIntegerField()), "t1": Value(""), "t2": Value(""), "t3": Value(""), "t4": Value(""),
              "b": Value(False)}
    return (queryset.order_by().annotate(k=Value(kind), i=F("pk"), **{**filler, **columns}).values_list(*_ROW))


@dataclass
class DetailRows:
    materials: list
    attachments: dict  # material id -> current attachment
    versions: list
    decisions: list
    duplicates: dict | None  # None unless asked for


def detail_rows(actor, application, *, duplicates=False):
    """Materials of the category, current attachments, submitted versions, qualification decisions and (with
    ``duplicates``, for staff) the concrete duplicates: the enterprise's other active applications in the same
    call and category that the actor may see, and other enterprises' identical files (``shared_file_ids``), in
    one query (compiled once per scope, core.sqlcache)."""
    ids = {"pk": application.pk, "category": application.category_id}
    if duplicates:  # the duplicates' parts read the enterprise and the call too
        ids.update(enterprise=application.enterprise_id, call=application.round_id)
    found = sqlcache.rows(("detail_rows", scope_key(actor), duplicates),
                          lambda **ids: _detail_union(actor, duplicates, **ids), **ids)
    return _detail_from_rows(application, found, duplicates)


def _detail_union(actor, duplicates, *, pk, category, enterprise=None, call=None):
    text = {"output_field": CharField()}
    parts = [
        _part(Material.objects.filter(category_id=category), "m", n1=F("sort_order"), t1=F("name"),
              b=F("required")),
        _part(Attachment.objects.filter(application_id=pk, is_current=True), "a", at=F("uploaded_at"),
              n1=F("material_id"), n2=F("size"), t1=F("original_name"), t2=F("sha256"), t3=F("file_type")),
        _part(ApplicationVersion.objects.filter(application_id=pk), "v", at=F("submitted_at"), n1=F("number")),
        _part(QualificationDecision.objects.filter(application_id=pk), "d", at=F("decided_at"),
              t1=F("decision"), t2=Cast("reasons", **text), b=F("is_re_review")),
    ]
    if duplicates:
        same = applications_for(actor).filter(round_id=call, category_id=category, enterprise_id=enterprise).exclude(
            pk=pk).exclude(status__in=INACTIVE)
        parts.append(_part(same, "s", t1=Coalesce("receipt_no", Value("")), t2=F("project_name"), t3=F("status")))
        # the first SHARED_FILES_SHOWN (+1, to know there are more) holders of each identical file: a file that
        # thousands of enterprises uploaded (a blank template) must not list them all, nor be read whole
        shared = Attachment.objects.filter(pk__in=shared_file_ids(pk, enterprise, SHARED_FILES_SHOWN + 1))
        parts.append(_part(shared, "f", at=F("uploaded_at"), n1=F("application_id"), n2=F("material__sort_order"),
                           t1=F("material__name"), t2=F("application__enterprise__name"),
                           t3=Coalesce("application__receipt_no", Value("")), t4=F("sha256"),
                           b=Exists(applications_for(actor).filter(pk=OuterRef("application_id")))))
    return parts[0].union(*parts[1:], all=True).order_by()


def _detail_from_rows(application, found, duplicates):
    rows = {kind: [] for kind in "mavdsf"}
    for row in found:
        rows[row[0]].append(dict(zip(_ROW, row, strict=True)))
    pk = application.pk
    materials = [Material(id=r["i"], category_id=application.category_id, sort_order=r["n1"], name=r["t1"],
                          required=r["b"]) for r in sorted(rows["m"], key=lambda r: (r["n1"], r["i"]))]
    attachments = {}
    for r in sorted(rows["a"], key=lambda r: (r["n1"], -r["at"].timestamp())):  # the model's ordering
        attachments[r["n1"]] = Attachment(id=r["i"], application_id=pk, material_id=r["n1"], uploaded_at=r["at"],
                                          size=r["n2"], original_name=r["t1"], sha256=r["t2"], file_type=r["t3"],
                                          is_current=True)
    versions = [ApplicationVersion(id=r["i"], application_id=pk, number=r["n1"], submitted_at=r["at"])
                for r in sorted(rows["v"], key=lambda r: r["n1"])]
    decisions = [QualificationDecision(id=r["i"], application_id=pk, decided_at=r["at"], decision=r["t1"],
                                       reasons=r["t2"], is_re_review=r["b"])
                 for r in sorted(rows["d"], key=lambda r: (r["at"], r["i"]))]
    found = None
    if duplicates:
        same_category = [OtherApplication(r["i"], r["t1"] or None, r["t2"], r["t3"])
                         for r in sorted(rows["s"], key=lambda r: -r["i"])]
        # each identical file's holders take turns (the first of every file, then the second ...), so that a
        # file many hold does not crowd out one held by a single other; the page lists them by material
        place, held = {}, Counter()
        for r in sorted(rows["f"], key=lambda r: (r["n1"], r["i"])):  # the order shared_file_ids reads them in
            place[r["i"]] = held[r["t4"]]
            held[r["t4"]] += 1
        shown = sorted(rows["f"], key=lambda r: (place[r["i"]], r["n2"], r["n1"], r["i"]))
        listed = sorted(shown[:SHARED_FILES_SHOWN], key=lambda r: (r["n2"], r["n1"], -r["at"].timestamp()))
        shared_files = [SharedFile(r["i"], r["n1"], r["t3"] or None, r["t2"], r["t1"], r["b"]) for r in listed]
        found = {
            "same_category": same_category,
            "shared_files": shared_files,
            "shared_files_more": len(shown) > SHARED_FILES_SHOWN,
            "other_subsidy": application.other_subsidy,
            "any": bool(same_category) or bool(shared_files) or application.other_subsidy,
        }
    return DetailRows(materials, attachments, versions, decisions, found)


def summary_round(actor):
    """The id of the newest call with applications in the actor's scope (None when there are none)."""
    return applications_for(actor).order_by("-round__year").values_list("round_id", flat=True).first()


def published_rounds():
    return Round.objects.filter(is_published=True).order_by("-year")


def open_round(now=None):
    now = now or timezone.now()
    return published_rounds().filter(opens_at__lte=now, closes_at__gt=now).first()


def round_with_categories(round_qs, **lookup):
    return round_qs.prefetch_related(
        Prefetch("categories", queryset=Category.objects.select_related("award_rule").prefetch_related("materials")),
    ).get(**lookup)


def status_counts(applications, statuses=Status):
    """The number of applications in each of ``statuses`` ({status value: count}), in one aggregate query: the one
    definition of the counts per status that dashboards and overview pages show."""
    return applications.aggregate(**{str(status): Count("id", filter=Q(status=status)) for status in statuses})


def dashboard_counts(actor):
    """Per-status counts in the actor's scope."""
    return status_counts(applications_for(actor))


_MENUS = {}
MENUS_TIMEOUT = 300  # other processes see a new category or county in the menus within this many seconds


def filter_menus():
    """(categories with their call, counties) for the list filters, kept in this process: no query and no
    cache round trip on most requests. Changes in this process clear it at once (signals in apps.py)."""
    from accounts.models import County

    now = time.monotonic()
    menus = _MENUS.get("menus")
    if menus is None or now - menus[0] > MENUS_TIMEOUT:
        categories = list(Category.objects.select_related("round").order_by("-round__year", "sort_order", "id"))
        menus = (now, categories, list(County.objects.all()))
        _MENUS["menus"] = menus
    return menus[1], menus[2]


def menus_stamp():
    """When the menus in this process were loaded (a key for what is built from them)."""
    menus = _MENUS.get("menus")
    return menus[0] if menus else None


def clear_filter_menus(**kwargs):
    _MENUS.clear()
