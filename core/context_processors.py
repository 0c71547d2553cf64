from django.conf import settings
from django.contrib.auth.context_processors import PermLookupDict, PermWrapper

from .navigation import menu_for
from .selectors import unread_group_count


class _RequestPerms:
    """``user.has_perm(perm)`` without an object, each permission decided once per request (the menu and the
    page's ``perms.*`` checks ask the same few permissions again and again, some of them once per row)."""

    def __init__(self, user):
        self.user, self.known = user, {}

    def __call__(self, perm):
        if perm not in self.known:
            self.known[perm] = self.user.has_perm(perm)
        return self.known[perm]


class _CachedPermLookupDict(PermLookupDict):
    def __init__(self, user, app_label, has_perm):
        super().__init__(user, app_label)
        self.has_perm = has_perm

    def __getitem__(self, perm_name):
        return self.has_perm(f"{self.app_label}.{perm_name}")


class CachedPermWrapper(PermWrapper):
    """Django's ``perms`` template variable answering from the request's decided permissions."""

    def __init__(self, user, has_perm):
        super().__init__(user)
        self.has_perm = has_perm

    def __getitem__(self, app_label):
        return _CachedPermLookupDict(self.user, app_label, self.has_perm)

    def __contains__(self, perm_name):
        if "." in perm_name:
            return self.has_perm(perm_name)
        return super().__contains__(perm_name)


def _menu(request, user):
    """(Menu, perms) of ``user``, decided once per request even when several templates are rendered."""
    cached = getattr(request, "_navigation_menu", None)
    if cached is not None and cached[0] is user:
        return cached[1:]
    has_perm = _RequestPerms(user)
    menu = menu_for(user, has_perm)
    has_perm.known.update(menu.decided)
    menu = (user, menu, CachedPermWrapper(user, has_perm))
    if request is not None:
        request._navigation_menu = menu
    return menu[1:]


def navigation(request):
    user = getattr(request, "user", None)
    authenticated = bool(user and user.is_authenticated)
    context = {
        "nav_items": [],
        "platform_name": settings.PLATFORM_NAME,
        # items (per day) with unread notifications, as the notifications page groups them
        "unread_notifications": unread_group_count(user=user) if authenticated else 0,
    }
    if authenticated:
        menu, context["perms"] = _menu(request, user)
        if not (user.requires_two_factor and not user.is_verified()):
            context["nav_items"], context["nav_menu"] = menu.items, menu
    return context
