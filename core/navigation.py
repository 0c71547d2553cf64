"""The navigation bar. Each app registers its entries in its AppConfig.ready(), each with the `rules`
permission of the page it links to: an entry is shown exactly to the users the page lets in."""

from dataclasses import dataclass
from threading import Lock

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    perm: str
    order: int = 100


_ITEMS: list[NavItem] = []


# The menu of a permission key: decided once per process. A permission without an object is decided by the
# user's fields that the key names (the app owning the user model sets it with ``permission_key``), so users with
# the same key have the same menu, and a change of any of those fields gives another key.
_permission_key = None
_MENUS: dict = {}
_MENUS_LOCK = Lock()
MAX_MENUS = 256  # roles × flags: a few dozen in practice


def register(label, url_name, perm, order=100):
    item = NavItem(label, url_name, perm, order)
    if item not in _ITEMS:
        _ITEMS.append(item)
        _MENUS.clear()


def permission_key(func):
    """Set ``func(user) -> hashable``: every field of the user that a permission without an object may read.
    The menu is decided once per key instead of on every page."""
    global _permission_key
    _permission_key = func
    _MENUS.clear()
    return func


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


class Menu:
    """A user's menu: its entries, the permissions decided for them, and its ``<li>`` markup, rendered once per
    language, current page and unread count (the layout shows it on every page)."""

    MAX_RENDERED = 512

    def __init__(self, items, decided):
        self.items, self.decided, self._html = items, decided, {}

    def html(self, current, unread):
        key = (get_language(), current, unread)
        html = self._html.get(key)
        if html is None:
            if len(self._html) >= self.MAX_RENDERED:
                self._html.clear()
            html = self._html[key] = _menu_html(self.items, current, unread)
        return html


def _menu_html(items, current, unread):
    rows = []
    for item in items:
        active = item["url_name"] == current
        badge = ""
        if unread and item["url_name"] == "core:notifications":
            badge = format_html(' <span class="badge text-bg-warning">{}<span class="visually-hidden"> {}</span>'
                                "</span>", unread, gettext("items with unread notifications"))
        rows.append((" active" if active else "", mark_safe(' aria-current="page"') if active else "",
                     item["url"], item["label"], badge))
    return format_html_join("\n", '<li class="nav-item"><a class="nav-link{}"{} href="{}">{}{}</a></li>', rows)


def menu_for(user, has_perm=None):
    """``user``'s Menu (``items_for`` with the permissions it decided), remembered per permission key (and URL
    configuration) when one is set."""
    if not (user and user.is_authenticated):
        return Menu([], {})
    decided = {}

    def deciding(perm):
        decided[perm] = (has_perm or user.has_perm)(perm)
        return decided[perm]

    if _permission_key is None:
        return Menu(items_for(user, deciding), decided)
    key = (_permission_key(user), get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    menu = _MENUS.get(key)
    if menu is None:
        menu = Menu(items_for(user, deciding), decided)
        with _MENUS_LOCK:
            if len(_MENUS) >= MAX_MENUS:
                _MENUS.clear()
            _MENUS[key] = menu
    return menu


register(_("Dashboard"), "core:dashboard", "core.use_platform", order=0)
register(_("Notifications"), "core:notifications", "core.use_platform", order=90)
register(_("Audit log"), "core:audit_log", "accounts.view_audit_log", order=95)
register(_("System administration"), "admin:index", "core.use_admin_site", order=99)
