"""The layout's navigation bar, on every page: its entries (core.navigation.Menu, rendered once per language,
page and unread count), the language choice and the user's menu.

The bar is rendered in Python: its fixed part (the labels, links and language options, in the reader's
language) is made once per language and reused, and only what belongs to the request is added (the menu with
its current entry, the user's name and role, the form's CSRF token and the page to come back to). Through the
template engine its fifty-odd tags cost every page about a millisecond. The markup is that of Bootstrap's
navbar; every value is escaped."""

import threading

from django import template
from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info, gettext

register = template.Library()

_FIXED: dict = {}  # (language, script prefix) -> the bar's fixed pieces, escaped
_FIXED_LOCK = threading.Lock()
NO_TOKEN = "NOTPROVIDED"  # noqa: S105 - Django's csrf context processor's value when there is no token


@register.simple_tag(takes_context=True)
def main_menu(context):
    """The ``<li>`` entries of the user's menu (core.context_processors.navigation): the entry of the current
    page marked active, the notifications entry with the unread count."""
    menu = context.get("nav_menu")
    if menu is None:
        return ""
    match = getattr(context.get("request"), "resolver_match", None)
    return menu.html(getattr(match, "view_name", None), context.get("unread_notifications") or 0)


@register.simple_tag
def language_options():
    """The ``<option>`` of each language the platform speaks, the current one selected, each named in itself."""
    current = get_language()
    return format_html_join("\n", '<option value="{}" lang="{}"{}>{}</option>', (
        (code, code, mark_safe(" selected") if code == current else "", get_language_info(code)["name_local"])
        for code, _name in settings.LANGUAGES))


def _fixed_pieces():
    """The bar's markup around what belongs to the request, in the active language: (before the menu, between
    the menu and the language form's CSRF token, between the token and the page to come back to, after that,
    the user menu's parts, the login link)."""
    key = (get_language(), get_script_prefix())
    pieces = _FIXED.get(key)
    if pieces is not None:
        return pieces
    platform = escape(settings.PLATFORM_NAME)
    # the texts first (makemessages reads no gettext call inside an f-string), escaped
    main_nav, short_name, toggle = gettext("Main navigation"), gettext("Zhengzhou manufacturing fund"), gettext(
        "Toggle navigation")
    language, switch, profile = gettext("Language"), gettext("Switch"), gettext("My profile")
    password, log_out, log_in = gettext("Change password"), gettext("Log out"), gettext("Log in")
    t = {name: escape(text) for name, text in (
        ("main_nav", main_nav), ("short_name", short_name), ("toggle", toggle), ("language", language),
        ("switch", switch), ("profile", profile), ("password", password), ("log_out", log_out), ("log_in", log_in))}
    url = {name: escape(reverse(name)) for name in (
        "core:home", "set_language", "accounts:profile", "accounts:password_change", "accounts:logout",
        "accounts:login")}
    head = (
        f'<header>\n  <nav class="navbar navbar-expand-lg navbar-dark bg-brand" aria-label="{t["main_nav"]}">\n'
        f'    <div class="container-fluid">\n'
        f'      <a class="navbar-brand fw-semibold" href="{url["core:home"]}" aria-label="{platform}">'
        f'<span class="brand-long">{platform}</span><span class="brand-short">{t["short_name"]}</span></a>\n'
        f'      <button class="navbar-toggler" type="button" data-bs-toggle="collapse" data-bs-target="#mainNav"\n'
        f'              aria-controls="mainNav" aria-expanded="false" aria-label="{t["toggle"]}">\n'
        f'        <span class="navbar-toggler-icon"></span>\n      </button>\n'
        f'      <div class="collapse navbar-collapse" id="mainNav">\n        <ul class="navbar-nav me-auto">\n')
    language_form = (
        f'        </ul>\n        <form action="{url["set_language"]}" method="post" '
        f'class="d-flex align-items-center me-lg-3 my-2 my-lg-0 lang-form">\n          ')
    next_field = '\n          <input name="next" type="hidden" value="'
    language_select = (
        f'">\n          <label for="lang-select" class="visually-hidden">{t["language"]}</label>\n'
        f'          <select id="lang-select" name="language" class="form-select form-select-sm js-autosubmit">\n'
        f'            {language_options()}\n          </select>\n'
        f'          <button type="submit" class="btn btn-sm btn-outline-light ms-1 js-hide-when-scripted">'
        f'{t["switch"]}</button>\n        </form>\n')
    user_menu = (
        '          <div class="dropdown">\n            <button class="btn btn-sm btn-outline-light dropdown-toggle" '
        'type="button" data-bs-toggle="dropdown" aria-expanded="false">\n              ',
        '<span class="d-lg-none d-xxl-inline"> · ',
        f'</span>\n            </button>\n            <ul class="dropdown-menu dropdown-menu-end">\n'
        f'              <li><a class="dropdown-item" href="{url["accounts:profile"]}">{t["profile"]}</a></li>\n'
        f'              <li><a class="dropdown-item" href="{url["accounts:password_change"]}">{t["password"]}</a>'
        f'</li>\n              <li><hr class="dropdown-divider"></li>\n              <li>\n'
        f'                <form method="post" action="{url["accounts:logout"]}">',
        f'\n                  <button type="submit" class="dropdown-item">{t["log_out"]}</button>\n'
        f'                </form>\n              </li>\n            </ul>\n          </div>\n')
    login = f'          <a class="btn btn-sm btn-outline-light" href="{url["accounts:login"]}">{t["log_in"]}</a>\n'
    tail = "      </div>\n    </div>\n  </nav>\n</header>"
    pieces = (head, language_form, next_field, language_select, user_menu, login, tail)
    with _FIXED_LOCK:
        if len(_FIXED) > 64:  # languages × script prefixes: a handful
            _FIXED.clear()
        _FIXED[key] = pieces
    return pieces


@register.simple_tag(takes_context=True)
def site_header(context):
    """The page's ``<header>``: the brand, the user's menu, the language choice and the user's own menu (or the
    login link)."""
    head, language_form, next_field, language_select, user_menu, login, tail = _fixed_pieces()
    request, user = context.get("request"), context.get("user")
    token = context.get("csrf_token")
    # as {% csrf_token %}: no field where the CSRF middleware put no token in the context
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token) \
        if token and token != NO_TOKEN else ""
    here = escape(request.get_full_path()) if request is not None else ""
    parts = [head, main_menu(context), "\n", language_form, csrf, next_field, here, language_select]
    if user is not None and user.is_authenticated:
        parts += [user_menu[0], escape(str(user)), user_menu[1], escape(user.get_role_display()), user_menu[2], csrf,
                  user_menu[3]]
    else:
        parts.append(login)
    parts.append(tail)
    return mark_safe("".join(parts))  # noqa: S308 - the fixed pieces and every value escaped above
