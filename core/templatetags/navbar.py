"""The layout's navigation bar: its entries (core.navigation.Menu, rendered once per language, page and unread
count) and the language choice, on every page."""

from django import template
from django.conf import settings
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

register = template.Library()


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
