"""The navigation bar asks the permission of the page each entry links to.

Table-driven over every role and every registered entry: an entry's page is in a user's menu if and only if
the page lets that user in (answers 200, or forwards to a page that does, without a detour through a login).
Several entries may share a page with a label per audience (“My applications”, “Application intake”,
“Applications”), so the check is per page: shown by some entry ⇔ reachable.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from core import navigation
from tests.factories import UserFactory
from tests.helpers import login
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


def reachable(client, url):
    response = client.get(url, follow=True)
    detour = any("login" in location for location, _code in response.redirect_chain)
    return response.status_code == 200 and not detour


def test_every_entry_is_shown_exactly_to_the_roles_its_page_lets_in():
    world = build_world()
    pages = sorted({item.url_name for item in navigation.registered()})
    wrong = []
    for role in Role:
        user = world.users[role]
        client = login(Client(), user)
        shown = {entry["url_name"] for entry in navigation.items_for(user)}
        for name in pages:
            ok = reachable(client, reverse(name))
            if ok != (name in shown):
                wrong.append(f"{role.value} · {name}: page {'opens' if ok else 'refused'}, "
                             f"menu {'shows' if name in shown else 'hides'} it")
    assert not wrong, "navigation and page access disagree:\n" + "\n".join(wrong)


def test_every_role_has_a_menu_and_each_page_is_in_someones():
    world = build_world()
    seen = set()
    for role in Role:
        items = navigation.items_for(world.users[role])
        assert items[0]["url_name"] == "core:dashboard"
        assert any(i["url_name"] == "core:notifications" for i in items)
        seen |= {i["url_name"] for i in items}
    assert {item.url_name for item in navigation.registered()} - {"admin:index"} <= seen


def test_the_admin_site_entry_follows_the_admin_sites_rule():
    staff = UserFactory(role=Role.ADMIN, is_staff=True)
    not_staff = UserFactory(role=Role.ADMIN, is_staff=False)
    assert "admin:index" in {i["url_name"] for i in navigation.items_for(staff)}
    assert "admin:index" not in {i["url_name"] for i in navigation.items_for(not_staff)}


def test_a_superuser_administrator_gets_the_administrators_menu_not_everyones():
    plain = UserFactory(role=Role.ADMIN, is_staff=True)
    superuser = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    menu = [i["url_name"] for i in navigation.items_for(superuser)]
    assert menu == [i["url_name"] for i in navigation.items_for(plain)]
    for other_roles_page in ("applications:apply", "reviews:my_assignments", "disbursements:my_funds",
                             "evaluation:my_surveys", "accounts:company"):
        assert other_roles_page not in menu


def test_anonymous_users_get_no_menu():
    from django.contrib.auth.models import AnonymousUser

    assert navigation.items_for(AnonymousUser()) == []
    assert navigation.items_for(None) == []


def test_register_takes_a_permission_and_ignores_a_second_identical_entry():
    before = list(navigation._ITEMS)
    try:
        navigation.register(_("Probe"), "core:dashboard", "accounts.view_audit_log", order=98)
        navigation.register(_("Probe"), "core:dashboard", "accounts.view_audit_log", order=98)
        assert len(navigation._ITEMS) == len(before) + 1
        city, county = UserFactory(role=Role.CITY), UserFactory(role=Role.COUNTY)
        assert "Probe" in [str(i["label"]) for i in navigation.items_for(city)]
        assert "Probe" not in [str(i["label"]) for i in navigation.items_for(county)]
    finally:
        navigation._ITEMS[:] = before
        navigation._MENUS.clear()



def test_no_navigation_permission_is_also_a_model_permission():
    """A name that is also a model permission ("app.view_model") falls through the named rule to Django's model
    backend, which reads the permission tables on every page for users the rule refuses."""
    from core.navigation import _ITEMS
    from core.permissions import model_permissions

    assert not [item.perm for item in _ITEMS if item.perm in model_permissions()]


def test_entries_sharing_a_permission_ask_it_once():
    asked = []
    city = UserFactory(role=Role.CITY)

    def has_perm(perm):
        asked.append(perm)
        return city.has_perm(perm)

    items = navigation.items_for(city, has_perm)
    assert len(asked) == len(set(asked)) == len({item.perm for item in navigation.registered()})
    assert items == navigation.items_for(city)


def test_a_page_decides_each_template_permission_once_and_answers_like_the_user(monkeypatch):
    from accounts.models import User

    city = UserFactory(role=Role.CITY)
    client = login(Client(), city)
    asked = []
    original = User.has_perm

    def counting(self, perm, obj=None):
        if obj is None:
            asked.append(perm)
        return original(self, perm, obj)

    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    perms = response.context["perms"]
    monkeypatch.setattr(User, "has_perm", counting)
    for item in navigation.registered():  # decided for the menu already: the page's checks reuse the answers
        app, codename = item.perm.split(".")
        assert perms[app][codename] == original(city, item.perm)
        assert (item.perm in perms) == original(city, item.perm)
    assert asked == []
    asked.clear()
    first = perms["disbursements"]["prepare_payments"]  # not in the menu: asked once, then remembered
    assert perms["disbursements"]["prepare_payments"] is first is original(city, "disbursements.prepare_payments")
    assert "disbursements.prepare_payments" in perms or not first
    assert asked == ["disbursements.prepare_payments"]


def _user(role, **fields):
    from accounts.models import User

    return User(role=role, **fields)


KEY_FLAGS = [{"is_active": a, "is_staff": s, "is_superuser": su, "organisation_id": o, "county_id": c}
             for a in (True, False) for s in (True, False) for su in (True, False)
             for o in (None, 7) for c in (None, 3)]


@pytest.mark.parametrize("role", list(Role))
def test_the_menu_depends_on_nothing_but_the_users_permission_key(role):
    """The menu is remembered per permission key (accounts.rules.permission_key): users who differ only in
    fields outside the key (who they are, which organisation or county) must get the same entries."""
    from accounts.rules import permission_key

    for flags in KEY_FLAGS:
        one = _user(role, username="a", first_name="甲", phone="1", **flags)
        other = _user(role, username="b", first_name="乙", phone="2",
                      **{**flags, "organisation_id": flags["organisation_id"] and 99,
                         "county_id": flags["county_id"] and 11})
        assert permission_key(one) == permission_key(other)
        assert navigation.items_for(one) == navigation.items_for(other), (role, flags)
        assert navigation.menu_for(other).items == navigation.items_for(one), (role, flags)


def test_a_remembered_menu_follows_a_change_of_role_and_keeps_its_decisions():
    user = _user(Role.COUNTY, county_id=3)
    county_menu = navigation.menu_for(user)
    assert navigation.menu_for(_user(Role.COUNTY, county_id=4)) is county_menu  # decided once for the key
    assert county_menu.decided["applications.intake"] is True
    user.role = Role.CITY
    city_menu = navigation.menu_for(user)
    assert city_menu is not county_menu
    assert [i["url_name"] for i in city_menu.items] == [i["url_name"] for i in navigation.items_for(user)]
    assert city_menu.decided["applications.intake"] is False


def test_the_rendered_menu_marks_the_current_page_and_counts_unread_items_in_the_users_language():
    from django.utils import translation

    menu = navigation.menu_for(_user(Role.CITY, county_id=None))
    with translation.override("zh-hans"):
        html = menu.html("core:notifications", 3)
        assert 'class="nav-link active" aria-current="page" href="/notifications/"' in html
        assert '<span class="badge text-bg-warning">3<span class="visually-hidden"> ' in html
        assert html.count("active") == 1
        quiet = menu.html("core:dashboard", 0)
        assert "badge" not in quiet and 'aria-current="page" href="/dashboard/"' in quiet
        assert str(_("Dashboard")) in quiet and str(_("Dashboard")) != "Dashboard"
    with translation.override("en"):
        assert ">Dashboard</a>" in menu.html("core:dashboard", 0)


def test_the_bar_names_the_user_posts_with_a_token_and_comes_back_to_the_page(client):
    """The bar rendered in Python (core.templatetags.navbar): a visitor gets the login link; a signed-in user the
    menu (current page marked), the user menu with name and role and a logout form with its CSRF token; the
    language form comes back to the page, its address escaped; both languages label it."""
    import re

    # a query string as a browser may send it: Django percent-encodes quotes and brackets, the bar escapes the rest
    page = client.get(reverse("public:calls"), QUERY_STRING='q="><script>x</script>&y=1',
                      HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = page.content.decode()
    assert 'href="/accounts/login/"' in body and "dropdown-menu" not in body
    assert "<script>x" not in body and 'value="/public/?q=%22%3E%3Cscript%3Ex%3C/script%3E&amp;y=1"' in body

    user = UserFactory.for_role(Role.COUNTY, first_name="", last_name="王科长")
    login(client, user)
    for language, logout in (("zh-hans", "退出登录"), ("en", "Log out")):
        client.cookies["django_language"] = language
        body = client.get(reverse("applications:list")).content.decode()
        header = body[body.index("<header>"):body.index("</header>")]
        assert str(user) in header and f" · {user.get_role_display()}</span>" in header and logout in header, language
        assert 'aria-current="page"' in header and 'name="csrfmiddlewaretoken"' in header
        forms = re.findall(r'<form action="([^"]+)"|<form method="post" action="([^"]+)"', header)
        forms = [a or b for a, b in forms]
        assert forms == ["/i18n/setlang/", "/accounts/logout/"], forms
