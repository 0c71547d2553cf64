"""Money on every page and PDF: ``{% load money %}`` then ``{{ amount|wan }}`` (yuan -> '1,234.56', 万元),
``|wan_unit`` ('1,234.56 万元'), ``|yuan`` ('4,501,600.00'), ``|yuan_unit`` ('4,501,600.00 元'),
``|exact`` ('450.16 万元（4,501,600.00 元）') and ``|percent`` (0.0897 -> '8.97%'). All of them are core.money's
formatters, so a page, its PDF and its XLSX show the same figure. An unknown amount shows '—'."""

from functools import partial

from django import template

from core.money import format_exact, format_percent, format_wan, format_yuan

register = template.Library()
register.filter("wan", format_wan)
register.filter("wan_unit", partial(format_wan, unit=True))
register.filter("yuan", format_yuan)
register.filter("yuan_unit", partial(format_yuan, unit=True))
register.filter("exact", format_exact)
register.filter("percent", format_percent)
