"""Policy matching (政策匹配): the city sees, per category of a call, the registry's enterprises that qualify
but have not applied, and invites them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import County
from core.paging import CappedPaginator
from core.web import int_param, require_perm
from credit.registry import latest_registry

from ..matching import category_matches, invitations_send
from ..models import Category, Invitation, Round
from .common import flash_errors


@require_perm("applications.invite_enterprises")
@require_http_methods(["GET", "POST"])
def matches(request, pk):
    round_ = get_object_or_404(Round, pk=pk)
    categories = list(round_.categories.order_by("sort_order", "id"))
    category_id = int_param(request.GET.get("category"), name=_("category"))
    county_id = int_param(request.GET.get("county"), name=_("county"))
    category = next((c for c in categories if c.pk == category_id), categories[0] if categories else None)
    county = get_object_or_404(County, pk=county_id) if county_id else None
    if request.method == "POST":
        category = get_object_or_404(Category, round=round_,
                                     pk=int_param(request.POST.get("category"), name=_("category"), default=0))
        codes = [c.strip().upper() for c in request.POST.getlist("code") if c.strip()][:1000]
        try:
            created = invitations_send(actor=request.user, category=category, credit_codes=codes)
        except ValidationError as exc:
            flash_errors(request, exc)
        else:
            messages.success(request, _("%(n)s enterprises invited.") % {"n": len(created)})
        return redirect(f"{request.path}?category={category.pk}")
    rows = category_matches(category, county=county) if category else []
    return render(request, "applications/calls/matches.html", {
        "round": round_, "categories": categories, "category": category, "rows": rows,
        "counties": County.objects.order_by("name"), "county": county, "registry": latest_registry(),
        "is_open": round_.is_open(),
    })


@require_perm("applications.contact_invited")
def to_contact(request):
    """The invited enterprises that are not on the platform (no e-mail address known): the county bureau of each
    contacts it by telephone or visit. County staff see their county's, the city sees all."""
    rows = Invitation.objects.filter(organisation=None).select_related("round", "category", "county", "invited_by") \
        .order_by("-round__year", "county__sort_order", "name", "category__sort_order", "pk")
    if not request.user.has_perm("applications.invite_enterprises"):
        rows = rows.filter(county_id=request.user.county_id)
    page = CappedPaginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "applications/invitations_to_contact.html", {"page": page})
