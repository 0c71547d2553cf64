from django import template

from .. import computed
from ..constants import StatisticKey
from ..formatting import figure, number
from ..scoring import fmt

register = template.Library()


@register.simple_tag
def pairs(*args):
    """{% pairs "label" url "label 2" url2 as crumbs %} -> [(label, url), ...] for the breadcrumbs include."""
    return list(zip(args[::2], args[1::2], strict=False))


@register.filter(name="num")
def num_filter(value, unit=""):
    return number(value, unit)


@register.filter(name="pts")
def points_filter(value):
    return fmt(value)


@register.filter(name="fig")
def figure_filter(value):
    return figure(value)


@register.filter(name="source_description")
def source_description(indicator):
    """What feeds an indicator, in words: the imported figure's name or what the computation counts."""
    key = indicator.source_key
    if key in StatisticKey.values:
        return StatisticKey(key).label
    return computed.describe(key) if key else ""
