"""``{% load filter_bar %}{% filter_bar form "col-6 col-md-2" %}``: a list's filter fields (core.filter_bar)."""

from django import template

from core.filter_bar import COLS, filter_bar_html

register = template.Library()


@register.simple_tag(name="filter_bar")
def filter_bar_tag(form, cols=COLS):
    return filter_bar_html(form, cols=cols)
