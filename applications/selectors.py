"""Every read a view or task uses, already scoped to what the actor may see."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from accounts.roles import CITYWIDE_ROLES, Role

from .models import Application, ApplicationVersion, Attachment, Category, Material, QualificationDecision, Round
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
INACTIVE = (Status.DRAFT, Status.WITHDRAWN)


def applications_for(actor):
    """The applications ``actor`` may see: enterprise its own; county staff their county; city-wide roles all.

    Drafts that were never submitted belong to the enterprise alone. Experts and auditors see none here.
    """
    qs = Application.objects.all()
    role = getattr(actor, "role", None)
    if role == Role.ENTERPRISE:
        return qs.filter(enterprise_id=actor.organisation_id) if actor.organisation_id else qs.none()
    submitted = qs.filter(first_submitted_at__isnull=False)
    if role == Role.COUNTY:
        return submitted.filter(county_id=actor.county_id) if actor.county_id else qs.none()
    if role in CITYWIDE_ROLES:
        return submitted
    return qs.none()


def duplicate_annotations():
    """Flags for the duplicate checks, as correlated EXISTS subqueries (no per-row queries)."""
    other_same_category = Application.objects.filter(
        round_id=OuterRef("round_id"), category_id=OuterRef("category_id"), enterprise_id=OuterRef("enterprise_id"),
    ).exclude(pk=OuterRef("pk")).exclude(status__in=INACTIVE)
    shared_file = Attachment.objects.filter(
        is_current=True,
        sha256__in=Attachment.objects.filter(application_id=OuterRef(OuterRef("pk")), is_current=True).values("sha256"),
    ).exclude(application__enterprise_id=OuterRef("enterprise_id")).exclude(application__status__in=INACTIVE)
    return {"dup_category": Exists(other_same_category), "dup_file": Exists(shared_file)}


def application_list(actor, filters=None, sort=None):
    """The filtered, sorted list for the list pages and exports (a fixed number of queries per page)."""
    filters = filters or {}
    qs = applications_for(actor).select_related("enterprise", "category", "county", "round")
    if filters.get("round"):
        qs = qs.filter(round_id=filters["round"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("category"):
        qs = qs.filter(category_id=filters["category"])
    if filters.get("county"):
        qs = qs.filter(county_id=filters["county"])
    if filters.get("amount_min") is not None:
        qs = qs.filter(requested_amount__gte=filters["amount_min"] * 10000)
    if filters.get("amount_max") is not None:
        qs = qs.filter(requested_amount__lte=filters["amount_max"] * 10000)
    if filters.get("q"):
        text = filters["q"].strip()
        qs = qs.filter(Q(enterprise__name__icontains=text) | Q(project_name__icontains=text)
                       | Q(receipt_no__icontains=text) | Q(enterprise__credit_code=text.upper()))
    if getattr(actor, "role", None) != Role.ENTERPRISE:
        qs = qs.annotate(**duplicate_annotations())
        if filters.get("duplicates"):
            qs = qs.filter(Q(dup_category=True) | Q(dup_file=True) | Q(other_subsidy=True)).exclude(
                status__in=INACTIVE)
    order = SORTS.get(sort or "", SORTS[DEFAULT_SORT])
    return qs.order_by(order, "-id")


def application_detail(actor, pk):
    """One application in scope with what the detail page shows (raises DoesNotExist when foreign)."""
    qs = applications_for(actor).select_related(
        "enterprise", "enterprise__county", "category", "category__award_rule", "county", "round", "created_by",
    ).prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.filter(is_current=True).select_related("material"),
                 to_attr="current_attachments"),
        Prefetch("category__materials", queryset=Material.objects.order_by("sort_order", "id")),
        Prefetch("versions", queryset=ApplicationVersion.objects.only("id", "application_id", "number",
                                                                      "submitted_at").order_by("number")),
        Prefetch("qualification_decisions", queryset=QualificationDecision.objects.select_related("actor")),
    )
    return qs.get(pk=pk)


def duplicates_of(actor, application):
    """The concrete duplicates of one application, for county and city staff (as far as they may see)."""
    visible = applications_for(actor).select_related("enterprise", "category")
    same_category = visible.filter(
        round_id=application.round_id, category_id=application.category_id, enterprise_id=application.enterprise_id,
    ).exclude(pk=application.pk).exclude(status__in=INACTIVE)
    hashes = Attachment.objects.filter(application=application, is_current=True).values("sha256")
    shared = (
        Attachment.objects.filter(is_current=True, sha256__in=hashes)
        .exclude(application__enterprise_id=application.enterprise_id)
        .exclude(application__status__in=INACTIVE)
        .select_related("application", "application__enterprise", "material")
    )
    shared_files = list(shared)
    visible_ids = set(visible.filter(pk__in=[a.application_id for a in shared_files]).values_list("pk", flat=True))
    for attachment in shared_files:
        attachment.visible = attachment.application_id in visible_ids
    return {
        "same_category": list(same_category),
        "shared_files": shared_files,
        "other_subsidy": application.other_subsidy,
        "any": bool(same_category) or bool(shared_files) or application.other_subsidy,
    }


def published_rounds():
    return Round.objects.filter(is_published=True).order_by("-year")


def open_round(now=None):
    now = now or timezone.now()
    return published_rounds().filter(opens_at__lte=now, closes_at__gt=now).first()


def round_with_categories(round_qs, **lookup):
    return round_qs.prefetch_related(
        Prefetch("categories", queryset=Category.objects.select_related("award_rule").prefetch_related("materials")),
    ).get(**lookup)


def dashboard_counts(actor):
    """Per-status counts in the actor's scope in one aggregate query."""
    qs = applications_for(actor)
    return qs.aggregate(**{status.value: Count("id", filter=Q(status=status)) for status in Status})


def enterprises_for(actor):
    """Enterprises the actor may look at: city-wide roles all, county staff their county's."""
    from accounts.models import Organisation
    from accounts.roles import OrganisationKind

    qs = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE).select_related("county", "verified_by")
    role = getattr(actor, "role", None)
    if role == Role.COUNTY:
        return qs.filter(county_id=actor.county_id) if actor.county_id else qs.none()
    if role in CITYWIDE_ROLES:
        return qs
    return qs.none()


MENUS_KEY = "applications:list-menus"


def filter_menus():
    """(categories with their call, counties) for the list filters, cached: no query on most requests.

    Changes to calls, categories or counties clear the cache (signals.py); other processes see them
    within MENUS_TIMEOUT seconds.
    """
    from django.core.cache import cache

    from accounts.models import County

    menus = cache.get(MENUS_KEY)
    if menus is None:
        categories = list(Category.objects.select_related("round").order_by("-round__year", "sort_order", "id"))
        menus = (categories, list(County.objects.all()))
        cache.set(MENUS_KEY, menus, MENUS_TIMEOUT)
    return menus


MENUS_TIMEOUT = 300


def clear_filter_menus(**kwargs):
    from django.core.cache import cache

    cache.delete(MENUS_KEY)
