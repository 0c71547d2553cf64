"""Role-based navigation. Each app registers its entries in its AppConfig.ready()."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset
    order: int = 100


_ITEMS: list[NavItem] = []


def register(label, url_name, roles, order=100):
    item = NavItem(label, url_name, frozenset(roles), order)
    if item not in _ITEMS:
        _ITEMS.append(item)


def items_for(user):
    if not (user and user.is_authenticated):
        return []
    return [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in sorted(_ITEMS, key=lambda i: i.order)
        if user.role in item.roles
    ]


register(_("Dashboard"), "core:dashboard", set(Role), order=0)
register(_("Notifications"), "core:notifications", set(Role), order=90)
register(_("Audit log"), "core:audit_log", {Role.CITY, Role.OFFICIAL, Role.ADMIN}, order=95)
register(_("System administration"), "admin:index", {Role.ADMIN}, order=99)
