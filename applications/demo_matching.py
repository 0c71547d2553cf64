"""The demo's data from other authorities: a credit list with a hit among the 2021 applications, and the
statistics bureau's enterprise registry with a few invitations to the open call (called by demo.seed)."""

from decimal import Decimal

from accounts.models import Organisation, User
from accounts.roles import OrganisationKind

from .workflow import Status


def credit_list(round_):
    """A credit list naming one enterprise whose 2021 application waits for qualification (credit.samples)."""
    from credit.samples import seed_list

    waiting = round_.applications.filter(status=Status.CITY_ACCEPTED).select_related("enterprise") \
        .exclude(enterprise__credit_code__isnull=True).order_by("id").first()
    if waiting is not None:
        seed_list(actor=User.objects.filter(username="demo_city").first(), listed=waiting.enterprise)


def registry(round_, demo_org):
    """The statistics bureau's registry (credit.samples): 22 registered enterprises (the demo enterprise is not
    among them) and eight unregistered ones; the city invites a few of the matches of 智能化改造, so the call page's
    funnel and the invited enterprises' drafts show."""
    from credit.samples import seed_registry

    from .matching import category_matches, invitations_send

    city = User.objects.filter(username="demo_city").first()
    applied = round_.applications.exclude(status=Status.DRAFT).values("enterprise")
    others = Organisation.objects.filter(kind=OrganisationKind.ENTERPRISE, name__endswith="（示例）",
                                         county__isnull=False).exclude(pk=demo_org.pk).exclude(pk__in=applied) \
        .select_related("county").order_by("credit_code")[:22]
    investments = [Decimal(62000000), Decimal(28000000), Decimal(6000000), Decimal(800000)]
    registry = seed_registry(actor=city, registered=[(org, investments[n % 4]) for n, org in enumerate(others)])
    category = round_.categories.order_by("sort_order", "id").first()
    if registry is None or category is None or category.invitations.exists() or not round_.is_open():
        return
    matches = category_matches(category, registry=registry)
    chosen = [m for m in matches if m.organisation][:3] + [m for m in matches if not m.organisation][:1]
    if chosen:
        invitations_send(actor=city, category=category, credit_codes=[m.entry.credit_code for m in chosen])
