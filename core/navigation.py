"""The navigation bar. Each app registers its entries in its AppConfig.ready(), each with the `rules`
permission of the page it links to: an entry is shown exactly to the users the page lets in."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str
    order: int = 100


_ITEMS: list[NavItem] = []


def register(label, url_name, perm, order=100):
    item = NavItem(label, url_name, perm, order)
    if item not in _ITEMS:
        _ITEMS.append(item)


def registered():
    return sorted(_ITEMS, key=lambda i: i.order)


def items_for(user, has_perm=None):
    """The entries ``user`` may open. ``has_perm`` (a ``perm -> bool`` callable, default ``user.has_perm``) lets
    a caller answer from permissions it already decided; each permission is asked once even when entries share
    it."""
    if not (user and user.is_authenticated):
        return []
    has_perm = has_perm or user.has_perm
    allowed, items = {}, []
    for item in registered():
        if item.perm not in allowed:
            allowed[item.perm] = has_perm(item.perm)
        if allowed[item.perm]:
            items.append({"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name})
    return items


register(_("Dashboard"), "core:dashboard", "core.use_platform", order=0)
register(_("Notifications"), "core:notifications", "core.use_platform", order=90)
register(_("Audit log"), "core:audit_log", "accounts.view_audit_log", order=95)
register(_("System administration"), "admin:index", "core.use_admin_site", order=99)
